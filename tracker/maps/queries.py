"""Read functions for the response map: a fixed number of queries, however big the dispute."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from tracker.db import db
from tracker.disputes.queries import claim_order, statement_order
from tracker.models import Claim, Dispute, Response, Statement


def claims_and_responses(dispute: Dispute) -> tuple[list[Claim], list[Response]]:
    """The dispute's claims in reading order, each with its statement and speaker, and all its responses."""
    claims = (
        sa.select(Claim)
        .join(Claim.statement)
        .where(Claim.dispute_id == dispute.id)
        .order_by(*statement_order(), *claim_order())
        .options(contains_eager(Claim.statement).joinedload(Statement.speaker))
    )
    responses = sa.select(Response).where(Response.dispute_id == dispute.id).order_by(Response.id)
    return list(db.session.scalars(claims)), list(db.session.scalars(responses))
