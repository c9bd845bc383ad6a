"""Read functions for editing and history."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker import history
from tracker.db import db
from tracker.disputes.queries import TARGET, visible_claim
from tracker.models import Claim, Dispute, Evidence, Response, Revision, Statement, Verdict
from tracker.shown import CLAIM_SHOWN, EVIDENCE_SHOWN, LIVE, RESPONSE_SHOWN, STATEMENT_SHOWN

CHANGES_PER_PAGE = 50


def dispute_with_deleted(slug: str) -> Dispute | None:
    """A dispute by slug, deleted or not (editors restore deleted ones)."""
    return db.session.scalar(sa.select(Dispute).where(Dispute.slug == slug).options(selectinload(Dispute.tags)))


def revisions_of(object_type: str, object_id: int) -> list[Revision]:
    query = (
        sa.select(Revision).where(Revision.object_type == object_type, Revision.object_id == object_id)
        .order_by(Revision.id.desc()).options(selectinload(Revision.user))
    )
    return list(db.session.scalars(query))


def recent_changes(before_id: int | None, with_accounts: bool) -> tuple[list[Revision], int | None]:
    """The latest revisions site-wide (keyset on id), and where the next page starts."""
    query = sa.select(Revision).order_by(Revision.id.desc()).limit(CHANGES_PER_PAGE + 1).options(selectinload(Revision.user))
    if not with_accounts:
        query = query.where(Revision.object_type != "user")
    if before_id is not None:
        query = query.where(Revision.id < before_id)
    rows = list(db.session.scalars(query))
    more = len(rows) > CHANGES_PER_PAGE
    rows = rows[:CHANGES_PER_PAGE]
    return rows, rows[-1].id if more else None


def shown_ids(object_type: str, ids: set[int]) -> set[int]:
    """Those ids whose object readers see: histories of the rest are for editors only."""
    if not ids or object_type not in SHOWN_QUERIES:
        return set()
    return set(db.session.scalars(SHOWN_QUERIES[object_type]().where(history.EDITABLE[object_type].id.in_(ids))))


def claims_seen(query):
    """The query (joined to Claim) narrowed to claims readers see, in live disputes."""
    return (query.join(Statement, Statement.id == Claim.statement_id).join(Dispute, Dispute.id == Claim.dispute_id)
            .where(CLAIM_SHOWN, STATEMENT_SHOWN, LIVE))


SHOWN_QUERIES = {
    "dispute": lambda: sa.select(Dispute.id).where(LIVE),
    "statement": lambda: sa.select(Statement.id).join(Dispute).where(STATEMENT_SHOWN, LIVE),
    "claim": lambda: claims_seen(sa.select(Claim.id)),
    "evidence": lambda: claims_seen(sa.select(Evidence.id).join(Claim, Claim.id == Evidence.claim_id)).where(EVIDENCE_SHOWN),
    "verdict": lambda: claims_seen(sa.select(Verdict.id).join(Claim, Claim.id == Verdict.claim_id))
    .where(Verdict.deleted_at.is_(None)),
    "response": lambda: claims_seen(sa.select(Response.id).join(Claim, Claim.id == Response.claim_id))
    .join(TARGET, TARGET.id == Response.target_id).where(RESPONSE_SHOWN, visible_claim(TARGET)),
}


def seen_by_readers(revisions: list[Revision]) -> list[Revision]:
    """The revisions of objects readers see (one query per kind of object on the page)."""
    wanted: dict[str, set[int]] = {}
    for revision in revisions:
        wanted.setdefault(revision.object_type, set()).add(revision.object_id)
    shown = {(kind, i) for kind, ids in wanted.items() for i in shown_ids(kind, ids)}
    return [r for r in revisions if (r.object_type, r.object_id) in shown]
