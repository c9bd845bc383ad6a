"""What every edit shares: the version check, the revision, the public correction, soft delete and restore."""

from dataclasses import dataclass
from typing import Any

from tracker import history, rules
from tracker.db import db, utcnow
from tracker.models import Correction, CorrectionKind, Revision

from .by import By
from .errors import Conflict, Invalid, Refused

# Ids asked about in one query, when many rows are written at once (SQLite takes at most 32,766 parameters).
CHUNK = 500
# Published wording: changing it on an object readers see is a correction they are told about.
WORDING = {"claim": {"summary", "quote_exact"}, "verdict": {"rating", "explanation", "evidence"},
           "statement": {"text"}}


@dataclass(frozen=True)
class CorrectionNote:
    """What kind of change published wording undergoes, and why: readers see both."""

    kind: CorrectionKind
    reason: str

    @classmethod
    def of(cls, kind: Any, reason: Any) -> "CorrectionNote | None":
        """A note from typed values (None when no kind is given); Invalid naming the field at fault."""
        try:
            kind = rules.choice(kind, CorrectionKind, required=False)
        except rules.RuleError as error:
            raise Invalid("change_kind", str(error)) from None
        if kind is None:
            return None
        if not isinstance(reason, str) or not reason.strip():
            raise Invalid("change_reason", "say why: readers see this reason with the correction")
        return cls(kind, checked("change_reason", rules.free_text, reason, rules.LIMITS["reason"]))


def loaded_at(obj: Any, version: int | None) -> dict:
    """The object's content before the edit; Conflict if it was loaded at another version (None: no check).

    Callers look it up as edits.loaded_at at each call, so a test can hold both sides of a race here."""
    if version is not None and obj.version != version:
        raise Conflict(obj)
    return history.snapshot(obj)


def record_edit(obj: Any, before: dict, by: By, *, dispute_id: int, published: bool,
                correction: CorrectionNote | None = None, reason: str | None = None) -> Revision | None:
    """Record an edit (nothing if nothing changed), with a public correction when published wording changed.

    Changing the published wording of something readers see needs a correction note.
    """
    after = history.snapshot(obj)
    if after == before:
        return None
    changed = {key for key in after if before.get(key) != after.get(key)}
    rewords = published and bool(changed & WORDING.get(history.object_type(obj), set()))
    if rewords and correction is None:
        raise Invalid("change_kind", "this changes published wording: say whether it is a clarification, "
                                     "an update or a correction, and why")
    # A note given for a change readers never saw is kept in the history, not published.
    revision = history.record("edit", obj, before, by, reason=correction.reason if correction else reason)
    if correction is not None and rewords:
        db.session.flush()  # Correction has only revision_id (no relationship): the revision needs its id
        db.session.add(Correction(dispute_id=dispute_id, object_type=revision.object_type, object_id=obj.id,
                                  kind=correction.kind, reason=correction.reason, revision_id=revision.id))
    return revision


def delete(obj: Any, by: By, reason: str | None = None, at=None) -> None:
    """Hide an object from readers, restorably (`at`: when, if it was deleted elsewhere before an import)."""
    if obj.deleted_at is not None:
        raise Refused("it is already deleted")
    before = history.snapshot(obj)
    obj.deleted_at = at or utcnow()
    history.record("delete", obj, before, by, reason=reason)


def restore(obj: Any, by: By, reason: str | None = None) -> None:
    """Show a deleted object again (a merged claim comes back by undoing its merge)."""
    if obj.deleted_at is None:
        raise Refused("it is not deleted")
    if getattr(obj, "merged_into_id", None) is not None:
        raise Refused("it was merged into another claim: undo the merge from this history instead")
    before = history.snapshot(obj)
    obj.deleted_at = None
    history.record("restore", obj, before, by, reason=reason)


def assign(obj: Any, values: dict) -> None:
    """Set only the attributes that differ, so an unchanged row stays clean (no UPDATE, no new version)."""
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def checked(field: str, rule, *args, **kwargs):
    """rule(*args, **kwargs), with a broken rule reported as Invalid on `field`."""
    try:
        return rule(*args, **kwargs)
    except rules.RuleError as error:
        raise Invalid(field, str(error)) from None


class Checks:
    """Checks of several fields that report every broken one together, so a caller fixes them in one go.

        check = Checks()
        values = {"title": check("title", rules.one_line, title), ...}
        check.done()  # Invalid on the first broken field, its `problems` listing all of them
    """

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def __call__(self, field: str, rule, *args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except rules.RuleError as error:
            self.problems.append((field, str(error)))
            return None

    def done(self) -> None:
        if self.problems:
            raise Invalid(*self.problems[0], problems=self.problems)
