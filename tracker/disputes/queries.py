"""Read functions for the dispute pages; each loads all its page walks."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.models import Claim, Dispute, Response, Statement, StatementAnswer


def disputes_by_activity() -> list[tuple[Dispute, int, int]]:
    """Every dispute, latest activity first, with its statement and claim counts."""
    statements = (
        sa.select(sa.func.count(Statement.id)).where(Statement.dispute_id == Dispute.id).scalar_subquery()
    )
    claims = sa.select(sa.func.count(Claim.id)).where(Claim.dispute_id == Dispute.id).scalar_subquery()
    query = (
        sa.select(Dispute, statements, claims)
        .options(selectinload(Dispute.tags))
        .order_by(Dispute.updated_at.desc(), Dispute.id.desc())
    )
    return [tuple(row) for row in db.session.execute(query)]


def dispute_by_slug(slug: str) -> Dispute | None:
    return db.session.scalar(sa.select(Dispute).where(Dispute.slug == slug).options(selectinload(Dispute.tags)))


def statements_with_claims(dispute: Dispute) -> list[Statement]:
    """The dispute's statements in date order (undated last), each with its claims and their links."""
    query = (
        sa.select(Statement)
        .where(Statement.dispute_id == dispute.id)
        .order_by(Statement.date.is_(None), Statement.date, Statement.id)
        .options(
            selectinload(Statement.speaker),
            selectinload(Statement.answers).selectinload(StatementAnswer.answered),
            selectinload(Statement.answered_by).selectinload(StatementAnswer.statement),
            selectinload(Statement.claims).options(
                selectinload(Claim.reported_in),
                selectinload(Claim.evidence),
                selectinload(Claim.responses).selectinload(Response.target),
                selectinload(Claim.answered_by).selectinload(Response.claim),
            ),
        )
    )
    return list(db.session.scalars(query))
