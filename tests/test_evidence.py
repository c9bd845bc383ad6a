"""Evidence forms: contributors suggest links, editors add and edit them; only http(s), never twice on a claim."""

import html

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db import db, utcnow
from tracker.models import Claim, Dispute, Evidence, ReviewStatus, Revision, Stance

from . import factories
from .client import HTTPS, get, post, sign_in
from .database import SEED_DISPUTE
from .forms import form_values
from .factories import edits

SEED = f"/disputes/{SEED_DISPUTE}"
CLAIM = f"{SEED}/claims/embassy-groundless"
NEW = f"{CLAIM}/evidence/new"
# The one evidence item of the seed, on this claim.
SEEDED_CLAIM = f"{SEED}/claims/pompeo-accuses-cooperation"
SEEDED_URL = "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"
XSS = '<script>alert("x")</script>'
DATE = "Date published (optional; year-month-day, such as 2020-01-22)"


def claim(slug: str = "embassy-groundless") -> Claim:
    db.session.expire_all()
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def evidence_rows() -> list[Evidence]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Evidence).order_by(Evidence.id)))


def form_data(**changes) -> dict:
    data = {"url": "https://example.org/report", "title": "Kept title", "publisher": "Kept publisher",
            "date": "2020-01-23", "excerpt": "Kept excerpt", "stance": "refutes", "version": "0"}
    return {**data, **changes}


# ---- who may do what -------------------------------------------------------------

def test_adding_evidence_needs_an_account_and_editing_it_needs_an_editor(client, seeded, contributor):
    response = client.get(NEW, base_url=HTTPS)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    sign_in(client, email="contributor@example.org")
    page = get(client, NEW)
    assert "<h1>Suggest evidence</h1>" in page and "An editor reviews each suggestion" in page
    item = evidence_rows()[0]
    get(client, f"{SEED}/evidence/{item.id}/edit", status=403)
    assert post(client, f"{SEED}/evidence/{item.id}/edit", form_data(), page_url=NEW).status_code == 403
    assert evidence_rows()[0].title == "Toward Closer U.S.-Caribbean Ties"


def test_evidence_is_added_only_to_claims_readers_see(client, seeded, editor):
    sign_in(client)
    get(client, f"{SEED}/claims/no-such-claim/evidence/new", status=404)
    claim().review = ReviewStatus.pending
    db.session.commit()
    get(client, NEW, status=404)
    assert post(client, NEW, form_data(), page_url="/login").status_code == 404
    claim().review, claim().deleted_at = ReviewStatus.approved, utcnow()
    db.session.commit()
    get(client, NEW, status=404)
    claim().deleted_at = None
    db.session.scalar(sa.select(Dispute)).deleted_at = utcnow()
    db.session.commit()
    get(client, NEW, status=404)
    assert evidence_rows()[0].url == SEEDED_URL and len(evidence_rows()) == 1


# ---- adding ---------------------------------------------------------------------------

def test_an_editors_evidence_is_shown_at_once_with_its_link_normalised(client, seeded, editor):
    sign_in(client)
    assert "<h1>Add evidence</h1>" in get(client, NEW)
    response = post(client, NEW, form_data(url="  HTTPS://Example.ORG:443/report?x=1 ", title=XSS), page_url=NEW)
    item = evidence_rows()[-1]
    assert response.status_code == 302
    assert response.headers["Location"] == f"{CLAIM}#evidence-{item.id}"
    assert (item.url, item.review, item.stance, str(item.date)) == (
        "https://example.org/report?x=1", ReviewStatus.approved, Stance.refutes, "2020-01-23")
    assert item.added_by.email == "editor@example.org"
    page = get(client, CLAIM)
    assert "Evidence added." in page and "&lt;script&gt;alert" in page and XSS not in page
    revision = db.session.scalar(edits().filter_by(object_type="evidence"))
    assert (revision.action, revision.object_id, revision.user.email) == ("create", item.id, "editor@example.org")


def test_a_contributors_evidence_waits_for_review(client, seeded, contributor):
    sign_in(client, email="contributor@example.org")
    response = post(client, NEW, form_data(), page_url=NEW)
    assert response.status_code == 302 and response.headers["Location"] == CLAIM
    item = evidence_rows()[-1]
    assert item.review is ReviewStatus.pending and item.added_by_id == contributor.id
    assert "your evidence awaits review by an editor" in get(client, CLAIM)


