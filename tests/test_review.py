"""Moderation: contributors' submissions wait in a queue; editors approve or reject them; submitters follow them."""

import re

import pytest
import sqlalchemy as sa

from tests.factories import create_user
from tracker.db import db, utcnow
from tracker.models import Claim, Evidence, ReviewStatus, Revision, Role, Stance, Statement, User

from . import factories
from .client import HTTPS, PASSWORD, get, post, sign_in
from .database import SEED_DISPUTE, count_queries
from .factories import edits

SEED = f"/disputes/{SEED_DISPUTE}"
CLAIM = f"{SEED}/claims/embassy-groundless"
NEW_EVIDENCE = f"{CLAIM}/evidence/new"
LINK = "https://example.org/contributed-report"


def rows(model) -> list:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(model).order_by(model.id)))


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).filter_by(email=email))


def suggest(client, url: str = LINK, title: str = "A contributed report") -> Evidence:
    """As the signed-in contributor, suggest evidence on the seed claim."""
    response = post(client, NEW_EVIDENCE, {"url": url, "title": title, "publisher": "Example Press", "date": "",
                                           "excerpt": "The passage that matters.", "stance": "refutes",
                                           "version": "0"}, page_url=NEW_EVIDENCE)
    assert response.status_code == 302
    return rows(Evidence)[-1]


def pending_claim(submitter: User, slug: str = "contributed-claim", **fields) -> Claim:
    statement = db.session.scalar(sa.select(Statement).filter_by(slug="prc-embassy-press-release"))
    row = factories.claim(statement, slug, summary=fields.pop("summary", "A contributed claim"),
                          review=ReviewStatus.pending, submitted_by_id=submitter.id, **fields)
    db.session.commit()
    return row


def decide(client, kind: str, object_id: int, decision: str, reason: str = "", version: int | None = None):
    if version is None:
        db.session.expire_all()
        version = db.session.get(Claim if kind == "claim" else Evidence, object_id).version
    return post(client, f"/review/{kind}/{object_id}", {"decision": decision, "reason": reason,
                                                       "version": str(version)})


@pytest.fixture
def other_contributor(app):
    row = create_user("other@example.org", "Olga Other", Role.contributor, PASSWORD)
    db.session.commit()
    return row


# ---- who may do what -------------------------------------------------------------

def test_the_queue_is_for_editors_and_submissions_need_an_account(client, seeded, contributor):
    for url in ("/review", "/my/submissions"):
        response = client.get(url, base_url=HTTPS)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    sign_in(client, email="contributor@example.org")
    get(client, "/review", status=403)
    evidence = rows(Evidence)[0]
    evidence.review = ReviewStatus.pending
    db.session.commit()
    assert decide(client, "evidence", evidence.id, "approve").status_code == 403
    assert rows(Evidence)[0].review is ReviewStatus.pending
    assert "You have not suggested anything yet" in get(client, "/my/submissions")


def test_only_claims_and_evidence_are_reviewed(client, seeded, editor):
    sign_in(client)
    assert post(client, "/review/dispute/1", {"decision": "approve", "version": "1"}).status_code == 404
    assert post(client, "/review/evidence/999999", {"decision": "approve", "version": "1"}).status_code == 404


# ---- the journey of a suggestion ----------------------------------------------------------

def test_suggested_evidence_is_hidden_until_an_editor_approves_it(client, app, seeded, editor, contributor):
    sign_in(client, email="contributor@example.org")
    item = suggest(client)
    assert (item.review, item.added_by_id) == (ReviewStatus.pending, contributor.id)
    page = get(client, "/my/submissions")
    assert "A contributed report" in page and '<td class="status-pending">pending</td>' in page
    assert f"#evidence-{item.id}" not in page  # no link to what readers do not see

    readers = app.test_client()
    assert "A contributed report" not in get(readers, CLAIM)  # the claim page shows approved evidence only

    editors = app.test_client()
    sign_in(editors)
    queue = get(editors, "/review")
    for detail in ("Evidence: A contributed report", LINK, "refutes", "The passage that matters.",
                   "Cody Contributor", "The accusation is groundless; the embassy strongly objects to it"):
        assert detail in queue or detail.replace("’", "&#39;") in queue, detail
    assert decide(editors, "evidence", item.id, "approve").status_code == 302
    assert "Approved: readers now see it." in get(editors, "/review")

    item = rows(Evidence)[-1]
    assert (item.review, item.reviewed_by_id) == (ReviewStatus.approved, editor.id)
    assert item.reviewed_at is not None and item.review_reason is None
    assert "A contributed report" in get(readers, CLAIM)
    revision = db.session.scalar(edits().filter_by(object_type="evidence", action="approve"))
    assert revision.before["review"] == "pending" and revision.after["review"] == "approved"
    page = get(client, "/my/submissions")
    assert '<td class="status-approved">approved</td>' in page
    assert f'<a href="{CLAIM}#evidence-{item.id}">A contributed report</a>' in page


