"""Every rule is written once: a value a form refuses, a bundle cannot bring in, with the same words."""

import html

import pytest
import sqlalchemy as sa

from tracker import rules
from tracker.core import By, Invalid
from tracker.core.disputes import save_dispute
from tracker.db import db
from tracker.forms import sentence
from tracker.models import Dispute, Evidence, Statement

from .client import post, sign_in
from .database import SEED_DISPUTE
from .test_bundles import claim_entry, edit_bundle

SEED = f"/disputes/{SEED_DISPUTE}"
CLAIM = "embassy-mutual-respect"

STATEMENT_FORM = {"title": "Reply to the embassy", "slug": "", "speaker": "", "new_speaker": "Jane Q. Public",
                  "new_speaker_kind": "person", "kind": "post", "date": "2020-02", "venue": "A blog",
                  "source_url": "https://example.org/reply", "language": "en", "text": "Some words.", "version": "0"}
EVIDENCE_FORM = {"url": "https://example.org/a-report", "title": "A report", "publisher": "", "date": "",
                 "excerpt": "", "stance": "supports", "version": "0"}
DISPUTE_FORM = {"slug": "a-quarrel", "title": "A quarrel", "summary": "", "status": "open", "tags": "",
                "version": "0"}


def statement_in_bundle(**values):
    return lambda data: data["statements"][0].update(values)


def evidence_in_bundle(**values):
    return lambda data: data["evidence"].append({"claim": CLAIM, "url": "https://example.org/a-report",
                                                 "title": "A report", "stance": "supports", **values})


# (what is checked, the form and its values, the bundle change, the field and key that name the problem)
CASES = {
    "a reserved slug": (
        f"{SEED}/statements/new", dict(STATEMENT_FORM, slug="new"), statement_in_bundle(slug="new"), "slug", "slug"),
    "a language tag that is none": (
        f"{SEED}/statements/new", dict(STATEMENT_FORM, language="english please!"),
        statement_in_bundle(language="english please!"), "language", "language"),
    "an unregistered language subtag": (
        f"{SEED}/statements/new", dict(STATEMENT_FORM, language="zz-ZZ"), statement_in_bundle(language="zz-ZZ"),
        "language", "language"),
    "a bidi override in a title": (
        f"{SEED}/statements/new", dict(STATEMENT_FORM, title="Reply \u202egnitirw"),
        statement_in_bundle(title="Reply \u202egnitirw"), "title", "title"),
    "a month that is not one": (
        f"{SEED}/statements/new", dict(STATEMENT_FORM, date="2020-13"), statement_in_bundle(date="2020-13"),
        "date", "date"),
    "a link of another scheme": (
        f"{SEED}/claims/{CLAIM}/evidence/new", dict(EVIDENCE_FORM, url="javascript:alert(1)"),
        evidence_in_bundle(url="javascript:alert(1)"), "url", "url"),
    "a zero-width space in a link": (
        f"{SEED}/claims/{CLAIM}/evidence/new", dict(EVIDENCE_FORM, url="https://exam\u200bple.org/"),
        evidence_in_bundle(url="https://exam\u200bple.org/"), "url", "url"),
    "an excerpt over the limit": (
        f"{SEED}/claims/{CLAIM}/evidence/new", dict(EVIDENCE_FORM, excerpt="x" * 5001),
        evidence_in_bundle(excerpt="x" * 5001), "excerpt", "excerpt"),
    "a control character in a claim summary": (
        f"{SEED}/statements/prc-embassy-press-release/claims/new",
        {"summary": "Two\x07lines", "kind": "assertion", "quote": "mutual respect", "tags": "", "slug": ""},
        lambda data: claim_entry(data, CLAIM).update(summary="Two\x07lines"), "summary", "summary"),
    "a tag that is none": (
        "/disputes/new", dict(DISPUTE_FORM, tags="ok, <script>"),
        lambda data: data["dispute"].update(tags=["ok", "<script>"]), "tags", "tags"),
}


@pytest.mark.parametrize("url, form, change, field, key", CASES.values(), ids=CASES.keys())
def test_a_form_and_a_bundle_refuse_the_same_value_with_the_same_words(client, runner, seeded, editor, seed_bundle,
                                                                       url, form, change, field, key):
    sign_in(client)
    page = html.unescape(post(client, url, form, page_url=url).get_data(as_text=True))
    edit_bundle(seed_bundle, change)
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if f": {key}: " in line)
    message = line.split(f": {key}: ", 1)[1]
    assert sentence(message) in page, message  # the form says it as a sentence
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(Evidence.id))) == 1


def test_the_limits_are_those_of_the_columns():
    """A rule's limit is the column's size: a value the rule lets through, the database keeps."""
    from tracker.models import Actor, Claim

    columns = {"slug": Dispute.slug, "title": Dispute.title, "summary": Claim.summary, "name": Actor.name,
               "venue": Statement.venue, "language": Statement.language, "publisher": Evidence.publisher,
               "link": Evidence.url, "role": Actor.role, "country": Actor.country}
    for name, column in columns.items():
        assert rules.LIMITS[name] == column.type.length, name


def test_prose_keeps_plain_line_breaks_whatever_a_browser_sends():
    assert rules.free_text(" One.\r\n\r\nTwo.\rThree. ", 100) == "One.\n\nTwo.\nThree."


@pytest.mark.parametrize("value, stored", [("EN", "en"), ("pt-br", "pt-BR"), ("zh-hans", "zh-Hans"), ("", None)])
def test_language_tags_are_kept_in_their_standard_form(value, stored):
    assert rules.language(value) == stored


def test_the_core_checks_the_rules_whatever_door_calls_it(app):
    """No door can skip a rule: the core applies them itself."""
    with pytest.raises(Invalid) as refused:
        save_dispute(None, slug="new", title="A quarrel", by=By.machine("tests"))
    assert refused.value.field == "slug" and "word of the site's own addresses" in str(refused.value)
    with pytest.raises(Invalid) as refused:
        save_dispute(None, slug="a-quarrel", title="A\u202equarrel", by=By.machine("tests"))
    assert refused.value.field == "title"
    assert db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 0
