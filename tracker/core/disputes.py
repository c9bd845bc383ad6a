"""Disputes: created and edited by editors, or by an import."""

from collections.abc import Iterable

import sqlalchemy as sa

from tracker import history, rules
from tracker.db import db, utcnow
from tracker.models import Dispute, DisputeStatus, DisputeTag, Role

from . import edits
from .by import By
from .edits import assign, checked
from .errors import Taken


def save_dispute(dispute: Dispute | None, *, slug: str, title: str, summary: str | None = None,
                 status: DisputeStatus | str = DisputeStatus.open, tags: Iterable[str] | str = (), by: By,
                 version: int | None = None) -> Dispute:
    """Create a dispute, or update it if it is still at `version` (None: no check)."""
    by.require(Role.editor)
    values = {
        "slug": checked("slug", rules.slug, slug),
        "title": checked("title", rules.one_line, title, rules.LIMITS["title"], required=True),
        "summary": checked("summary", rules.free_text, summary, rules.LIMITS["dispute_summary"]) or "",
        "status": checked("status", rules.choice, status, DisputeStatus),
    }
    names = checked("tags", rules.tags, tags)
    others = sa.select(Dispute.id).where(Dispute.slug == values["slug"])
    if dispute is not None:
        others = others.where(Dispute.id != dispute.id)
    if db.session.scalar(others):
        raise Taken("slug", f'the slug "{values["slug"]}" is already used by another dispute')
    before = None
    if dispute is None:
        dispute = Dispute()
        db.session.add(dispute)
    else:
        before = edits.loaded_at(dispute, version)
    assign(dispute, values)
    if dispute.tag_names != names:
        dispute.tags = [DisputeTag(name=name) for name in names]
    if before is None or history.snapshot(dispute) != before:
        dispute.updated_at = utcnow()
        history.record("create" if before is None else "edit", dispute, before, by)
    return dispute


def touch(dispute: Dispute) -> None:
    """The dispute's latest activity is now (the index lists disputes by it)."""
    dispute.updated_at = utcnow()
