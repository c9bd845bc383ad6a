"""Readers see only approved, live material, on every page; approving or restoring brings it back."""

import datetime as dt

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Claim, ClaimKind, Dispute, Evidence, Response, ReviewStatus, Revision, Stance, Statement

from . import factories as make
from .client import get, sign_in
from .database import count_queries

D = "/disputes/vis"
HIDDEN = "Zebracrossing"  # a word found only in the row that gets hidden
ANSWER_LINK = f'{D}/claims/answer"'  # a link to the answering claim, wherever it is shown
NOW = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)


@pytest.fixture
def dispute(app):
    """An accusation, a claim answering it (in a second statement) and evidence on the accusation."""
    d = make.dispute("vis")
    first = make.statement(d, "first", speaker=make.actor("accuser"), text="Some words. More words.")
    second = make.statement(d, "second", speaker=make.actor("answerer"), text="Other words here. Zebracrossing said.",
                            title="Second statement")
    accusation = make.claim(first, "accusation", summary="They did it", kind=ClaimKind.accusation)
    answer = make.claim(second, "answer", summary=f"{HIDDEN} answer", kind=ClaimKind.denial, quote_start=18,
                        quote_end=31, quote_exact="Zebracrossing", quote_prefix="words here. ", quote_suffix=" said.")
    make.response(answer, accusation)
    make.evidence(accusation, "https://example.org/plain", title="Plain evidence")
    db.session.commit()
    return d


def claim(slug: str) -> Claim:
    db.session.expire_all()
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def hide_claim(slug: str, how: str) -> None:
    row = claim(slug)
    if how == "deleted":
        row.deleted_at = NOW
    else:
        row.review = ReviewStatus(how)
    db.session.commit()


def show_claim(slug: str) -> None:
    row = claim(slug)
    row.deleted_at, row.review = None, ReviewStatus.approved
    db.session.commit()


def pages_showing_the_answer(client) -> dict[str, str]:
    """Every reader page where the answering claim appears while it is shown."""
    return {
        "timeline": get(client, D),
        "statement": get(client, f"{D}/statements/second"),
        "claim thread": get(client, f"{D}/claims/accusation"),
        "actor": get(client, "/actors/answerer"),
        "map": get(client, f"{D}/map"),
        "search": get(client, f"/search?q={HIDDEN}"),
        "side by side": get(client, f"{D}/side-by-side?left=first&right=second"),
    }


@pytest.mark.parametrize("how", ["pending", "rejected", "deleted"])
def test_a_hidden_claim_is_on_no_reader_page_until_shown_again(client, dispute, how):
    for name, page in pages_showing_the_answer(client).items():
        assert ANSWER_LINK in page, name
    hide_claim("answer", how)
    for name, page in pages_showing_the_answer(client).items():
        assert ANSWER_LINK not in page and "answer</a>" not in page, name
    get(client, f"{D}/claims/answer", status=410 if how == "deleted" else 404)
    show_claim("answer")
    for name, page in pages_showing_the_answer(client).items():
        assert ANSWER_LINK in page, name
    get(client, f"{D}/claims/answer")


def test_counts_and_unanswered_accusations_leave_hidden_claims_out(client, dispute):
    timeline = get(client, D)
    assert "answered by 1 claim" in timeline and "Not answered yet" not in timeline
    assert "2 statements, 2 claims" in " ".join(get(client, "/").split())
    assert "Claims in this statement (1)" in get(client, f"{D}/statements/second")
    hide_claim("answer", "pending")
    timeline = get(client, D)
    assert "answered by" not in timeline
    assert "Not answered yet (1)" in timeline  # answered only by a claim readers do not see
    assert "Not answered yet (1)" in get(client, f"{D}/side-by-side")
    assert "2 statements, 1 claim" in " ".join(get(client, "/").split())
    assert "Claims in this statement (0)" in get(client, f"{D}/statements/second")
    assert "Claims: 0 matches" in get(client, f"/search?q={HIDDEN}")  # not counted either


def test_a_hidden_answer_is_not_what_a_claim_answers_on_the_timeline(client, dispute):
    card = get(client, f"{D}/claims/answer")
    assert "They did it" in card
    hide_claim("accusation", "rejected")
    page = get(client, D)
    assert "They did it" not in page and "What it answers" not in page
    assert "They did it" not in get(client, f"{D}/claims/answer")
    get(client, f"{D}/claims/accusation", status=404)


@pytest.mark.parametrize("how", ["pending", "rejected", "deleted"])
def test_hidden_evidence_is_neither_listed_nor_counted(client, dispute, how):
    item = db.session.scalar(sa.select(Evidence))
    item.excerpt = HIDDEN
    db.session.commit()
    assert "Plain evidence" in get(client, f"{D}/claims/accusation")
    assert "1 supports" in get(client, D)
    assert "Plain evidence" in get(client, f"/search?q={HIDDEN}")

    db.session.expire_all()
    item = db.session.scalar(sa.select(Evidence))
    if how == "deleted":
        item.deleted_at = NOW
    else:
        item.review = ReviewStatus(how)
    db.session.commit()
    page = get(client, f"{D}/claims/accusation")
    assert "Plain evidence" not in page and "No evidence is linked to this claim yet." in page
    assert "1 supports" not in get(client, D)
    assert 'id="claim-accusation"' not in get(client, f"{D}?stance=supports")  # the filter counts shown evidence
    search = get(client, f"/search?q={HIDDEN}")
    assert "Plain evidence" not in search and "Evidence: 0 matches" in search

    db.session.expire_all()
    item = db.session.scalar(sa.select(Evidence))
    item.deleted_at, item.review = None, ReviewStatus.approved
    db.session.commit()
    assert "Plain evidence" in get(client, f"{D}/claims/accusation")
    assert "1 supports" in get(client, D)


