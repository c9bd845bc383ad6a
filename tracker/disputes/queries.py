"""Read functions for the dispute pages; each loads everything its page walks.

The timeline's own (reading order, pages) are in timeline.py, a claim card's facts in cards.py, the orders in
order.py; other features reach them through this module too.
"""

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.models import (
    Actor,
    Claim,
    ClaimKind,
    ClaimTag,
    Dispute,
    Response,
    Statement,
    StatementAnswer,
)
from tracker.shown import CLAIM_SHOWN, LIVE, RESPONSE_SHOWN, STATEMENT_SHOWN, visible_claim

from .cards import TARGET, ClaimFacts, claim_facts, shown_response_between, statement_link_options  # noqa: F401
from .order import LAST_DAY, claim_order, statement_order  # noqa: F401
from .timeline import PAGE_CLAIMS, PAGE_STATEMENTS, Cursor, Filters, TimelinePage, timeline_page  # noqa: F401


DISPUTE_BY_SLUG = sa.select(Dispute).where(Dispute.slug == sa.bindparam("slug"), LIVE).options(selectinload(Dispute.tags))


def dispute_by_slug(slug: str) -> Dispute | None:
    return db.session.scalar(DISPUTE_BY_SLUG, {"slug": slug})


def deleted_dispute_id(slug: str) -> int | None:
    return db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == slug, Dispute.deleted_at.is_not(None)))


def actor_by_slug(slug: str) -> Actor | None:
    return db.session.scalar(sa.select(Actor).where(Actor.slug == slug))


def unanswered_accusation() -> sa.ColumnElement[bool]:
    """A shown accusation claim no response addresses yet.

    An accusation answered only by claims readers do not see is still unanswered.
    """
    return sa.and_(
        Claim.kind == ClaimKind.accusation,
        CLAIM_SHOWN,
        ~shown_response_between(Response.target_id == Claim.id, Response.claim_id),
    )


# Built once (its EXISTS cost more to build than to run), the dispute and the limit bound per call.
UNANSWERED_ACCUSATIONS = (
    sa.select(Claim, sa.func.count().over().label("total"))
    .join(Claim.statement)
    .where(Claim.dispute_id == sa.bindparam("dispute_id"), unanswered_accusation(), STATEMENT_SHOWN)
    .order_by(*statement_order(), *claim_order())
    .limit(sa.bindparam("limit", type_=sa.Integer))
    .options(sa.orm.contains_eager(Claim.statement))
)


def unanswered_accusations(dispute: Dispute, limit: int = 50) -> tuple[list[Claim], int]:
    """Accusation claims no response addresses yet (the first `limit`), and how many in all."""
    rows = db.session.execute(UNANSWERED_ACCUSATIONS, {"dispute_id": dispute.id, "limit": limit}).all()
    return [claim for claim, _ in rows], rows[0].total if rows else 0


CLAIM_TAGS = (
    sa.select(ClaimTag.name).join(Claim, Claim.id == ClaimTag.claim_id)
    .where(Claim.dispute_id == sa.bindparam("dispute_id"), visible_claim()).distinct().order_by(ClaimTag.name)
)


def claim_tags(dispute: Dispute) -> list[str]:
    """The topics the dispute's claims are tagged with."""
    return list(db.session.scalars(CLAIM_TAGS, {"dispute_id": dispute.id}))


def statement_pair(dispute: Dispute, left_slug: str | None, right_slug: str | None):
    """Two statements to set side by side: the ones named, or the first answered one and its first answer."""
    statements = {
        s.slug: s
        for s in db.session.scalars(
            sa.select(Statement).where(Statement.dispute_id == dispute.id, STATEMENT_SHOWN).order_by(*statement_order())
            .options(selectinload(Statement.speaker),
                     selectinload(Statement.answered_by.and_(StatementAnswer.statement.has(STATEMENT_SHOWN))))
        )
    }
    left = statements.get(left_slug) if left_slug else next((s for s in statements.values() if s.answered_by), None)
    right = statements.get(right_slug) if right_slug else None
    if right is None and left is not None and not right_slug and left.answered_by:
        first_answer = left.answered_by[0].statement_id
        right = next(s for s in statements.values() if s.id == first_answer)
    return list(statements.values()), left, right


def side_by_side(left: Statement, right: Statement):
    """Rows of (left claim, [(relation, right claim)]) and the right claims answering nothing on the left."""
    left_claims = list(
        db.session.scalars(sa.select(Claim).where(Claim.statement_id == left.id, CLAIM_SHOWN).order_by(*claim_order()))
    )
    right_claims = list(
        db.session.scalars(
            sa.select(Claim).where(Claim.statement_id == right.id, CLAIM_SHOWN).order_by(*claim_order())
            .options(selectinload(Claim.responses.and_(RESPONSE_SHOWN)))
        )
    )
    answers: dict[int, list] = defaultdict(list)
    linked = set()
    left_ids = {c.id for c in left_claims}
    for claim in right_claims:
        for response in claim.responses:
            if response.target_id in left_ids:
                answers[response.target_id].append((response.relation, claim))
                linked.add(claim.id)
    rows = [(claim, answers.get(claim.id, [])) for claim in left_claims]
    return rows, [c for c in right_claims if c.id not in linked]
