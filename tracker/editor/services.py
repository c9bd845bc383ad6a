"""Write functions for editors; they record history and never commit."""

import sqlalchemy as sa

from tracker import history
from tracker.db import db, utcnow
from tracker.models import Correction, Dispute, DisputeTag, Revision


class Conflict(Exception):
    """The object changed since the form was loaded."""

    def __init__(self, obj):
        super().__init__("changed since the form was loaded")
        self.current, self.version = history.snapshot(obj), obj.version


class Refused(ValueError):
    """A change that must not be made; the message says why."""


class Invalid(Refused):
    """A field's value cannot be saved: the form shows the message by that field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Taken(Invalid):
    """Another object already has this slug."""

    def __init__(self, message: str):
        super().__init__("slug", message)


# Published wording: changing it on an object readers see is a correction they are told about.
WORDING = {"claim": {"summary", "quote_exact"}, "verdict": {"rating", "explanation", "evidence"},
           "statement": {"text"}}


def loaded_at(obj, form) -> dict:
    """The object's content before the edit; Conflict if the form was loaded at another version."""
    if obj.version != form.version.data:
        raise Conflict(obj)
    return history.snapshot(obj)


def record_edit(obj, before: dict, form, *, dispute_id: int, published: bool) -> Revision | None:
    """Record an edit (nothing if nothing changed), with a public correction when the form names one.

    Changing the published wording of something readers see needs a kind of change and a reason.
    """
    after = history.snapshot(obj)
    if after == before:
        return None
    kind = getattr(form, "change_kind", None) and form.change_kind.data
    changed = {key for key in after if before.get(key) != after.get(key)}
    rewords = published and bool(changed & WORDING.get(history.object_type(obj), set()))
    if rewords and not kind:
        raise Invalid("change_kind", "this changes published wording: say whether it is a clarification, "
                                     "an update or a correction, and why")
    # A kind given for a change readers never saw is kept in the history, not published.
    reason = (form.change_reason.data or "").strip() or None if kind else None
    revision = history.record("edit", obj, before, reason=reason)
    if kind and rewords:
        db.session.flush()  # Correction has only revision_id (no relationship): the revision needs its id
        db.session.add(Correction(dispute_id=dispute_id, object_type=revision.object_type, object_id=obj.id,
                                  kind=kind, reason=reason, revision_id=revision.id))
    return revision


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
        before = loaded_at(dispute, form)
    dispute.slug, dispute.title = slug, form.title.data.strip()
    dispute.summary, dispute.status = (form.summary.data or "").strip(), form.status.data
    if dispute.tag_names != form.tag_list():
        dispute.tags = [DisputeTag(name=name) for name in form.tag_list()]
    if before is None or history.snapshot(dispute) != before:
        dispute.updated_at = utcnow()
        history.record("create" if before is None else "edit", dispute, before)
    return dispute


def delete(obj) -> None:
    if obj.deleted_at is not None:
        raise Refused("it is already deleted")
    before = history.snapshot(obj)
    obj.deleted_at = utcnow()
    history.record("delete", obj, before)


def restore(obj) -> None:
    if obj.deleted_at is None:
        raise Refused("it is not deleted")
    if getattr(obj, "merged_into_id", None) is not None:
        raise Refused("it was merged into another claim: undo the merge from this history instead")
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
    if revision.object_type == "dispute" and slug and db.session.scalar(
        sa.select(Dispute.id).where(Dispute.slug == slug, Dispute.id != revision.object_id)
    ):
        raise Taken(f'its slug "{slug}" is now used by another dispute')
    if revision.object_type == "statement" and (revision.before or {}).get("text") != (revision.after or {}).get("text"):
        from .statements import anchored_claims, move_anchors  # statements imports this module

        statement = history.revert(revision)
        move_anchors(statement, anchored_claims(statement))  # or Invalid: a quote is not in the old text
        return
    if revision.object_type == "claim" and revision.action in ("merge", "merge-in"):
        from .merge import undo_merge  # merge imports this module

        undo_merge(revision)  # moves back what the merge moved, not just the claim's columns
        return
    history.revert(revision)
