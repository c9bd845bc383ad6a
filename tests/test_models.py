"""Every rule of the model is kept by the database itself, not only by Python."""

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker.db import db
from tracker.models import (
    Claim, DatePrecision, Evidence, Rating, Relation, Stance, StatementAnswer, Verdict, VerdictEvidence, format_date,
)

from . import factories as make


def refused(*rows):
    """Flushing these rows must fail in the database; the session is left usable."""
    with pytest.raises(IntegrityError):
        db.session.add_all(rows)
        db.session.flush()
    db.session.rollback()


def raw_refused(sql: str, **params):
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text(sql), params)
        db.session.flush()
    db.session.rollback()


def test_valid_rows_are_accepted(app):
    d = make.dispute()
    accusation = make.claim(make.statement(d, "s1"), "accusation")
    answer = make.claim(make.statement(d, "s2"), "answer")
    make.response(answer, accusation)
    db.session.commit()
    assert [r.target.slug for r in answer.responses] == ["accusation"]
    assert [r.claim.slug for r in accusation.answered_by] == ["answer"]


def test_dispute_slugs_are_unique(app):
    make.dispute("same")
    db.session.flush()
    refused(make.dispute("same"))


def test_actor_slugs_are_unique(app):
    make.actor("same")
    db.session.flush()
    raw_refused("INSERT INTO actor (slug, name, kind) VALUES ('same', 'Again', 'person')")


def test_statement_slug_is_unique_within_a_dispute_only(app):
    first, second = make.dispute("one"), make.dispute("two")
    make.statement(first, "s")
    make.statement(second, "s")  # same slug, other dispute: fine
    db.session.flush()
    refused(make.statement(first, "s"))


def test_claim_slug_is_unique_within_a_dispute(app):
    s = make.statement(make.dispute())
    make.claim(s, "c")
    db.session.flush()
    refused(make.claim(s, "c"))


def test_claim_cannot_respond_to_itself(app):
    c = make.claim(make.statement(make.dispute()))
    refused(make.response(c, c))


def test_one_response_per_claim_and_target(app):
    s = make.statement(make.dispute())
    a, b = make.claim(s, "a"), make.claim(s, "b")
    make.response(b, a, Relation.rebuts)
    db.session.flush()
    refused(make.response(b, a, Relation.qualifies))


def test_response_target_must_be_in_the_same_dispute(app):
    here = make.claim(make.statement(make.dispute("here")), "here")
    there = make.claim(make.statement(make.dispute("there")), "there")
    db.session.commit()
    # Claiming the answer's dispute for a target that lives elsewhere...
    refused(make.response(here, there))
    # ...or the target's dispute for an answer that lives elsewhere.
    raw_refused(
        "INSERT INTO response (dispute_id, claim_id, target_id, relation, created_at) "
        "VALUES (:d, :c, :t, 'rebuts', CURRENT_TIMESTAMP)",
        d=there.dispute_id, c=here.id, t=there.id,
    )


def test_claim_statement_must_be_in_the_claims_dispute(app):
    s = make.statement(make.dispute("one"))
    other = make.dispute("two")
    db.session.flush()
    refused(Claim(dispute_id=other.id, statement_id=s.id, slug="c", summary="x", kind="assertion",
                  quote_start=0, quote_end=4, quote_exact="Some", quote_prefix="", quote_suffix=" words"))


def test_reported_in_must_be_in_the_claims_dispute(app):
    speech = make.statement(make.dispute("one"), "speech", text=None)
    elsewhere = make.statement(make.dispute("two"), "elsewhere")
    refused(make.claim(speech, reconstructed=True, reported_in_id=elsewhere.id))


@pytest.mark.parametrize(
    "fields",
    [
        {"quote_prefix": None},  # an anchor is all or nothing
        {"quote_start": 5, "quote_end": 5},  # empty span
        {"quote_start": -1},
        {"reconstructed": True},  # reconstructed, not reported: no quote allowed
    ],
    ids=["partial-anchor", "empty-span", "negative-start", "reconstructed-with-quote"],
)
def test_broken_anchors_are_refused(app, fields):
    refused(make.claim(make.statement(make.dispute()), **fields))


def test_verbatim_claim_needs_a_quote(app):
    s = make.statement(make.dispute())
    refused(make.claim(s, **dict.fromkeys(["quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix"])))


