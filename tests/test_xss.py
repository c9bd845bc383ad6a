"""A corpus of XSS payloads through every text field, checked on every page that shows it."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
import tomli_w

from tracker.db import db
from tracker.models import Dispute

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
# What an injection would create; the site itself uses none of these.
FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "math", "style", "img", "x"}


class Injections(HTMLParser):
    """Collects elements and attributes that only an injection could have put in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
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
