"""Read functions for editing and history."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from tracker import history
from tracker.db import db
from tracker.disputes.queries import TARGET, claim_order, statement_order
from tracker.models import Actor, Claim, Dispute, Evidence, Response, Revision, Statement, Verdict
from tracker.paging import keyset_page
from tracker.shown import (
    CLAIM_SHOWN,
    EVIDENCE_SHOWN,
    LIVE,
    RESPONSE_SHOWN,
    STATEMENT_SHOWN,
    VERDICT_SHOWN,
    visible_claim,
)

CHANGES_PER_PAGE = 50


# ---- what the forms load -----------------------------------------------------------------

def statement_in(dispute: Dispute, slug: str) -> Statement | None:
    """A statement of the dispute by slug, deleted or not (editors edit what they may restore)."""
    query = (sa.select(Statement).where(Statement.dispute_id == dispute.id, Statement.slug == slug)
             .options(selectinload(Statement.answers)))
    return db.session.scalar(query)


def claim_in(dispute: Dispute, slug: str) -> Claim | None:
    """A claim of the dispute by slug, whatever its review or deletion (editors edit them all)."""
    query = (sa.select(Claim).where(Claim.dispute_id == dispute.id, Claim.slug == slug)
             .options(selectinload(Claim.tags), selectinload(Claim.statement), selectinload(Claim.reported_in)))
    return db.session.scalar(query)


def shown_claim_in(dispute_id: int, claim_id: int | None) -> Claim | None:
    """A claim of the dispute that readers see (what the pickers offer), by id."""
    if claim_id is None:
        return None
    return db.session.scalar(
        sa.select(Claim).join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.id == claim_id, Claim.dispute_id == dispute_id, CLAIM_SHOWN, STATEMENT_SHOWN)
    )


def claims_to_pick(dispute_id: int, but: int | None = None) -> list[Claim]:
    """The dispute's claims readers see (but one), in reading order, with statement and speaker: a picker's list."""
    query = (
        sa.select(Claim).join(Claim.statement)
        .where(Claim.dispute_id == dispute_id, Claim.id != (but or -1), CLAIM_SHOWN, STATEMENT_SHOWN)
        .order_by(*statement_order(), *claim_order())
        .options(contains_eager(Claim.statement).joinedload(Statement.speaker))
    )
    return list(db.session.scalars(query))


def all_actors() -> list[Actor]:
    return list(db.session.scalars(sa.select(Actor).order_by(Actor.name, Actor.id)))


def other_statements(dispute: Dispute, statement: Statement | None) -> list[Statement]:
    """The dispute's statements but this one, deleted ones too, in reading order (what it may answer)."""
    query = (sa.select(Statement).where(Statement.dispute_id == dispute.id,
                                        Statement.id != (statement.id if statement else -1))
             .order_by(*statement_order()).options(selectinload(Statement.speaker)))
    return list(db.session.scalars(query))


def shown_claim(dispute_slug: str, slug: str) -> Claim | None:
    """A claim readers see (approved, not deleted, not merged away) in a live dispute."""
    query = (
        sa.select(Claim)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Dispute.slug == dispute_slug, LIVE, Claim.slug == slug, CLAIM_SHOWN, STATEMENT_SHOWN)
        .options(selectinload(Claim.statement).selectinload(Statement.dispute), selectinload(Claim.evidence))
    )
    return db.session.scalar(query)


def evidence_in(dispute_slug: str, evidence_id: int) -> Evidence | None:
    """Evidence (not deleted) on a shown claim of the live dispute."""
    query = (
        sa.select(Evidence)
        .join(Claim, Claim.id == Evidence.claim_id)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Evidence.id == evidence_id, Evidence.deleted_at.is_(None), Dispute.slug == dispute_slug, LIVE,
               CLAIM_SHOWN, STATEMENT_SHOWN)
        .options(selectinload(Evidence.claim).selectinload(Claim.statement).selectinload(Statement.dispute))
    )
    return db.session.scalar(query)


def live_claim(dispute_slug: str, slug: str) -> Claim | None:
    """A claim not deleted nor merged, in a live dispute (pending claims may be merged too)."""
    query = (
        sa.select(Claim).join(Dispute, Dispute.id == Claim.dispute_id)
        .where(Dispute.slug == dispute_slug, LIVE, Claim.slug == slug, Claim.deleted_at.is_(None))
        .options(joinedload(Claim.statement).joinedload(Statement.dispute))
    )
    return db.session.scalar(query)


# ---- history ---------------------------------------------------------------------------------


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
    query = sa.select(Revision).options(selectinload(Revision.user))
    if not with_accounts:
        query = query.where(Revision.object_type != "user")
    rows, key = keyset_page(query, (Revision.id,), (before_id,) if before_id else None, CHANGES_PER_PAGE,
                            key=lambda revision: (revision.id,))
    return rows, key[0] if key else None


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
    .where(VERDICT_SHOWN),
    "actor": lambda: sa.select(Actor.id),  # actors' pages are public
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
