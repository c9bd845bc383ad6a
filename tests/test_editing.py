"""Editing disputes: roles, validation, history with revert, soft delete, and no silent overwrite."""

import html

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db import db
from tracker.models import Dispute, Revision

from .client import HTTPS, SAME_SITE, get, post, sign_in
from .database import SEED_DISPUTE, count_queries
from .forms import form_values
from .factories import edits

SEED = f"/disputes/{SEED_DISPUTE}"
XSS = '<script>alert("x")</script>'




def dispute_form(client, url: str) -> dict:
    """The form's current values, as a browser would send them back."""
    return form_values(get(client, url))


def seed_dispute() -> Dispute:
    db.session.expire_all()
    return db.session.scalar(sa.select(Dispute).filter_by(slug=SEED_DISPUTE))


# ---- who may do what -------------------------------------------------------------

EDITOR_ROUTES = [("GET", "/disputes/new"), ("GET", f"{SEED}/edit"), ("POST", "/history/dispute/{id}/delete"),
                 ("POST", "/history/dispute/{id}/restore"), ("POST", "/revisions/1/revert")]


@pytest.mark.parametrize("method, url", EDITOR_ROUTES)
def test_editor_routes_send_anonymous_readers_to_sign_in_and_refuse_contributors(client, seeded, contributor,
                                                                                method, url):
    url = url.format(id=seed_dispute().id)

    def attempt():
        return get_response(client, url) if method == "GET" else post(client, url)

    response = attempt()
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    sign_in(client, email="contributor@example.org")
    assert attempt().status_code == 403
    assert seed_dispute().deleted_at is None


def get_response(client, url):
    return client.get(url, base_url=HTTPS)


@pytest.mark.parametrize("url", ["/changes", "/history/dispute/{id}"])
def test_history_is_public(client, seeded, url):
    get(client, url.format(id=seed_dispute().id))


# ---- create and edit --------------------------------------------------------------

def test_an_editor_creates_a_dispute_and_the_history_says_who(client, editor):
    sign_in(client)
    response = post(client, "/disputes/new", {"slug": "trade-quarrel", "title": "A trade quarrel",
                                              "summary": "Tariffs.", "status": "open", "tags": "Trade, sea",
                                              "version": "0"}, page_url="/disputes/new")
    assert response.status_code == 302 and response.headers["Location"] == "/disputes/trade-quarrel"
    assert "A trade quarrel" in get(client, "/")
    revision = db.session.scalar(edits())
    assert (revision.action, revision.user.email, revision.before) == ("create", "editor@example.org", None)
    assert revision.after["tags"] == ["sea", "trade"]
    assert "Create" in get(client, "/changes") and "Eve Editor" in get(client, "/changes")


