"""Deleting, restoring and undoing: changes to any object, in the history like any other."""

import datetime as dt

import sqlalchemy as sa

from tracker import history
from tracker.db import db
from tracker.models import Dispute, Revision, Role

from . import anchors, edits, merge
from .by import By
from .errors import Refused, Taken

# What editors delete and restore: content with a soft delete (not accounts, nor actors).
DELETABLE = {name: model for name, model in history.EDITABLE.items() if hasattr(model, "deleted_at")}


def delete(obj, by: By) -> None:
    by.require(Role.editor)
    edits.delete(obj, by)


def restore(obj, by: By) -> None:
    by.require(Role.editor)
    edits.restore(obj, by)


def revert(revision: Revision, by: By) -> None:
    """Undo a revision: the object goes back to how it was before it (a created one is deleted),
    unless that would break something (the message says what)."""
    by.require(Role.admin if revision.object_type == "user" else Role.editor)
    if revision.object_type == "user":
        if revision.action in ("create", "password", "token", "token-revoke"):
            raise Refused(f"an account's {revision.action} cannot be undone; edit the account instead")
        if revision.object_id == by.user_id:
            raise Refused("an admin cannot undo changes to their own account (it could lock them out)")
    if revision.object_type == "claim" and revision.action in ("merge", "merge-in"):
        merge.undo_merge(revision, by)  # moves back what the merge moved, not just the claim's columns
        return
    slug = (revision.before or {}).get("slug")
    if revision.object_type == "dispute" and slug and db.session.scalar(
        sa.select(Dispute.id).where(Dispute.slug == slug, Dispute.id != revision.object_id)
    ):
        raise Taken("slug", f'its slug "{slug}" is now used by another dispute')
    obj = db.session.get(history.EDITABLE[revision.object_type], revision.object_id)
    if obj is None:
        raise Refused("the object is no longer on record")
    before = history.snapshot(obj)
    if revision.before is None:
        if not hasattr(obj, "deleted_at"):
            raise Refused(f"creating an {revision.object_type} cannot be undone")
        obj.deleted_at = dt.datetime.now(dt.UTC)
    else:
        history.restore(obj, revision.before)
    if revision.object_type == "statement" and before.get("text") != obj.text:
        anchors.move_anchors(obj, anchors.anchored_claims(obj), by)  # or Invalid: a quote is not in the old text
    history.record("revert", obj, before, by, reason=f"reverts revision {revision.id} ({revision.action})")

