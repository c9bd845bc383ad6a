"""Editing statements: the form, the verbatim text kept byte for byte, claims re-anchored when the text changes."""

import html

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db import db
from tracker.models import Actor, Claim, Correction, Revision, Statement

from .client import HTTPS, get, post, sign_in
from .database import SEED_DISPUTE
from .forms import form_values
from .factories import edits

SEED = f"/disputes/{SEED_DISPUTE}"
PRESS = f"{SEED}/statements/prc-embassy-press-release"
NEW = f"{SEED}/statements/new"


def statement(slug: str = "prc-embassy-press-release") -> Statement:
    db.session.expire_all()
    return db.session.scalar(sa.select(Statement).filter_by(slug=slug))


def claim(slug: str) -> Claim:
    db.session.expire_all()
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def count(model) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    if model is Revision:  # the seed's import is history too: count what the test's people did
        query = query.where(Revision.source.is_(None))
    return db.session.scalar(query)


def new_statement_data(**changes) -> dict:
    data = {"title": "Reply to the embassy", "slug": "", "speaker": "", "new_speaker": "Jane Q. Public",
            "new_speaker_kind": "person", "kind": "post", "date": "2020-02", "venue": "A blog",
            "source_url": "HTTPS://Example.org/reply", "language": "en", "text": "Some words.", "version": "0"}
    return {**data, **changes}


# ---- who may do what -------------------------------------------------------------

@pytest.mark.parametrize("url", [NEW, f"{PRESS}/edit"])
def test_statement_forms_are_for_editors(client, seeded, contributor, url):
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    sign_in(client, email="contributor@example.org")
    get(client, url, status=403)
    assert post(client, url, new_statement_data()).status_code == 403
    assert count(Statement) == 2


def test_the_timeline_offers_editors_to_add_a_statement(client, seeded, editor, contributor):
    assert "Add a statement" not in get(client, SEED)
    sign_in(client, email="contributor@example.org")
    assert "Add a statement" not in get(client, SEED)
    sign_in(client)
    assert f'href="{NEW}">Add a statement</a>' in get(client, SEED)


def test_the_statement_page_shows_each_user_their_controls(client, seeded, editor, contributor):
    page = get(client, PRESS)
    assert "Edit statement" not in page and "New claim" not in page and "Suggest a claim" not in page
    assert "cut.js" not in page and ">History</a>" in page
    sign_in(client, email="contributor@example.org")
    page = get(client, PRESS)
    assert "Suggest a claim" in page and "Edit statement" not in page and "cut.js" in page
    sign_in(client)
    page = get(client, PRESS)
    assert f'href="{PRESS}/edit">Edit statement</a>' in page and f'href="{PRESS}/claims/new">New claim</a>' in page
    assert 'id="statement-text"' in page  # where cut.js finds the text


# ---- adding ----------------------------------------------------------------------

def test_an_editor_adds_a_statement_with_a_new_speaker(client, seeded, editor):
    sign_in(client)
    press_id = statement().id
    response = post(client, NEW, new_statement_data(answers=str(press_id)), page_url=NEW)
    assert response.status_code == 302 and response.headers["Location"] == f"{SEED}/statements/reply-to-the-embassy"
    added = statement("reply-to-the-embassy")
    assert (added.speaker.name, added.speaker.slug) == ("Jane Q. Public", "jane-q-public")
    assert (added.date.isoformat(), added.date_precision.value) == ("2020-02-01", "month")
    assert added.source_url == "https://example.org/reply"
    assert [a.answered_id for a in added.answers] == [press_id]
    revision = db.session.scalar(edits().filter_by(object_type="statement", object_id=added.id))
    assert (revision.action, revision.before, revision.user.email) == ("create", None, "editor@example.org")
    page = get(client, response.headers["Location"])
    assert "Reply to the embassy" in page and "February 2020" in page