@pytest.mark.parametrize(
    "field, value, message",
    [("slug", "Trade Quarrel", "Slug (in its address): &#34;Trade Quarrel&#34; is not a slug: use lower-case letters"),
     ("title", "", "Title: This field is required."),
     ("title", "x" * 301, "Title: Is 301 characters long; at most 300 are allowed."),
     ("tags", "ok, <b>", "Tags (separated by commas): &#34;&lt;b&gt;&#34; is not a tag"),
     ("status", "frozen", "Status: Invalid Choice: could not coerce.")],
)
def test_bad_input_is_named_kept_and_changes_nothing(client, editor, field, value, message):
    sign_in(client)
    data = {"slug": "ok-slug", "title": "Kept title", "summary": "Kept summary", "status": "open", "tags": "",
            "version": "0", field: value}
    response = post(client, "/disputes/new", data, page_url="/disputes/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "Kept summary" in page  # the user's input is kept
    assert db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 0


def test_a_slug_in_use_is_refused(client, seeded, editor):
    sign_in(client)
    response = post(client, "/disputes/new", {"slug": SEED_DISPUTE, "title": "Again", "status": "open",
                                              "version": "0"}, page_url="/disputes/new")
    assert response.status_code == 400
    assert f"The slug &#34;{SEED_DISPUTE}&#34; is already used by another dispute." in response.get_data(as_text=True)


def test_the_edit_form_shows_the_current_values(client, seeded, editor):
    seed_dispute().status = seed_dispute().status.__class__("settled")
    db.session.commit()
    sign_in(client)
    form = dispute_form(client, f"{SEED}/edit")
    assert form["status"] == "settled" and form["slug"] == SEED_DISPUTE
    assert form["tags"] == "belt and road, caribbean, china, latin america, united states"


def test_editing_records_before_and_after_and_shows_a_readable_diff(client, seeded, editor):
    sign_in(client)
    version = seed_dispute().version
    form = dispute_form(client, f"{SEED}/edit")
    form.update(title=XSS, tags="china, trade")
    response = post(client, f"{SEED}/edit", form, page_url=f"{SEED}/edit")
    assert response.status_code == 302
    dispute = seed_dispute()
    assert dispute.title == XSS and dispute.version == version + 1
    page = get(client, f"/history/dispute/{dispute.id}")
    assert "<script>alert" not in page
    assert "<del>China&#39;s cooperation with Latin America" in page and "<ins>&lt;script&gt;" in page
    assert "<del>belt and road, caribbean, china, latin america, united states</del>" in page


def test_a_stale_save_gets_409_with_both_versions_and_overwrites_nothing(client, seeded, editor, app):
    sign_in(client)
    mine = dispute_form(client, f"{SEED}/edit")
    theirs = dict(mine, title="Their title")
    assert post(client, f"{SEED}/edit", theirs, page_url=f"{SEED}/edit").status_code == 302

    mine.update(title="My title")  # still carries the version it was loaded at
    response = post(client, f"{SEED}/edit", mine, page_url=f"{SEED}/edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this dispute while you were editing" in page
    assert "<td>Their title</td><td>My title</td>" in page
    assert 'value="My title"' in page  # my text is kept for merging by hand
    assert seed_dispute().title == "Their title"

    again = form_values(page)
    assert post(client, f"{SEED}/edit", again, page_url=f"{SEED}/edit").status_code == 302  # knowingly, now
    assert seed_dispute().title == "My title"


def test_saving_the_edit_form_unchanged_records_nothing(client, seeded, editor):
    sign_in(client)
    summary = seed_dispute().summary
    assert "\n\n" in summary  # paragraphs: a browser sends their line breaks back as CRLF
    assert post(client, f"{SEED}/edit", dispute_form(client, f"{SEED}/edit")).status_code == 302
    assert seed_dispute().summary == summary
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None))) == 0


# ---- delete, restore, revert ---------------------------------------------------------

def test_deleting_hides_the_dispute_from_readers_and_restoring_brings_it_back(client, seeded, editor):
    sign_in(client)
    dispute_id = seed_dispute().id
    assert post(client, f"/history/dispute/{dispute_id}/delete").status_code == 302
    assert "China&#39;s cooperation" not in get(client, "/")
    assert "This dispute was deleted" in get(client, SEED, status=410)
    get(client, f"{SEED}/claims/embassy-groundless", status=404)
    get(client, f"{SEED}/statements/prc-embassy-press-release", status=404)
    get(client, f"{SEED}/map", status=404)
    assert "embassy-mutual-respect" not in get(client, "/search?q=mutual+respect")
    assert "Mutual respect" not in get(client, "/actors/prc-embassy-jamaica")
    assert post(client, f"/history/dispute/{dispute_id}/restore").status_code == 302
    assert "China&#39;s cooperation" in get(client, "/")
    actions = db.session.scalars(sa.select(Revision.action).where(Revision.source.is_(None)).where(Revision.object_id == dispute_id).order_by(Revision.id))
    assert list(actions) == ["delete", "restore"]


