"""Write functions for editors; they record history and never commit."""

import sqlalchemy as sa

from tracker import history
from tracker.db import db, utcnow
from tracker.models import Dispute, DisputeTag


class Conflict(Exception):
    """The object changed since the form was loaded."""

    def __init__(self, current: dict):
        super().__init__("changed since the form was loaded")
        self.current = current


class Refused(ValueError):
    """A change that must not be made; the message says why."""


class Taken(Refused):
    """Another object already has this slug."""


def save_dispute(dispute: Dispute | None, form) -> Dispute:
    """Create a dispute, or update it if the form was loaded at its current version."""
    slug = form.slug.data
    others = sa.select(Dispute.id).where(Dispute.slug == slug)
    if dispute is not None:
        others = others.where(Dispute.id != dispute.id)
    if db.session.scalar(others):
        raise Taken(f'the slug "{slug}" is already used by another dispute')
    before = None
    if dispute is None:
        dispute = Dispute()
        db.session.add(dispute)
    else:
        if dispute.version != form.version.data:
            raise Conflict(history.snapshot(dispute))
        before = history.snapshot(dispute)
    dispute.slug, dispute.title = slug, form.title.data.strip()
    dispute.summary, dispute.status = (form.summary.data or "").strip(), form.status.data
    if dispute.tag_names != form.tag_list():
        dispute.tags = [DisputeTag(name=name) for name in form.tag_list()]
    if before is None or history.snapshot(dispute) != before:
        dispute.updated_at = utcnow()
        history.record("create" if before is None else "edit", dispute, before)
    return dispute


def delete(obj) -> None:
    before = history.snapshot(obj)
    obj.deleted_at = utcnow()
    history.record("delete", obj, before)


def restore(obj) -> None:
    before = history.snapshot(obj)
    obj.deleted_at = None
    history.record("restore", obj, before)



def revert(revision, actor) -> None:
    """Undo a revision, unless that would break something (the message says what)."""
    if revision.object_type == "user":
        if revision.action in ("create", "password"):
            raise Refused(f"an account's {revision.action} cannot be undone; edit the account instead")
        if revision.object_id == actor.id:
            raise Refused("an admin cannot undo changes to their own account (it could lock them out)")
    slug = (revision.before or {}).get("slug")
    if slug and db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == slug, Dispute.id != revision.object_id)):
        raise Taken(f'its slug "{slug}" is now used by another dispute')
    history.revert(revision)