def test_a_rejection_needs_a_reason_which_only_the_submitter_sees(client, app, seeded, editor, contributor,
                                                                  other_contributor):
    sign_in(client, email="contributor@example.org")
    item = suggest(client)
    editors = app.test_client()
    sign_in(editors)

    response = decide(editors, "evidence", item.id, "reject", reason="   ")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Reason: say why it is rejected: the submitter sees this reason." in page
    assert "Evidence: A contributed report" in page  # the item is shown again with the error
    assert rows(Evidence)[-1].review is ReviewStatus.pending

    response = decide(editors, "evidence", item.id, "reject", reason="The page does not mention the <claim>.")
    assert response.status_code == 302
    item = rows(Evidence)[-1]
    assert (item.review, item.review_reason) == (ReviewStatus.rejected, "The page does not mention the <claim>.")
    revision = db.session.scalar(edits().filter_by(object_type="evidence", action="reject"))
    assert revision.reason == "The page does not mention the <claim>." and revision.user.email == "editor@example.org"
    assert "A contributed report" not in get(app.test_client(), CLAIM)

    page = get(client, "/my/submissions")
    assert '<td class="status-rejected">rejected</td>' in page
    assert "The page does not mention the &lt;claim&gt;." in page
    assert f"#evidence-{item.id}" not in page

    others = app.test_client()
    sign_in(others, email="other@example.org")
    page = get(others, "/my/submissions")
    assert "A contributed report" not in page and "does not mention" not in page
    assert "You have not suggested anything yet" in page


def test_a_decision_needs_approve_or_reject_and_may_carry_a_reason(client, seeded, editor, contributor):
    item = factories.evidence(db.session.scalar(sa.select(Claim).filter_by(slug="embassy-groundless")),
                              LINK, review=ReviewStatus.pending, added_by_id=contributor.id)
    db.session.commit()
    sign_in(client)
    response = decide(client, "evidence", item.id, "maybe", reason="Kept reason")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Decision: choose Approve or Reject." in page and "Kept reason" in page
    assert decide(client, "evidence", item.id, "approve", reason="Solid source.").status_code == 302
    assert rows(Evidence)[-1].review_reason == "Solid source."


def test_deciding_twice_or_on_a_changed_item_is_refused(client, seeded, editor, contributor):
    item = factories.evidence(db.session.scalar(sa.select(Claim).filter_by(slug="embassy-groundless")),
                              LINK, review=ReviewStatus.pending, added_by_id=contributor.id)
    db.session.commit()
    stale = item.version
    item.title = "Changed by an editor meanwhile"
    db.session.commit()
    sign_in(client)
    response = decide(client, "evidence", item.id, "approve", version=stale)
    assert response.status_code == 409 and "it changed since the queue was loaded" in response.get_data(as_text=True)
    assert rows(Evidence)[-1].review is ReviewStatus.pending

    assert decide(client, "evidence", item.id, "approve").status_code == 302
    response = decide(client, "evidence", item.id, "reject", reason="Second thoughts.")
    assert response.status_code == 409 and "it was already approved" in response.get_data(as_text=True)
    item = rows(Evidence)[-1]
    assert (item.review, item.review_reason) == (ReviewStatus.approved, None)
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None)).filter_by(object_type="evidence")) == 1


