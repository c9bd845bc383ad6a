"""A corpus of XSS payloads through every text field, checked on every page that shows it."""

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
import tomli_w

from tracker.db import db
from tracker.models import Dispute

from .client import get, post, sign_in

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<iframe src=//evil.example></iframe>",
    "<body onload=alert(1)>",
    "<math><mi xlink:href=\"data:x,<script>alert(1)</script>\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "--><script>alert(1)</script><!--",
    "]]><script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<x onclick=alert(1)>click me",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
]


def bundle_with(folder, payload: str):
    """A small valid bundle with the payload in every text field."""
    text = f"Opening words. {payload} Closing words."
    data = {
        "dispute": {"slug": "xss", "title": payload, "summary": payload},
        "actors": [{"slug": "speaker", "name": payload, "kind": "person", "role": payload, "country": payload}],
        "statements": [
            {"slug": "accusation", "actor": "speaker", "title": payload, "kind": "speech", "date": "2020-01",
             "venue": payload, "language": "en", "text": text},
            {"slug": "answer", "actor": "speaker", "title": payload, "kind": "post", "text": "Not so.",
             "responds_to": "accusation"},
        ],
        "claims": [
            {"slug": "quoted", "statement": "accusation", "summary": payload, "kind": "accusation", "quote": payload},
            {"slug": "made-up", "statement": "accusation", "summary": payload, "kind": "accusation",
             "reconstructed": True},
            {"slug": "reply", "statement": "answer", "summary": payload, "kind": "denial", "quote": "Not so.",
             "responds_to": ["quoted", "made-up"], "relation": "denies"},
        ],
        "evidence": [{"claim": "quoted", "url": "https://example.org/report", "title": payload,
                      "publisher": payload, "date": "2021-02-03", "excerpt": payload, "stance": "refutes"}],
    }
    folder.mkdir()
    (folder / "dispute.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return folder


PAGES = ["/", "/disputes/xss", "/disputes/xss/side-by-side", "/disputes/xss/statements/accusation",
         "/disputes/xss/statements/answer", "/disputes/xss/claims/quoted", "/disputes/xss/claims/made-up",
         "/disputes/xss/claims/reply", "/actors/speaker", "/disputes/xss/map", "/search?q=Opening+words",
         "/search?q=alert", "/changes", "/history/dispute/{id}"]
# What an injection would create; the site itself uses none of these (but its own script files, below).
FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "math", "style", "img", "x"}
# The site's scripts: files of its own static folder (editor pages load them). None of the payloads makes one.
OWN_SCRIPT = re.compile(r"/static/[\w.-]+\.js\Z")
# Structured data (a claim's ClaimReview) is a script of JSON, never run: its text must hold no "<" to end it early.
DATA_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class Injections(HTMLParser):
    """Collects elements and attributes that only an injection could have put in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        own = OWN_SCRIPT.match(dict(attrs).get("src") or "") or dict(attrs).get("type") == "application/ld+json"
        if tag in FORBIDDEN_ELEMENTS and not (tag == "script" and own):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "xlink:href", "action", "data") and value.startswith(("javascript:", "data:")):
                self.found.append(f"{tag} {name}={value[:20]}")
            if tag == "meta" and name == "http-equiv":
                self.found.append("meta http-equiv")


def assert_inert(page: str, where: str) -> None:
    parser = Injections()
    parser.feed(page)
    assert not parser.found, f"{where}: {parser.found}"
    for data in DATA_SCRIPT.findall(page):
        assert "<" not in data and json.loads(data), f"{where}: structured data that could end its script"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_are_shown_as_text_everywhere(client, runner, tmp_path, payload):
    result = runner.invoke(args=["import", str(bundle_with(tmp_path / "bundle", payload))])
    assert result.exit_code == 0, result.output
    dispute_id = db.session.scalar(sa.select(Dispute.id).filter_by(slug="xss"))
    db.session.add(make_revision(dispute_id, payload))
    db.session.commit()
    for url in PAGES:
        url = url.format(id=dispute_id)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.get_data(as_text=True), url)
    svg = client.get("/disputes/xss/map.svg").get_data(as_text=True)
    ET.fromstring(svg.split("?>", 1)[1])  # still well-formed XML: nothing broke out of it
    assert_inert(svg, "map.svg")


def make_revision(dispute_id: int, payload: str):
    from tracker.models import Revision

    return Revision(action="edit", object_type="dispute", object_id=dispute_id,
                    before={"title": payload, "tags": [payload]}, after={"title": "x", "tags": []}, reason=payload)


def test_the_corpus_is_checked_against_a_page_that_does_not_escape():
    """The check itself catches every payload when it is not escaped."""
    for payload in PAYLOADS:
        unescaped = f"""<p title="{payload}">{payload}</p><p title='{payload}'></p>"""
        with pytest.raises(AssertionError):
            assert_inert(unescaped, "a page that does not escape")


# ---- the editing features: every field a form stores, on every page that shows it --------------------------

EDITED_DISPUTE = "/disputes/edited"


def posted(client, url: str, data: dict, page_url: str | None = None):
    """Submit a form from its page (its CSRF token), as a browser would; the save must go through."""
    response = post(client, url, data, page_url=page_url or url)
    assert response.status_code == 302, (url, response.status_code, response.get_data(as_text=True)[-2000:])
    return response


def one(model, **where):
    db.session.expire_all()  # the requests wrote through their own sessions
    return db.session.scalar(sa.select(model).filter_by(**where))


def edit_values(client, url: str) -> dict:
    """The hidden version of an edit form, read from the page (the form must be loaded at the current version)."""
    page = get(client, url)
    return {"version": re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)}


def write_everything(client, contributing, payload: str) -> dict:
    """Put the payload through every text field the editing forms store; return the ids the pages need."""
    from tracker.rules import TAG
    from tracker.models import Actor, Claim, Correction, Evidence, Response, ReviewStatus, Statement, Verdict

    db.session.add(Dispute(slug="edited", title="An edited dispute"))
    db.session.commit()
    sign_in(client)
    # A statement: payload title, venue, speaker's name; the payload inside its verbatim text.
    text = f"Opening words. {payload} Closing words."
    posted(client, f"{EDITED_DISPUTE}/statements/new", {
        "title": payload, "slug": "accusation", "speaker": "", "new_speaker": payload, "new_speaker_kind": "person",
        "kind": "speech", "date": "2020-01-22", "venue": payload, "source_url": "", "language": "en", "text": text,
        "version": "0"})
    statement = one(Statement, slug="accusation")
    assert (statement.title, statement.venue, statement.text, statement.speaker.name) == (payload, payload, text,
                                                                                          payload)
    # A claim quoting the payload (tags only when the payload is a valid tag: none of the corpus is).
    tags = payload if TAG.match(payload.strip().lower()) else ""
    cut = f"{EDITED_DISPUTE}/statements/accusation/claims/new"
    posted(client, cut, {"summary": payload, "kind": "accusation", "quote": payload, "tags": tags,
                         "slug": "quoted"})
    posted(client, cut, {"summary": "The closing words", "kind": "denial", "quote": "Closing words.", "tags": "",
                         "slug": "closing"})
    quoted = one(Claim, slug="quoted")
    assert (quoted.summary, quoted.quote_exact, quoted.quote_start) == (payload, payload, len("Opening words. "))
    # A response: the payload claim answers the other one.
    posted(client, f"{EDITED_DISPUTE}/claims/quoted/responses/new", {"target": str(one(Claim, slug="closing").id),
                                                                    "relation": "rebuts"})
    response = one(Response, claim_id=quoted.id)
    assert response is not None
    # The editor's evidence, then a verdict resting on it.
    posted(client, f"{EDITED_DISPUTE}/claims/quoted/evidence/new", {
        "url": "https://example.org/x", "title": payload, "publisher": payload, "date": "2021-02-03",
        "excerpt": payload, "stance": "refutes", "version": "0"})
    evidence = one(Evidence, url="https://example.org/x")
    assert (evidence.title, evidence.publisher, evidence.excerpt) == (payload, payload, payload)
    posted(client, f"{EDITED_DISPUTE}/claims/quoted/verdict", {"rating": "false", "explanation": payload,
                                                              "evidence": [str(evidence.id)], "version": "0"})
    verdict = one(Verdict, claim_id=quoted.id)
    assert verdict.explanation == payload
    # A correction of the published summary, with the payload as the public reason.
    edit = f"{EDITED_DISPUTE}/claims/quoted/edit"
    corrected = f"{payload} (corrected)"
    posted(client, edit, {**edit_values(client, edit), "summary": corrected, "kind": "accusation", "quote": payload,
                          "tags": tags, "slug": "quoted", "change_kind": "correction", "change_reason": payload})
    assert one(Claim, slug="quoted").summary == corrected
    assert one(Correction, object_type="claim", object_id=quoted.id).reason == payload
    # A contributor's evidence, rejected with the payload as the reason; a contributor's claim left pending.
    sign_in(contributing, email="contributor@example.org")
    posted(contributing, f"{EDITED_DISPUTE}/claims/quoted/evidence/new", {
        "url": "https://example.org/y", "title": payload, "publisher": "", "date": "", "excerpt": "",
        "stance": "supports", "version": "0"})
    suggested = one(Evidence, url="https://example.org/y")
    assert (suggested.title, suggested.review) == (payload, ReviewStatus.pending)
    posted(client, f"/review/evidence/{suggested.id}", {"decision": "reject", "reason": payload,
                                                        "version": str(suggested.version)},
           page_url="/review")
    suggested = one(Evidence, url="https://example.org/y")
    assert (suggested.review, suggested.review_reason) == (ReviewStatus.rejected, payload)
    posted(contributing, cut, {"summary": payload, "kind": "assertion", "quote": "Opening words.", "tags": "",
                               "slug": "contributed"})
    pending = one(Claim, slug="contributed")
    assert (pending.summary, pending.review) == (payload, ReviewStatus.pending)
    return {"statement": statement.id, "claim": quoted.id, "response": response.id, "evidence": evidence.id,
            "suggested": suggested.id, "verdict": verdict.id, "pending": pending.id,
            "actor": one(Actor, name=payload).slug}


EDITOR_PAGES = [
    EDITED_DISPUTE, f"{EDITED_DISPUTE}/side-by-side", f"{EDITED_DISPUTE}/statements/accusation",
    f"{EDITED_DISPUTE}/claims/quoted", f"{EDITED_DISPUTE}/claims/closing", "/actors/{actor}", "/corrections",
    "/review", "/changes",
    "/history/statement/{statement}", "/history/claim/{claim}", "/history/response/{response}",
    "/history/evidence/{evidence}", "/history/evidence/{suggested}", "/history/verdict/{verdict}",
    "/history/claim/{pending}",
    f"{EDITED_DISPUTE}/statements/accusation/edit", f"{EDITED_DISPUTE}/claims/quoted/edit",
    f"{EDITED_DISPUTE}/responses/{{response}}/edit", f"{EDITED_DISPUTE}/evidence/{{evidence}}/edit",
    f"{EDITED_DISPUTE}/claims/quoted/verdict", f"{EDITED_DISPUTE}/claims/closing/responses/new",
]
# A response's history names it by its claims' slugs, which are made of safe characters only.
NAMED_BY_SLUGS = {"/history/response/{response}"}
CONTRIBUTOR_PAGES = ["/my/submissions", EDITED_DISPUTE, f"{EDITED_DISPUTE}/statements/accusation",
                     f"{EDITED_DISPUTE}/claims/quoted", "/corrections"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_through_the_editing_forms_are_shown_as_text_everywhere(app, client, editor, contributor,
                                                                         payload):
    contributing = app.test_client()
    ids = write_everything(client, contributing, payload)
    checked = 0
    for who, pages in ((client, EDITOR_PAGES), (contributing, CONTRIBUTOR_PAGES)):
        for template in pages:
            url = template.format(**ids)
            page = get(who, url)
            assert_inert(page, url)
            # The payload is on the page, as text: the check looked at it.
            assert payload in html.unescape(page) or template in NAMED_BY_SLUGS, url
            checked += 1
    for url, page in reshown_input(client, ids, payload):
        assert_inert(page, url)
        assert payload in html.unescape(page), url
        checked += 1
    assert checked == CHECKED_PER_PAYLOAD


def reshown_input(client, ids: dict, payload: str):
    """Pages that show back what was typed rather than what was stored: a quote prefilled from the address
    (a selection in the statement page), a stale edit's 409 with its table of differences, a refused
    decision's 400 with the reason kept."""
    url = f"{EDITED_DISPUTE}/statements/accusation/claims/new?" + urlencode({"quote": payload})
    yield url, get(client, url)
    edit = f"{EDITED_DISPUTE}/claims/quoted/edit"
    stale = post(client, edit, {"version": "1", "summary": f"{payload} again", "kind": "accusation",
                                "quote": payload, "tags": "", "slug": "quoted", "change_kind": "clarification",
                                "change_reason": payload}, page_url=edit)
    assert stale.status_code == 409, edit
    yield f"{edit} (409)", stale.get_data(as_text=True)
    refused = post(client, f"/review/claim/{ids['pending']}", {"decision": "", "reason": payload, "version": "1"},
                   page_url="/review")
    assert refused.status_code == 400
    yield "/review (400)", refused.get_data(as_text=True)


CHECKED_PER_PAYLOAD = len(EDITOR_PAGES) + len(CONTRIBUTOR_PAGES) + 3
