"""Merging duplicate claims: what hangs on the duplicate moves, its address redirects, and it can be undone."""

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Claim, ClaimKind, Evidence, Rating, Response, ReviewStatus, Revision, Verdict, VerdictEvidence

from . import factories as make
from .client import HTTPS, get, post, sign_in

D = "/disputes/m"


@pytest.fixture
def claims(app, editor):
    """Two claims saying the same (dup, keep), an accusation both answer, a claim answering dup, evidence."""
    d = make.dispute("m")
    s = make.statement(d, "s", text="Some words. More words.")
    t = make.statement(d, "t", text="Some words. More words.")
    accusation = make.claim(s, "accusation", summary="The accusation", kind=ClaimKind.accusation)
    keep = make.claim(t, "keep", summary="The surviving denial", kind=ClaimKind.denial)
    dup = make.claim(t, "dup", summary="The duplicate denial", kind=ClaimKind.denial)
    reply = make.claim(s, "reply", summary="A reply to the duplicate")
    make.response(keep, accusation)
    make.response(dup, accusation)  # the survivor says the same: set aside
    make.response(dup, keep)  # would make the survivor answer itself: set aside
    make.response(reply, dup)  # moves: reply now answers keep
    make.evidence(keep, "https://example.org/same", title="Same link on keep")
    make.evidence(dup, "https://example.org/same", title="Same link on dup")
    make.evidence(dup, "https://example.org/new", title="New link from dup")
    db.session.flush()
    db.session.add(Verdict(claim_id=keep.id, rating=Rating.false, explanation="Kept verdict."))
    db.session.commit()
    return d


def row(model, **where):
    db.session.expire_all()
    return db.session.scalar(sa.select(model).filter_by(**where))


def merge(client, target_slug="keep", slug="dup", reason="Same denial, cut twice."):
    url = f"{D}/claims/{slug}/merge"
    get(client, url)  # the form loads for the editor
    version = row(Claim, slug=slug).version
    target = row(Claim, slug=target_slug)
    return post(client, url, {"target": str(target.id) if target else target_slug, "reason": reason,
                              "version": str(version)}, page_url=url)


def test_only_editors_merge_and_see_the_link(client, claims, contributor):
    assert "Merge into another claim" not in get(client, f"{D}/claims/dup")
    response = client.get(f"{D}/claims/dup/merge", base_url=HTTPS)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(client, email="contributor@example.org")
    assert client.get(f"{D}/claims/dup/merge", base_url=HTTPS).status_code == 403
    client.post("/logout", base_url=HTTPS)
    sign_in(client)
    assert "Merge into another claim" in get(client, f"{D}/claims/dup")
    form = get(client, f"{D}/claims/dup/merge")
    assert "The surviving denial" in form and "The accusation" in form
    assert ">The duplicate denial (" not in form  # not offered as its own survivor


def test_merging_moves_responses_and_evidence_keeps_the_verdict_and_redirects(client, claims):
    sign_in(client)
    response = merge(client)
    assert response.status_code == 302 and response.headers["Location"] == f"{D}/claims/keep"
    keep, dup = row(Claim, slug="keep"), row(Claim, slug="dup")
    assert dup.merged_into_id == keep.id and dup.deleted_at is not None
    reply = row(Claim, slug="reply")
    assert row(Response, claim_id=reply.id).target_id == keep.id  # moved
    assert row(Evidence, title="New link from dup").claim_id == keep.id  # moved
    assert row(Evidence, title="Same link on dup").deleted_at is not None  # the survivor had it
    set_aside = db.session.scalars(sa.select(Response).filter_by(claim_id=dup.id)).all()
    assert len(set_aside) == 2 and all(r.deleted_at is not None for r in set_aside)
    assert row(Verdict, claim_id=keep.id).rating is Rating.false

    redirect = client.get(f"{D}/claims/dup", base_url=HTTPS)
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(f"{D}/claims/keep")
    page = get(client, f"{D}/claims/keep")
    assert "A reply to the duplicate" in page and "New link from dup" in page and "Verdict: false" in page
    assert "Same link on dup" not in page and "The duplicate denial" not in get(client, D)


def test_the_merge_is_recorded_on_both_claims_with_what_moved(client, claims):
    sign_in(client)
    merge(client)
    keep, dup = row(Claim, slug="keep"), row(Claim, slug="dup")
    revision = row(Revision, object_type="claim", object_id=dup.id, action="merge")
    moved_response = row(Response, claim_id=row(Claim, slug="reply").id)
    moved_evidence = row(Evidence, title="New link from dup")
    assert revision.before["merged_into_id"] is None and revision.after["merged_into_id"] == keep.id
    assert revision.after["moved"] == {"responses": [moved_response.id], "evidence": [moved_evidence.id]}
    assert len(revision.after["skipped"]["responses"]) == 2 and len(revision.after["skipped"]["evidence"]) == 1
    assert revision.reason == "Same denial, cut twice." and revision.user.email == "editor@example.org"
    merged_in = row(Revision, object_type="claim", object_id=keep.id, action="merge-in")
    assert merged_in.after["merged_from"] == dup.id
    history = get(client, f"/history/claim/{dup.id}")
    assert "Merge" in history and '<th scope="row">merged_into</th>' in history  # named, not numbered
    assert "Merge-in" in get(client, f"/history/claim/{keep.id}")