def test_a_deleted_response_ties_nothing_until_restored(client, dispute):
    def pages():
        return {"timeline": get(client, D), "answer page": get(client, f"{D}/claims/answer"),
                "accusation page": get(client, f"{D}/claims/accusation"), "map": get(client, f"{D}/map"),
                "side by side": get(client, f"{D}/side-by-side?left=first&right=second")}

    assert "answered by 1 claim" in pages()["timeline"]
    response = db.session.scalar(sa.select(Response))
    response.deleted_at = NOW
    db.session.commit()
    seen = pages()
    assert "answered by" not in seen["timeline"] and "Not answered yet (1)" in seen["timeline"]
    assert "This claim answers no other claim" in seen["answer page"]
    assert "No claim answers this one yet." in seen["accusation page"]
    assert ANSWER_LINK not in seen["map"]  # it answers nothing any more: not drawn
    assert "relation-rebuts" not in seen["side by side"]
    assert 'id="claim-answer"' not in get(client, f"{D}?relation=rebuts")  # the filter follows shown responses

    db.session.expire_all()
    db.session.scalar(sa.select(Response)).deleted_at = None
    db.session.commit()
    seen = pages()
    assert "answered by 1 claim" in seen["timeline"]
    assert f"{HIDDEN} answer" in seen["accusation page"] and f"{HIDDEN} answer" in seen["map"]


def delete_statement(slug: str, when=NOW) -> None:
    db.session.expire_all()
    db.session.scalar(sa.select(Statement).filter_by(slug=slug)).deleted_at = when
    db.session.commit()


def test_a_deleted_statement_answers_410_and_hides_its_claims(client, dispute):
    delete_statement("second")
    assert "This statement was deleted" in get(client, f"{D}/statements/second", status=410)
    get(client, f"{D}/statements/nowhere", status=404)
    get(client, f"{D}/claims/answer", status=410)
    timeline = get(client, D)
    assert "Second statement" not in timeline and f"{HIDDEN} answer" not in timeline
    assert "Not answered yet (1)" in timeline and "answered by" not in timeline
    assert f"{HIDDEN} answer" not in get(client, f"{D}/claims/accusation")
    assert "Second statement" not in get(client, "/actors/answerer")
    assert f"{HIDDEN} answer" not in get(client, f"{D}/map")
    search = get(client, f"/search?q={HIDDEN}")
    assert "Second statement" not in search and "/claims/answer" not in search
    assert "1 statement, 1 claim" in " ".join(get(client, "/").split())
    assert "Second statement" not in get(client, f"{D}/side-by-side")

    delete_statement("second", None)
    get(client, f"{D}/statements/second")
    get(client, f"{D}/claims/answer")
    assert f"{HIDDEN} answer" in get(client, D)


def test_a_merged_claims_address_leads_to_the_surviving_claim(client, dispute):
    duplicate = claim("answer")
    duplicate.merged_into_id, duplicate.deleted_at = claim("accusation").id, NOW
    db.session.commit()
    response = client.get(f"{D}/claims/answer")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"{D}/claims/accusation")


def test_hidden_material_adds_no_queries(client, app):
    """The rules ride in the same queries: hiding rows changes no page's query count."""
    urls = [D, f"{D}/statements/second", f"{D}/claims/accusation", "/actors/answerer", f"{D}/map",
            f"{D}/side-by-side?left=first&right=second", f"/search?q={HIDDEN}", "/"]
    d = make.dispute("vis")
    first = make.statement(d, "first", speaker=make.actor("accuser"))
    second = make.statement(d, "second", speaker=make.actor("answerer"), text="Zebracrossing said.")
    target = make.claim(first, "accusation", kind=ClaimKind.accusation)
    db.session.commit()
    before = {url: count_queries(lambda: client.get(url)) for url in urls}
    second, target = db.session.scalar(sa.select(Statement).filter_by(slug="second")), claim("accusation")
    for i, how in enumerate(["pending", "rejected", "approved"] * 5):
        extra = make.claim(second, f"extra{i}", summary=HIDDEN, review=ReviewStatus(how), quote_start=0,
                           quote_end=13, quote_exact="Zebracrossing", quote_prefix="", quote_suffix=" said.",
                           deleted_at=NOW if how == "approved" else None)
        make.response(extra, target)
        make.evidence(target, f"https://example.org/{i}", Stance.refutes, review=ReviewStatus(how))
    db.session.commit()
    assert {url: count_queries(lambda: client.get(url)) for url in urls} == before


def test_the_history_of_hidden_material_is_for_editors_only(app, client, seeded, editor):
    """A pending claim's words, and a deleted dispute's, do not reach readers through the history."""

    claim = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-world-will-judge"))
    claim.review, claim.summary = ReviewStatus.pending, "A suggestion under review"
    db.session.add(Revision(action="create", object_type="claim", object_id=claim.id, before=None,
                            after={"summary": "A suggestion under review"}))
    dispute = db.session.scalar(sa.select(Dispute))
    db.session.commit()
    claim_history, dispute_history = f"/history/claim/{claim.id}", f"/history/dispute/{dispute.id}"

    get(client, claim_history, status=404)
    assert "A suggestion under review" not in get(client, "/changes")
    get(client, dispute_history)  # a live dispute's history is public
    sign_in(client)
    assert "A suggestion under review" in get(client, claim_history)
    assert "A suggestion under review" in get(client, "/changes")

    dispute.deleted_at = dispute.created_at
    db.session.commit()
    get(client, dispute_history)  # editors restore from here
    get(app.test_client(), dispute_history, status=404)
