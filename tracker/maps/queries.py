"""Read functions for the response map: a fixed number of queries, however big the dispute."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from tracker.db import db
from tracker.disputes.queries import claim_order, statement_order
from tracker.models import Claim, Dispute, Response, Statement
from tracker.shown import CLAIM_SHOWN, RESPONSE_SHOWN, STATEMENT_SHOWN, visible_claim


def claims_and_responses(dispute: Dispute) -> tuple[list[Claim], list[Response]]:
    """The dispute's claims readers see, in reading order, each with its statement and speaker,
    and the shown responses between them."""
    claims = (
        sa.select(Claim)
        .join(Claim.statement)
        .where(Claim.dispute_id == dispute.id, CLAIM_SHOWN, STATEMENT_SHOWN)
        .order_by(*statement_order(), *claim_order())
        .options(contains_eager(Claim.statement).joinedload(Statement.speaker))
    )
    answer, target = aliased(Claim), aliased(Claim)
    responses = (
        sa.select(Response)
        .join(answer, answer.id == Response.claim_id)
        .join(target, target.id == Response.target_id)
        .where(Response.dispute_id == dispute.id, RESPONSE_SHOWN, visible_claim(answer), visible_claim(target))
        .order_by(Response.id)
    )
    return list(db.session.scalars(claims)), list(db.session.scalars(responses))