def test_the_text_is_kept_as_pasted_but_for_line_breaks(client, seeded, editor):
    sign_in(client)
    pasted = "\u00a0 Two  spaces,\ta tab,\r\na non\u00a0breaking space;\rtrailing blanks  \r\n\r\n"
    assert post(client, NEW, new_statement_data(text=pasted), page_url=NEW).status_code == 302
    stored = statement("reply-to-the-embassy").text
    assert stored == "\u00a0 Two  spaces,\ta tab,\na non\u00a0breaking space;\ntrailing blanks  \n\n"


def test_a_date_may_be_a_year_a_day_or_unknown(client, seeded, editor):
    sign_in(client)
    for n, (typed, precision) in enumerate([("2019", "year"), ("2020-01-23", "day"), ("", None)]):
        data = new_statement_data(title=f"Statement {n}", date=typed, speaker=str(statement().speaker_id),
                                  new_speaker="")
        assert post(client, NEW, data, page_url=NEW).status_code == 302
        added = statement(f"statement-{n}")
        assert (added.date_precision.value if added.date_precision else None) == precision


@pytest.mark.parametrize(
    "changes, message",
    [({"slug": "Bad Slug"}, "Slug (in its address; leave empty to make one from the title): &#34;Bad Slug&#34; is not a slug: use lower-case letters"),
     ({"title": ""}, "Title: This field is required."),
     ({"title": "x" * 301}, "Title: Is 301 characters long; at most 300 are allowed."),
     ({"date": "2020-13"}, "is not a date: use a year (2020), a month (2020-01) or a day (2020-01-22)."),
     ({"date": "22/01/2020"}, "is not a date: use a year (2020), a month (2020-01) or a day (2020-01-22)."),
     ({"source_url": "javascript:alert(1)"}, "only http:// and https:// links are accepted."),
     ({"source_url": "example.org/page"}, "only http:// and https:// links are accepted."),
     ({"language": "english!"}, "is not a language tag: use one such as en, pt-BR or zh-Hans (BCP 47)."),
     ({"new_speaker": ""}, "Speaker: Choose the speaker in the list, or type a new speaker&#39;s name below it."),
     ({"new_speaker": "Michael R. Pompeo"}, "&#34;Michael R. Pompeo&#34; is already a speaker: choose them in the list."),
     ({"speaker": "999999"}, "Speaker: Not a valid choice."),
     ({"kind": "tweet"}, "Kind: Invalid Choice: could not coerce."),
     ({"slug": "prc-embassy-press-release"}, "already used by another statement of this dispute."),
     ({"slug": "new"}, "is a word of the site&#39;s own addresses; choose another slug")],
)  # NUL in any field is refused before the form is read: tests/test_guard.py
def test_bad_input_is_named_kept_and_changes_nothing(client, seeded, editor, changes, message):
    sign_in(client)
    before = (count(Statement), count(Actor), count(Revision))
    response = post(client, NEW, new_statement_data(venue="Kept venue", **changes), page_url=NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert 'value="Kept venue"' in page  # the user's input is kept
    assert (count(Statement), count(Actor), count(Revision)) == before


def test_choosing_a_speaker_and_typing_a_new_one_is_refused(client, seeded, editor):
    sign_in(client)
    data = new_statement_data(speaker=str(statement().speaker_id))
    response = post(client, NEW, data, page_url=NEW)
    assert response.status_code == 400
    assert "Choose a speaker in the list or type a new speaker&#39;s name, not both" in response.get_data(as_text=True)


def test_a_derived_slug_never_takes_one_in_use(client, seeded, editor):
    sign_in(client)
    data = new_statement_data(title="Press Release 2020.01.22", speaker=str(statement().speaker_id), new_speaker="")
    assert post(client, NEW, data, page_url=NEW).status_code == 302
    assert post(client, NEW, data, page_url=NEW).status_code == 302
    slugs = set(db.session.scalars(sa.select(Statement.slug)))
    assert {"press-release-2020-01-22", "press-release-2020-01-22-2"} <= slugs


# ---- editing ---------------------------------------------------------------------

def test_saving_the_edit_form_unchanged_keeps_the_text_byte_for_byte(client, seeded, editor):
    sign_in(client)
    original = statement().text
    assert "environment \u00a0and" in original  # the seed's space and non-breaking space
    form = form_values(get(client, f"{PRESS}/edit"))
    assert form["speaker"] == str(statement().speaker_id) and form["kind"] == "press_release"
    response = post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit")
    assert response.status_code == 302
    assert statement().text == original
    assert count(Revision) == 0  # nothing changed, nothing recorded


def test_editing_a_quoted_text_needs_a_correction_and_re_anchors_every_claim(client, seeded, editor):
    sign_in(client)
    old = statement().text
    claims_before = {c.slug: (c.quote_start, c.quote_exact) for c in db.session.scalars(sa.select(Claim))}
    form = form_values(get(client, f"{PRESS}/edit"))
    form["text"] = "A new opening line.\r\n" + form["text"]
    response = post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit")
    assert response.status_code == 400
    assert "Kind of change: This changes published wording" in response.get_data(as_text=True)
    assert statement().text == old

    form.update(change_kind="correction", change_reason="The opening line was missing.")
    assert post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit").status_code == 302
    text = statement().text
    assert text == "A new opening line.\n" + old
    shift = len("A new opening line.\n")
    for slug in ("embassy-mutual-respect", "pompeo-accuses-cooperation"):  # its own quote, and a reported one
        moved = claim(slug)
        start, exact = claims_before[slug]
        assert (moved.quote_start, moved.quote_exact) == (start + shift, exact)
        assert text[moved.quote_start:moved.quote_end] == exact
        revision = db.session.scalar(edits().filter_by(object_type="claim", object_id=moved.id))
        assert revision.before["quote_start"] == start and revision.after["quote_start"] == start + shift
        assert "re-anchored" in revision.reason
    correction = db.session.scalar(sa.select(Correction))
    assert (correction.kind.value, correction.reason, correction.object_type) == (
        "correction", "The opening line was missing.", "statement")
    assert "A new opening line." in get(client, PRESS)


def test_undoing_a_text_edit_moves_the_quotes_back_with_the_text(client, seeded, editor):
    sign_in(client)
    old, start = statement().text, claim("embassy-mutual-respect").quote_start
    form = form_values(get(client, f"{PRESS}/edit"))
    form.update(text="A new opening line.\n" + form["text"], change_kind="correction", change_reason="Opening.")
    assert post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit").status_code == 302
    edit = db.session.scalar(edits().filter_by(object_type="statement", action="edit"))
    assert post(client, f"/revisions/{edit.id}/revert").status_code == 302
    db.session.expire_all()
    assert statement().text == old
    moved = claim("embassy-mutual-respect")
    assert moved.quote_start == start and old[moved.quote_start:moved.quote_end] == moved.quote_exact


def test_a_text_that_loses_a_quote_is_refused_naming_the_claim(client, seeded, editor):
    sign_in(client)
    old = statement().text
    form = form_values(get(client, f"{PRESS}/edit"))
    form["text"] = form["text"].replace("on the basis of mutual respect", "on the basis of respect")
    form.update(change_kind="correction", change_reason="Typo.")
    response = post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "no longer holds the quotes of these claims: embassy-mutual-respect" in page
    assert "on the basis of respect" in page  # the edit is kept in the form
    assert statement().text == old and count(Revision) == 0 and count(Correction) == 0
    assert claim("embassy-mutual-respect").quote_exact.endswith("mutual respect, equality and mutual benefit.")


def test_removing_the_text_of_a_quoted_statement_is_refused(client, seeded, editor):
    sign_in(client)
    form = form_values(get(client, f"{PRESS}/edit"))
    form.update(text="", change_kind="correction", change_reason="No transcript.")
    response = post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit")
    assert response.status_code == 400 and "embassy-groundless" in response.get_data(as_text=True)
    assert statement().text is not None


def test_a_text_without_shown_claims_is_edited_without_a_correction(client, seeded, editor):
    sign_in(client)
    url = f"{SEED}/statements/pompeo-kingston-remarks/edit"
    form = form_values(get(client, url))
    form["text"] = "Remarks, as delivered."
    assert post(client, url, form, page_url=url).status_code == 302
    assert statement("pompeo-kingston-remarks").text == "Remarks, as delivered."
    assert count(Correction) == 0
    revision = db.session.scalar(edits().filter_by(object_type="statement"))
    assert (revision.action, revision.before["text"], revision.after["text"]) == ("edit", None, "Remarks, as delivered.")


def test_a_stale_save_gets_409_with_both_versions_and_overwrites_nothing(client, seeded, editor):
    sign_in(client)
    url = f"{SEED}/statements/pompeo-kingston-remarks/edit"
    mine = form_values(get(client, url))
    theirs = dict(mine, title="Their title")
    assert post(client, url, theirs, page_url=url).status_code == 302
    mine["title"] = "My title"
    response = post(client, url, mine, page_url=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this statement while you were editing" in page
    assert "<td>Their title</td><td>My title</td>" in page and 'value="My title"' in page
    assert statement("pompeo-kingston-remarks").title == "Their title"
    assert post(client, url, form_values(page), page_url=url).status_code == 302  # knowingly, now
    assert statement("pompeo-kingston-remarks").title == "My title"


def test_answers_can_be_changed_and_the_history_shows_it(client, seeded, editor):
    sign_in(client)
    form = form_values(get(client, f"{PRESS}/edit"))
    assert form["answers"] == [str(statement("pompeo-kingston-remarks").id)]
    stale = dict(form, title="Another title")
    form["answers"] = []
    assert post(client, f"{PRESS}/edit", form, page_url=f"{PRESS}/edit").status_code == 302
    assert statement().answers == []
    # Changing only the answers still moves the version: a form loaded before is stale.
    assert post(client, f"{PRESS}/edit", stale, page_url=f"{PRESS}/edit").status_code == 409
    revision = db.session.scalar(edits().filter_by(object_type="statement"))
    assert revision.after["answers"] == [] and revision.before["answers"] == [statement("pompeo-kingston-remarks").id]


# ---- any input: never a 500, never half a change ------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=320), slug=st.text(max_size=90), new_speaker=st.text(max_size=220),
       date=st.sampled_from(["", "2020", "2020-02-30", "0000", "9999-12-31", "2020-1", "x" * 20]),
       source_url=st.one_of(st.text(max_size=60), st.just("https://example.org/" + "a" * 2100)),
       language=st.text(max_size=40), text=st.one_of(st.text(max_size=300), st.just("w " * 600_000)),
       kind=st.sampled_from(["speech", "post", "", "x" * 30]),
       version=st.sampled_from(["0", "", "-1", "abc", "99999999999999999999"]),
       missing=st.sets(st.sampled_from(["title", "kind", "speaker", "new_speaker", "text", "version"])))
def test_any_statement_form_input_is_answered_without_a_server_error(client, seeded, editor, title, slug,
                                                                     new_speaker, date, source_url, language, text,
                                                                     kind, version, missing):
    sign_in(client)
    before = (count(Statement), count(Actor), count(Revision))
    data = {"title": title, "slug": slug, "speaker": "", "new_speaker": new_speaker, "new_speaker_kind": "person",
            "kind": kind, "date": date, "source_url": source_url, "language": language, "text": text,
            "version": version}
    response = post(client, NEW, {k: v for k, v in data.items() if k not in missing}, page_url=NEW)
    assert response.status_code in (302, 400)
    made = response.status_code == 302
    assert count(Statement) == before[0] + made
    assert count(Actor) == before[1] + made  # a new speaker comes only with its statement
    assert count(Revision) == before[2] + made
    if made:
        added = db.session.scalar(sa.select(Statement).order_by(Statement.id.desc()))
        assert added.text == (text.replace("\r\n", "\n").replace("\r", "\n") if text.strip() else None)
        assert html.escape(added.title, quote=False) in get(client, response.headers["Location"])