def test_a_pending_claim_shows_what_an_editor_needs_and_is_published_by_approval(client, app, seeded, editor,
                                                                               contributor):
    claim = pending_claim(contributor, quote_exact="Some words")
    readers = app.test_client()
    url = f"{SEED}/claims/contributed-claim"
    get(readers, url, status=404)
    sign_in(client)
    queue = get(client, "/review")
    for detail in ("Claim: A contributed claim", "Some words", "Cody Contributor", "prc-embassy-press-release",
                   "assertion"):
        assert detail in queue, detail
    assert decide(client, "claim", claim.id, "approve").status_code == 302
    get(readers, url)
    assert "Nothing waits for review." in get(client, "/review")
    revision = db.session.scalar(edits().filter_by(object_type="claim"))
    assert (revision.action, revision.after["review"]) == ("approve", "approved")


def test_the_queue_lists_the_oldest_first_and_leaves_out_decided_and_deleted_items(client, seeded, editor,
                                                                                 contributor):
    first = pending_claim(contributor, "first-claim", summary="Oldest claim")
    claim = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-groundless"))
    factories.evidence(claim, "https://example.org/later", title="Later evidence", review=ReviewStatus.pending,
                       added_by_id=contributor.id)
    factories.evidence(claim, "https://example.org/gone", title="Deleted evidence", review=ReviewStatus.pending,
                       added_by_id=contributor.id, deleted_at=utcnow())
    factories.evidence(claim, "https://example.org/done", title="Rejected evidence", review=ReviewStatus.rejected,
                       added_by_id=contributor.id)
    db.session.commit()
    first.created_at = first.created_at.replace(year=2019)
    db.session.commit()
    sign_in(client)
    page = get(client, "/review")
    assert page.index("Oldest claim") < page.index("Later evidence")
    assert "Deleted evidence" not in page and "Rejected evidence" not in page


# ---- bounded pages -------------------------------------------------------------------------

def make_submissions(submitter: User, count: int, start: int = 0) -> None:
    """count pending submissions by submitter: half claims, half evidence."""
    statement = db.session.scalar(sa.select(Statement).filter_by(slug="prc-embassy-press-release"))
    claim = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-groundless"))
    for n in range(start, start + count // 2):
        factories.claim(statement, f"pending-{n}", review=ReviewStatus.pending, submitted_by_id=submitter.id)
        factories.evidence(claim, f"https://example.org/pending-{n}", stance=Stance.context,
                           review=ReviewStatus.pending, added_by_id=submitter.id)
    db.session.commit()


@pytest.mark.parametrize("url", ["/review", "/my/submissions"])
def test_the_lists_run_as_many_queries_for_2_items_as_for_40(client, seeded, editor, contributor, url):
    sign_in(client, email="editor@example.org" if url == "/review" else "contributor@example.org")
    make_submissions(contributor, 2)
    few = count_queries(lambda: get(client, url))
    make_submissions(user("contributor@example.org"), 38, start=1)  # 40 in all
    many = count_queries(lambda: get(client, url))
    assert len(re.findall(r"<(?:article|tr)[ >]", get(client, url))) >= 20
    assert few == many, (few, many)


def test_the_lists_are_paginated(client, seeded, editor, contributor):
    statement = db.session.scalar(sa.select(Statement).filter_by(slug="prc-embassy-press-release"))
    for n in range(30):
        factories.claim(statement, f"many-{n}", summary=f"Submission number {n}", review=ReviewStatus.pending,
                        submitted_by_id=contributor.id)
    db.session.commit()
    sign_in(client)
    first = get(client, "/review")
    assert first.count('<article class="review-item"') == 25 and 'href="/review?page=2"' in first
    second = get(client, "/review?page=2")
    assert second.count('<article class="review-item"') == 5 and 'href="/review?page=1"' in second
    assert get(client, "/review?page=10000").count("review-item") == 0  # the last page there can be
    for page in ("99999999999999999999", "10001", "0", "-1", "abc", "２"):
        refused = get(client, f"/review?page={page}", status=400)
        assert "The &#34;page&#34; parameter is not a page of this list: give a number from 1 to 10,000." in refused
