"""Moderation: a contributor's claims and evidence wait until an editor approves or rejects them."""

from tracker import history, rules
from tracker.db import utcnow
from tracker.models import Claim, Evidence, ReviewStatus, Role

from .by import By
from .edits import checked
from .errors import Invalid, Refused


class NotPending(Refused):
    """Only a pending submission can be decided."""


def decide(row: Claim | Evidence, *, approve: bool, reason: str | None = None, by: By,
           version: int | None = None, at=None) -> None:
    """Approve or reject a pending submission still at `version`; a rejection needs a reason.

    `at` says when, for a decision made elsewhere before an import."""
    by.require(Role.editor)
    reason = checked("reason", rules.free_text, reason, rules.LIMITS["note"])
    if not approve and reason is None:
        raise Invalid("reason", "say why it is rejected: the submitter sees this reason")
    if row.deleted_at is not None:
        raise NotPending("it was deleted")
    if row.review is not ReviewStatus.pending:
        raise NotPending(f"it was already {row.review.value}")
    if version is not None and row.version != version:
        raise NotPending("it changed since the queue was loaded; look at it again")
    before = history.snapshot(row)
    row.review = ReviewStatus.approved if approve else ReviewStatus.rejected
    row.review_reason = reason
    row.reviewed_at, row.reviewed_by_id = at or utcnow(), by.user_id
    history.record("approve" if approve else "reject", row, before, by, reason=reason)
