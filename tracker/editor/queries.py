"""Read functions for editing and history."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.models import Dispute, Revision

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