@pytest.mark.parametrize(
    "field, value, message",
    [("url", "", "Link (URL): This field is required."),
     ("url", "javascript:alert(1)", "only http:// and https:// links are accepted."),
     ("url", "JavaScript:alert(document.cookie)", "only http:// and https:// links are accepted."),
     ("url", "data:text/html,<script>alert(1)</script>", "only http:// and https:// links are accepted."),
     ("url", "ftp://example.org/file", "only http:// and https:// links are accepted."),
     ("url", "https://", "&#39;https://&#39;: the link has no host name."),
     ("url", "https://example.org/" + "x" * 2000, "Link (URL): Is 2,020 characters long; at most 2,000 are allowed."),
     ("title", "", "Title: This field is required."),
     ("title", "x" * 301, "Title: Is 301 characters long; at most 300 are allowed."),
     ("publisher", "x" * 201, "Publisher: Is 201 characters long; at most 200 are allowed."),
     ("date", "22/01/2020", f"{DATE}: &#39;22/01/2020&#39; is not a date: write it as year-month-day, such as "
                            "2020-01-22."),
     ("date", "2020-02-30", f"{DATE}: &#39;2020-02-30&#39; is not a date: write it as year-month-day"),
     ("date", "2020-01", f"{DATE}: &#39;2020-01&#39; is not a whole date: use a day such as 2020-01-22."),
     ("excerpt", "x" * 5001, "Excerpt (the passage that matters, quoted): Is 5,001 characters long; at most 5,000 are allowed."),
     ("excerpt", "a\x01b", "Excerpt (the passage that matters, quoted): Holds an invisible character (U+0001 control character) that cannot be stored."),
     ("stance", "", "What it does to the claim: Choose whether it supports the claim, refutes it or gives context."),
     ("stance", "maybe", "What it does to the claim: Invalid Choice: could not coerce.")],
)  # NUL in any field is refused before the form is read: tests/test_guard.py
def test_bad_input_is_named_kept_and_changes_nothing(client, seeded, editor, field, value, message):
    sign_in(client)
    response = post(client, NEW, form_data(**{field: value}), page_url=NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "Kept publisher" in page or field == "publisher"
    assert "Kept excerpt" in page or field == "excerpt"
    if field == "url" and value:
        assert f'value="{html.escape(value)}"' in page  # the bad link is shown back, escaped
    assert len(evidence_rows()) == 1
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None))) == 0