def test_reported_in_only_for_reconstructed_claims(app):
    d = make.dispute()
    speech, release = make.statement(d, "speech", text=None), make.statement(d, "release")
    db.session.flush()
    refused(make.claim(speech, reported_in_id=release.id))


def test_reconstructed_claims_without_and_with_a_report(app):
    d = make.dispute()
    speech, release = make.statement(d, "speech", text=None), make.statement(d, "release")
    db.session.flush()
    unreported = make.claim(speech, "unreported", reconstructed=True,
                            **dict.fromkeys(["quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix"]))
    reported = make.claim(speech, "reported", reconstructed=True, reported_in_id=release.id)
    db.session.commit()
    assert unreported.anchor_statement is None
    assert reported.anchor_statement is release and reported.is_reported


def test_statement_date_needs_its_precision(app):
    refused(make.statement(make.dispute(), date_precision=None))
    refused(make.statement(make.dispute(), date=None))


def test_statement_source_must_be_http(app):
    refused(make.statement(make.dispute(), source_url="javascript:alert(1)"))


def test_statement_cannot_answer_itself_or_another_dispute(app):
    one, two = make.dispute("one"), make.dispute("two")
    s, t, elsewhere = make.statement(one, "s"), make.statement(one, "t"), make.statement(two, "x")
    db.session.commit()
    refused(StatementAnswer(statement_id=s.id, answered_id=s.id, dispute_id=one.id))
    refused(StatementAnswer(statement_id=s.id, answered_id=elsewhere.id, dispute_id=one.id))
    db.session.add(StatementAnswer(statement_id=t.id, answered_id=s.id, dispute_id=one.id))
    db.session.commit()
    assert [a.answered.slug for a in t.answers] == ["s"]


def test_evidence_url_is_http_and_unique_per_claim(app):
    c = make.claim(make.statement(make.dispute()))
    db.session.flush()

    def evidence(url):
        return Evidence(claim_id=c.id, url=url, title="t", stance=Stance.supports)

    db.session.add(evidence("https://example.org/a"))
    db.session.flush()
    refused(evidence("https://example.org/a"))
    refused(evidence("data:text/html,<script>alert(1)</script>"))


def test_enum_columns_refuse_unknown_values(app):
    make.dispute()
    db.session.flush()
    raw_refused("INSERT INTO dispute (slug, title, summary, status, created_at, updated_at) "
                "VALUES ('x', 'x', '', 'frozen', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")


def test_foreign_keys_are_enforced(app):
    raw_refused("INSERT INTO dispute_tag (dispute_id, name) VALUES (12345, 'orphan')")


@pytest.mark.parametrize(
    "date, precision, label",
    [
        (dt.date(2020, 1, 22), DatePrecision.day, "22 January 2020"),
        (dt.date(2020, 1, 1), DatePrecision.month, "January 2020"),
        (dt.date(2020, 1, 1), DatePrecision.year, "2020"),
        (None, None, "date unknown"),
    ],
)
def test_dates_read_as_precisely_as_they_are_known(date, precision, label):
    assert format_date(date, precision) == label


def test_one_verdict_per_claim_resting_on_that_claims_evidence_only(app):
    s = make.statement(make.dispute())
    judged, other = make.claim(s, "judged"), make.claim(s, "other")
    db.session.flush()
    own = Evidence(claim_id=judged.id, url="https://example.org/own", title="own", stance=Stance.refutes)
    foreign = Evidence(claim_id=other.id, url="https://example.org/foreign", title="foreign", stance=Stance.refutes)
    verdict = Verdict(claim_id=judged.id, rating=Rating.false, explanation="Because.")
    db.session.add_all([own, foreign, verdict])
    db.session.commit()

    db.session.add(VerdictEvidence(verdict_id=verdict.id, evidence_id=own.id, claim_id=judged.id))
    db.session.commit()
    assert [e.title for e in db.session.get(Verdict, verdict.id).evidence] == ["own"]
    assert judged.verdict.rating is Rating.false

    refused(VerdictEvidence(verdict_id=verdict.id, evidence_id=foreign.id, claim_id=judged.id))
    refused(VerdictEvidence(verdict_id=verdict.id, evidence_id=foreign.id, claim_id=other.id))
    refused(Verdict(claim_id=judged.id, rating=Rating.true, explanation="A second verdict."))
