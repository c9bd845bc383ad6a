"""What the exports read of a dispute: what readers see of it, one query per kind of row, whatever its size.

The CSV tables come as row iterators, fetched in batches while the answer is being sent.
"""

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, defer

from tracker.db import db
from tracker.models import Actor, Claim, Dispute, Evidence, LinkCheck, Response, Statement, StatementAnswer, Verdict
from tracker.shown import CLAIM_SHOWN, EVIDENCE_SHOWN, RESPONSE_SHOWN, STATEMENT_SHOWN, VERDICT_SHOWN, claim_shown

BATCH = 1000  # rows fetched at a time for a CSV table
ANSWER, TARGET = aliased(Claim, name="answer"), aliased(Claim, name="target")
ANSWER_STATEMENT, TARGET_STATEMENT = aliased(Statement, name="answer_statement"), aliased(Statement, name="target_statement")
ANSWERED = aliased(Statement, name="answered")


def statements(dispute: Dispute) -> list[Statement]:
    """The statements readers see, in date order, with their speakers (not their texts)."""
    query = (
        sa.select(Statement).join(Actor, Actor.id == Statement.speaker_id)
        .where(Statement.dispute_id == dispute.id, STATEMENT_SHOWN)
        .options(contains_eager(Statement.speaker), defer(Statement.text))
        .order_by(Statement.date.is_(None), Statement.date, Statement.id)
    )
    return list(db.session.scalars(query))


def claim_rows(dispute: Dispute) -> sa.Select:
    """Claims readers see, with their statement's slug and speaker and their verdict, in statement order."""
    return (
        sa.select(Claim.id, Claim.slug, Claim.summary, Claim.kind, Claim.quote_exact, Claim.reconstructed,
                  Claim.statement_id, Statement.slug.label("statement_slug"), Statement.date, Statement.date_precision,
                  Actor.name.label("speaker"), Verdict.rating)
        .join(Statement, Statement.id == Claim.statement_id)
        .join(Actor, Actor.id == Statement.speaker_id)
        .outerjoin(Verdict, sa.and_(Verdict.claim_id == Claim.id, VERDICT_SHOWN))
        .where(Claim.dispute_id == dispute.id, CLAIM_SHOWN, STATEMENT_SHOWN)
        .order_by(Statement.date.is_(None), Statement.date, Statement.id, Claim.quote_start.is_(None),
                  Claim.quote_start, Claim.id)
    )


def response_rows(dispute: Dispute) -> sa.Select:
    """Responses readers see: shown, between two claims readers see."""
    return (
        sa.select(Response.id, Response.relation, ANSWER.id.label("answer_id"), ANSWER.slug.label("answer_slug"),
                  TARGET.id.label("target_id"), TARGET.slug.label("target_slug"))
        .join(ANSWER, ANSWER.id == Response.claim_id)
        .join(ANSWER_STATEMENT, ANSWER_STATEMENT.id == ANSWER.statement_id)
        .join(TARGET, TARGET.id == Response.target_id)
        .join(TARGET_STATEMENT, TARGET_STATEMENT.id == TARGET.statement_id)
        .where(Response.dispute_id == dispute.id, RESPONSE_SHOWN, claim_shown(ANSWER), claim_shown(TARGET),
               ANSWER_STATEMENT.deleted_at.is_(None), TARGET_STATEMENT.deleted_at.is_(None))
        .order_by(Response.id)
    )


def evidence_rows(dispute: Dispute) -> sa.Select:
    """Evidence readers see, on claims readers see."""
    return (
        sa.select(Evidence.id, Claim.slug.label("claim_slug"), Evidence.stance, Evidence.url, Evidence.title,
                  Evidence.publisher, Evidence.date, Evidence.excerpt, Evidence.archived_url, LinkCheck.status,
                  LinkCheck.error, LinkCheck.redirects, LinkCheck.final_url, LinkCheck.checked_at)
        .join(Claim, Claim.id == Evidence.claim_id)
        # The link's last check, while it is about the link as it is now (an edited link was not checked yet).
        .outerjoin(LinkCheck, sa.and_(LinkCheck.evidence_id == Evidence.id, LinkCheck.url == Evidence.url))
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.dispute_id == dispute.id, EVIDENCE_SHOWN, CLAIM_SHOWN, STATEMENT_SHOWN)
        .order_by(Claim.id, Evidence.id)
    )


def statement_answers(dispute: Dispute) -> list[tuple[int, int]]:
    """(answering statement id, answered statement id), both shown."""
    query = (
        sa.select(StatementAnswer.statement_id, StatementAnswer.answered_id)
        .join(Statement, Statement.id == StatementAnswer.statement_id)
        .join(ANSWERED, ANSWERED.id == StatementAnswer.answered_id)
        .where(StatementAnswer.dispute_id == dispute.id, STATEMENT_SHOWN, ANSWERED.deleted_at.is_(None))
        .order_by(StatementAnswer.statement_id, StatementAnswer.answered_id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def claims_per_statement(dispute: Dispute) -> dict[int, int]:
    query = (sa.select(Claim.statement_id, sa.func.count()).where(Claim.dispute_id == dispute.id, CLAIM_SHOWN)
             .group_by(Claim.statement_id))
    return dict(db.session.execute(query).all())


def everything(query: sa.Select) -> list:
    """The rows of a query of columns, straight from the connection: no ORM work per row."""
    return list(db.session.connection().execute(query))


def streamed(query: sa.Select) -> Iterator:
    """The rows, fetched BATCH at a time (a server-side cursor on PostgreSQL)."""
    yield from db.session.connection().execute(query.execution_options(yield_per=BATCH))
