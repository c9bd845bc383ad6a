"""Read functions for the statement page."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.disputes.queries import LIVE, claim_facts, claim_order
from tracker.models import Claim, Dispute, Statement, StatementAnswer

# Claim cards listed under the text; the highlights in the text link every claim.
LISTED_CLAIMS = 200


def statement_by_slugs(dispute_slug: str, slug: str) -> Statement | None:
    query = (
        sa.select(Statement)
        .join(Dispute, Dispute.id == Statement.dispute_id)
        .where(Dispute.slug == dispute_slug, LIVE, Statement.slug == slug)
        .options(
            selectinload(Statement.dispute),
            selectinload(Statement.speaker),
            selectinload(Statement.answers).selectinload(StatementAnswer.answered),
            selectinload(Statement.answered_by).selectinload(StatementAnswer.statement),
        )
    )
    return db.session.scalar(query)


def anchors_in(statement: Statement) -> list[Claim]:
    """Every claim whose quote is anchored in this text: its own quotes, and claims it reports."""
    query = sa.select(Claim.id, Claim.slug, Claim.summary, Claim.quote_start, Claim.quote_end, Claim.reconstructed).where(
        sa.or_(
            sa.and_(Claim.statement_id == statement.id, Claim.reconstructed.is_(False)),
            Claim.reported_in_id == statement.id,
        )
    )
    return list(db.session.execute(query))


def listed_claims(statement: Statement):
    """The statement's own claims in text order (the first LISTED_CLAIMS), their facts, and the total."""
    total = db.session.scalar(sa.select(sa.func.count(Claim.id)).where(Claim.statement_id == statement.id))
    query = (
        sa.select(Claim)
        .where(Claim.statement_id == statement.id)
        .order_by(*claim_order())
        .limit(LISTED_CLAIMS)
        .options(
            selectinload(Claim.reported_in),
            selectinload(Claim.verdict),
            selectinload(Claim.tags),
        )
    )
    claims = list(db.session.scalars(query))
    return claims, claim_facts(claims), total