def test_the_same_link_twice_on_a_claim_is_refused_with_a_link_to_the_first(client, seeded, editor):
    sign_in(client)
    first = evidence_rows()[0]
    same = "HTTPS://HT.USEMBASSY.GOV:443/toward-closer-u-s-caribbean-ties/"  # the same once normalised
    response = post(client, f"{SEEDED_CLAIM}/evidence/new", form_data(url=same), page_url=NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Link (URL): This link is already on this claim." in page
    assert f'<a href="{SEEDED_CLAIM}#evidence-{first.id}">Toward Closer U.S.-Caribbean Ties</a> (approved)' in page
    assert "Kept excerpt" in page and len(evidence_rows()) == 1
    # On another claim the same link is welcome.
    assert post(client, NEW, form_data(url=same), page_url=NEW).status_code == 302


@pytest.mark.parametrize("state", ["pending", "rejected", "deleted"])
def test_a_link_refused_or_deleted_before_is_still_a_duplicate_and_points_to_its_history(client, seeded, editor,
                                                                                        state):
    first = evidence_rows()[0]
    first.title = XSS
    if state == "deleted":
        first.deleted_at = utcnow()
    else:
        first.review = ReviewStatus(state)
    db.session.commit()
    sign_in(client)
    response = post(client, f"{SEEDED_CLAIM}/evidence/new", form_data(url=SEEDED_URL), page_url=NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (f'<a href="/history/evidence/{first.id}">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</a> '
            f"({state})") in page
    assert XSS not in page


# ---- editing --------------------------------------------------------------------------

def test_an_editor_edits_evidence_and_the_history_keeps_both_versions(client, seeded, editor):
    sign_in(client)
    item = evidence_rows()[0]
    url = f"{SEED}/evidence/{item.id}/edit"
    values = form_values(get(client, url))
    assert values["url"] == SEEDED_URL and values["stance"] == "context" and values["date"] == "2020-01-22"
    response = post(client, url, dict(values, title="Remarks, as published", stance="supports"), page_url=url)
    assert response.status_code == 302 and response.headers["Location"] == f"{SEEDED_CLAIM}#evidence-{item.id}"
    item = evidence_rows()[0]
    assert (item.title, item.stance, item.version) == ("Remarks, as published", Stance.supports, 2)
    revision = db.session.scalar(edits().filter_by(object_type="evidence"))
    assert revision.action == "edit" and revision.before["title"] == "Toward Closer U.S.-Caribbean Ties"
    assert revision.after["stance"] == "supports"


def test_a_stale_evidence_edit_gets_409_and_overwrites_nothing(client, seeded, editor):
    sign_in(client)
    item = evidence_rows()[0]
    url = f"{SEED}/evidence/{item.id}/edit"
    mine = form_values(get(client, url))
    assert post(client, url, dict(mine, title="Their title"), page_url=url).status_code == 302
    response = post(client, url, dict(mine, title="My title"), page_url=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this evidence while you were editing" in page
    assert "<td>Their title</td><td>My title</td>" in page and 'value="My title"' in page
    assert evidence_rows()[0].title == "Their title"
    again = form_values(page)
    assert post(client, url, again, page_url=url).status_code == 302
    assert evidence_rows()[0].title == "My title"


def test_an_edit_cannot_take_a_link_already_on_the_claim(client, seeded, editor):
    first = evidence_rows()[0]
    second = factories.evidence(first.claim, "https://example.org/second")
    db.session.commit()
    sign_in(client)
    url = f"{SEED}/evidence/{second.id}/edit"
    values = form_values(get(client, url))
    response = post(client, url, dict(values, url=SEEDED_URL), page_url=url)
    assert response.status_code == 400 and "This link is already on this claim." in response.get_data(as_text=True)
    assert evidence_rows()[1].url == "https://example.org/second"
    # Saving an item with its own link is no duplicate.
    assert post(client, url, dict(values, title="Renamed"), page_url=url).status_code == 302


def test_the_claim_page_offers_contributors_to_suggest_evidence(client, seeded, contributor):
    item = evidence_rows()[0]
    assert "Suggest evidence" not in get(client, SEEDED_CLAIM)
    sign_in(client, email="contributor@example.org")
    page = get(client, SEEDED_CLAIM)
    assert f'href="{SEEDED_CLAIM}/evidence/new">Suggest evidence' in page and "Set the verdict" not in page
    assert f"/evidence/{item.id}/edit" not in page


def test_the_claim_page_offers_editors_evidence_and_verdict_controls(client, seeded, editor):
    item = evidence_rows()[0]
    sign_in(client)
    page = get(client, SEEDED_CLAIM)
    assert ">Add evidence<" in page and f'href="{SEEDED_CLAIM}/verdict">Set the verdict' in page
    assert f'href="{SEED}/evidence/{item.id}/edit"' in page and f'href="/history/evidence/{item.id}"' in page


# ---- any input: never a 500, never half a change ------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.one_of(st.text(max_size=60), st.sampled_from([SEEDED_URL, "https://example.org/a", "javascript:x",
                                                            "https://例え.jp/パス", "http://[::1]:99999/"])),
       title=st.text(max_size=320), publisher=st.text(max_size=220), date=st.text(max_size=12),
       excerpt=st.text(max_size=200), stance=st.sampled_from(["supports", "refutes", "context", "", "x" * 30]),
       version=st.sampled_from(["0", "", "-1", "abc", "99999999999999999999"]))
def test_any_evidence_form_input_is_answered_without_a_server_error(client, seeded, contributor, url, title,
                                                                    publisher, date, excerpt, stance, version):
    sign_in(client, email="contributor@example.org")
    before = len(evidence_rows())
    response = post(client, f"{SEEDED_CLAIM}/evidence/new", {
        "url": url, "title": title, "publisher": publisher, "date": date, "excerpt": excerpt, "stance": stance,
        "version": version}, page_url=NEW)
    assert response.status_code in (302, 400)
    after = len(evidence_rows())
    assert after == before + (response.status_code == 302)
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None)).filter_by(object_type="evidence"))
    assert revisions == after - 1  # every item added here came with its revision (the seed's came by import)