@pytest.mark.parametrize("action", ["merge", "merge-in"])
def test_undo_moves_exactly_those_rows_back(client, claims, action):
    sign_in(client)
    merge(client)
    keep, dup = row(Claim, slug="keep"), row(Claim, slug="dup")
    revision = row(Revision, object_type="claim", action=action)
    response = post(client, f"/revisions/{revision.id}/revert")
    assert response.status_code == 302
    dup, reply = row(Claim, slug="dup"), row(Claim, slug="reply")
    assert dup.merged_into_id is None and dup.deleted_at is None
    assert row(Response, claim_id=reply.id).target_id == dup.id
    assert row(Evidence, title="New link from dup").claim_id == dup.id
    assert row(Evidence, title="Same link on dup").deleted_at is None
    assert all(r.deleted_at is None for r in db.session.scalars(sa.select(Response).filter_by(claim_id=dup.id)))
    assert db.session.scalar(sa.select(sa.func.count(Response.id)).filter_by(claim_id=keep.id)) == 1
    page = get(client, f"{D}/claims/dup")
    assert "A reply to the duplicate" in page and "New link from dup" in page
    merge_revision = row(Revision, object_type="claim", object_id=dup.id, action="merge")
    again = post(client, f"/revisions/{merge_revision.id}/revert")
    assert again.status_code == 409 and "no longer merged" in again.get_data(as_text=True)


def test_undo_is_refused_when_a_moved_row_changed_since(client, claims):
    sign_in(client)
    merge(client)
    moved = row(Evidence, title="New link from dup")
    moved.deleted_at = moved.added_at
    db.session.commit()
    revision = row(Revision, object_type="claim", action="merge")
    response = post(client, f"/revisions/{revision.id}/revert")
    assert response.status_code == 409 and f"evidence #{moved.id} was changed or deleted" in response.get_data(as_text=True)
    assert row(Claim, slug="dup").merged_into_id is not None  # nothing half-undone
    assert row(Response, claim_id=row(Claim, slug="reply").id).target_id == row(Claim, slug="keep").id


def test_evidence_cited_by_the_duplicates_verdict_moves_and_comes_back(client, claims):
    dup = row(Claim, slug="dup")
    new = row(Evidence, title="New link from dup")
    verdict = Verdict(claim_id=dup.id, rating=Rating.mixed, explanation="On the duplicate.")
    verdict.evidence_links = [VerdictEvidence(evidence_id=new.id, claim_id=dup.id)]
    db.session.add(verdict)
    db.session.commit()
    sign_in(client)
    assert merge(client).status_code == 302
    assert row(Evidence, title="New link from dup").claim_id == row(Claim, slug="keep").id
    revision = row(Revision, object_type="claim", action="merge")
    assert post(client, f"/revisions/{revision.id}/revert").status_code == 302
    assert [link.evidence_id for link in row(Verdict, claim_id=dup.id).evidence_links] == [new.id]


@pytest.mark.parametrize("target, message", [
    ("dup", "A claim cannot be merged into itself."),
    ("other", "That claim belongs to another dispute"),
    ("hidden", "Readers do not see that claim"),
    ("pending", "Readers do not see that claim"),
    ("999999", "There is no such claim."),
    ("abc", "Invalid Choice"),
])
def test_bad_merges_are_refused_and_change_nothing(client, claims, target, message):
    other = make.claim(make.statement(make.dispute("other"), "s"), "other")
    t = row(Claim, slug="keep").statement
    make.claim(t, "hidden", deleted_at=row(Claim, slug="keep").created_at)
    make.claim(t, "pending", review=ReviewStatus.pending)
    db.session.commit()
    assert other.id
    sign_in(client)
    response = merge(client, target_slug=target)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert row(Claim, slug="dup").merged_into_id is None
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None))) == 0


def test_a_stale_merge_form_is_refused(client, claims):
    sign_in(client)
    url = f"{D}/claims/dup/merge"
    get(client, url)
    keep = row(Claim, slug="keep")
    response = post(client, url, {"target": str(keep.id), "version": "0"}, page_url=url)
    assert response.status_code == 409 and "This claim changed while you were choosing" in response.get_data(as_text=True)
    assert row(Claim, slug="dup").merged_into_id is None


def test_a_deleted_or_merged_claim_has_no_merge_form(client, claims):
    sign_in(client)
    merge(client)
    assert client.get(f"{D}/claims/dup/merge", base_url=HTTPS).status_code == 404