def test_reverting_an_edit_restores_the_old_values_and_is_itself_recorded(client, seeded, editor):
    sign_in(client)
    form = dispute_form(client, f"{SEED}/edit")
    original = form["title"]
    post(client, f"{SEED}/edit", dict(form, title="A wrong title", status="settled"), page_url=f"{SEED}/edit")
    edit = db.session.scalar(edits().filter_by(action="edit"))
    assert post(client, f"/revisions/{edit.id}/revert").status_code == 302
    dispute = seed_dispute()
    assert dispute.title == original and dispute.status.value == "open"
    revert = db.session.scalar(edits().filter_by(action="revert"))
    assert revert.reason == f"reverts revision {edit.id} (edit)" and revert.after["title"] == original


def test_a_revert_that_would_reuse_a_taken_slug_is_refused(client, seeded, editor):
    sign_in(client)
    form = dispute_form(client, f"{SEED}/edit")
    post(client, f"{SEED}/edit", dict(form, slug="renamed"), page_url=f"{SEED}/edit")
    post(client, "/disputes/new", {"slug": SEED_DISPUTE, "title": "Took the old slug", "status": "open",
                                   "version": "0"}, page_url="/disputes/new")
    rename = db.session.scalar(edits().filter_by(action="edit"))
    response = post(client, f"/revisions/{rename.id}/revert")
    assert response.status_code == 409
    assert f"its slug &#34;{SEED_DISPUTE}&#34; is now used by another dispute" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None)).filter_by(action="revert")) == 0


def test_changes_need_the_csrf_token(client, seeded, editor):
    sign_in(client)
    response = client.post(f"/history/dispute/{seed_dispute().id}/delete", base_url=HTTPS, headers=SAME_SITE)
    assert response.status_code == 400
    assert seed_dispute().deleted_at is None


# ---- any input: never a 500, never half a change ------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=st.text(max_size=100), title=st.text(max_size=400), summary=st.text(max_size=500),
       status=st.sampled_from(["open", "settled", "archived", "", "x" * 30]), tags=st.text(max_size=80),
       version=st.sampled_from(["0", "", "-1", "abc", "99999999999999999999"]))
def test_any_dispute_form_input_is_answered_without_a_server_error(client, editor, slug, title, summary, status,
                                                                   tags, version):
    sign_in(client)
    before = db.session.scalar(sa.select(sa.func.count(Dispute.id)))
    response = post(client, "/disputes/new", {"slug": slug, "title": title, "summary": summary, "status": status,
                                              "tags": tags, "version": version}, page_url="/disputes/new")
    assert response.status_code in (302, 400)
    after = db.session.scalar(sa.select(sa.func.count(Dispute.id)))
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None)))
    assert after == before + (response.status_code == 302)
    assert revisions == after  # every dispute made here came with its revision


def test_histories_name_what_ids_point_to_with_a_fixed_number_of_queries(client, seeded):
    from tracker.models import Actor, Statement

    statement_id, title = db.session.execute(
        sa.select(Statement.id, Statement.title).filter_by(slug="prc-embassy-press-release")).one()
    actors = db.session.execute(sa.select(Actor.id, Actor.name).order_by(Actor.id)).all()
    url = f"/history/statement/{statement_id}"

    def add_revisions(n):
        for i in range(n):
            db.session.add(Revision(action="edit", object_type="statement", object_id=statement_id,
                                    before={"speaker_id": actors[i % 2].id, "answers": [statement_id]},
                                    after={"speaker_id": actors[(i + 1) % 2].id, "answers": []}))
        db.session.commit()

    add_revisions(2)
    page = html.unescape(get(client, url))
    assert f"<del>{actors[0].name}</del>" in page and f"<ins>{actors[1].name}</ins>" in page
    assert '<th scope="row">speaker</th>' in page and "speaker_id" not in page
    assert f"<del>{title}</del>" in page  # a list of statement ids, shown as their titles
    few = count_queries(lambda: client.get(url))
    add_revisions(30)
    assert count_queries(lambda: client.get(url)) == few
