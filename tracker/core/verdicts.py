"""Verdicts: an editor's rating of a claim on the published scale, and the evidence it rests on."""

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import history, rules, shown
from tracker.db import db, utcnow
from tracker.models import Claim, Rating, Role, Verdict, VerdictEvidence

from . import edits
from .by import By
from .edits import CorrectionNote, checked, record_edit
from .errors import Conflict, Invalid


def verdict_of(claim_id: int) -> Verdict | None:
    """The claim's verdict row, withdrawn or not (one row per claim)."""
    return db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim_id))


def set_verdict(claim: Claim, *, rating: Rating | str, explanation: str, evidence: Iterable[int] = (), by: By,
                version: int | None = None, correction: CorrectionNote | None = None,
                at: dt.datetime | None = None) -> Verdict:
    """Set the claim's verdict: the first one, one set again after a withdrawal, or a change to the live one.

    `version` is that of the claim's verdict row when the editor loaded it (None: no check); `at` says
    when it was published, for a verdict set elsewhere before an import.
    """
    by.require(Role.editor)
    rating = checked("rating", rules.choice, rating, Rating)
    explanation = checked("explanation", rules.free_text, explanation, rules.LIMITS["explanation"], required=True)
    wanted = set(checked("evidence", rules.row_ids, list(evidence)))
    if not wanted <= {item.id for item in claim.evidence if shown.evidence_is_shown(item)}:
        raise Invalid("evidence", "some of the chosen evidence is not (or no longer) shown on this claim; choose again")
    verdict = verdict_of(claim.id)
    if verdict is None:
        verdict = Verdict(claim_id=claim.id)  # added by insert_new, in a savepoint of its own
        before = None
    else:
        before = edits.loaded_at(verdict, version)
    live_before = before is not None and verdict.deleted_at is None
    links = list(verdict.evidence_links)  # loaded before any change: one UPDATE, one version step
    with db.session.no_autoflush:
        verdict.rating, verdict.explanation, verdict.deleted_at = rating, explanation, None
        have = {link.evidence_id for link in links}
        verdict.evidence_links = [link for link in links if link.evidence_id in wanted] + [
            VerdictEvidence(evidence_id=i, claim_id=claim.id) for i in sorted(wanted - have)
        ]
    if before is not None and history.snapshot(verdict) == before:
        return verdict  # nothing changed: no revision, no new date
    verdict.set_by_id, verdict.set_at = by.user_id, at or utcnow()
    if not live_before:
        if before is None:
            insert_new(verdict)
        history.record("create", verdict, before, by)
    else:
        record_edit(verdict, before, by, dispute_id=claim.dispute_id, published=True, correction=correction)
    return verdict


def insert_new(verdict: Verdict) -> None:
    """A verdict set at the same moment by another editor meets the unique claim_id: a conflict, not a 500."""
    db.session.flush()  # what came before stays outside the savepoint
    try:
        with db.session.begin_nested():
            db.session.add(verdict)
            db.session.flush()
    except IntegrityError:
        raise Conflict(verdict_of(verdict.claim_id)) from None
