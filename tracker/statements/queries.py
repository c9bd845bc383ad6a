"""Read functions for the statement page."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.disputes.queries import claim_facts, claim_order, statement_link_options
from tracker.models import Claim, Correction, Dispute, LinkCheck, Statement
from tracker.shown import CLAIM_SHOWN, LIVE, STATEMENT_SHOWN

# Claim cards listed under the text; the highlights in the text link every claim.
LISTED_CLAIMS = 200


def statement_by_slugs(dispute_slug: str, slug: str) -> Statement | None:
    query = (
        sa.select(Statement)
        .join(Dispute, Dispute.id == Statement.dispute_id)
        .where(Dispute.slug == dispute_slug, LIVE, Statement.slug == slug, STATEMENT_SHOWN)
        .options(
            selectinload(Statement.dispute),
            selectinload(Statement.speaker),
            *statement_link_options(),
        )
    )
    return db.session.scalar(query)


def deleted_statement_id(dispute_slug: str, slug: str) -> int | None:
    query = (
        sa.select(Statement.id).join(Dispute, Dispute.id == Statement.dispute_id)
        .where(Dispute.slug == dispute_slug, LIVE, Statement.slug == slug, Statement.deleted_at.is_not(None))
    )
    return db.session.scalar(query)


def anchors_in(statement: Statement) -> list[Claim]:
    """Every claim readers see whose quote is anchored in this text: its own quotes, and claims it reports."""
    query = (
        sa.select(Claim.id, Claim.slug, Claim.summary, Claim.quote_start, Claim.quote_end, Claim.reconstructed)
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.quoted_from(statement.id), CLAIM_SHOWN, STATEMENT_SHOWN)
        .order_by(Claim.quote_start, Claim.quote_end.desc(), Claim.id)  # reading order: each quote's number
    )
    return list(db.session.execute(query))


def listed_claims(statement: Statement):
    """The statement's own claims in text order (the first LISTED_CLAIMS), their facts, and the total."""
    total = db.session.scalar(sa.select(sa.func.count(Claim.id)).where(Claim.statement_id == statement.id, CLAIM_SHOWN))
    query = (
        sa.select(Claim)
        .where(Claim.statement_id == statement.id, CLAIM_SHOWN)
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


def corrections_of(statement: Statement) -> list[Correction]:
    """The public corrections of the statement's text, newest first."""
    query = (
        sa.select(Correction).where(Correction.object_type == "statement", Correction.object_id == statement.id)
        .order_by(Correction.created_at.desc(), Correction.id.desc())
    )
    return list(db.session.scalars(query))


def source_check(statement: Statement) -> LinkCheck | None:
    """The last check of the statement's source, while it is about the source as it is now (one query,
    asked even without a source, so the page's query count does not vary)."""
    check = db.session.scalar(sa.select(LinkCheck).where(LinkCheck.statement_id == statement.id))
    return check if check is not None and check.url == statement.source_url else None
