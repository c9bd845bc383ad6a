"""Merging duplicate claims: what hangs on the duplicate moves to the surviving claim.

The duplicate is kept (hidden, its address redirecting to the survivor) and its "merge"
revision lists every row that moved or was set aside, so the merge can be undone exactly.
"""

import sqlalchemy as sa

from tracker import history, rules, shown
from tracker.db import db, utcnow
from tracker.models import Claim, Evidence, Response, Revision, Role, Verdict, VerdictEvidence

from . import edits
from .by import By
from .edits import checked, restore
from .errors import Invalid, Refused


def merge(duplicate: Claim, survivor_id: int | None, *, reason: str | None = None, by: By,
          version: int | None = None) -> Claim:
    """Merge the duplicate (still at `version`) into the claim `survivor_id`; returns the survivor."""
    by.require(Role.editor)
    reason = checked("reason", rules.free_text, reason, rules.LIMITS["note"])
    before = edits.loaded_at(duplicate, version)
    if duplicate.deleted_at is not None:
        raise Refused("a deleted or merged claim cannot be merged")
    survivor = survivor_for(duplicate, survivor_id)
    note = f"merging {duplicate.slug} into {survivor.slug}"
    moved, skipped = {"responses": [], "evidence": []}, {"responses": [], "evidence": []}

    # Every pair, deleted ones too: (claim, target) is unique in the table.
    pairs = {tuple(pair) for pair in db.session.execute(
        sa.select(Response.claim_id, Response.target_id)
        .where(sa.or_(Response.claim_id == survivor.id, Response.target_id == survivor.id))
    )}
    for response in db.session.scalars(
        sa.select(Response).where(sa.or_(Response.claim_id == duplicate.id, Response.target_id == duplicate.id),
                                  Response.deleted_at.is_(None)).order_by(Response.id)
    ):
        ends = tuple(survivor.id if end == duplicate.id else end for end in (response.claim_id, response.target_id))
        was = history.snapshot(response)
        if ends[0] == ends[1] or ends in pairs:
            # The survivor would answer itself, or already says the same: set aside, restorable.
            response.deleted_at = utcnow()
            history.record("delete", response, was, by, reason=f"{note}: the survivor would answer itself "
                                                               "or already has this response")
            skipped["responses"].append(response.id)
        else:
            response.claim_id, response.target_id = ends
            pairs.add(ends)
            history.record("move", response, was, by, reason=note)
            moved["responses"].append(response.id)

    urls = set(db.session.scalars(sa.select(Evidence.url).where(Evidence.claim_id == survivor.id)))
    evidence = list(db.session.scalars(
        sa.select(Evidence).where(Evidence.claim_id == duplicate.id, Evidence.deleted_at.is_(None)).order_by(Evidence.id)
    ))
    leaving = {item.id for item in evidence if item.url not in urls}
    unlinked = unlink_from_verdict(duplicate, leaving, note, by)
    for item in evidence:
        was = history.snapshot(item)
        if item.id in leaving:
            item.claim_id = survivor.id
            history.record("move", item, was, by, reason=note)
            moved["evidence"].append(item.id)
        else:
            item.deleted_at = utcnow()
            history.record("delete", item, was, by, reason=f"{note}: the survivor already has this link")
            skipped["evidence"].append(item.id)

    duplicate.merged_into_id, duplicate.deleted_at = survivor.id, utcnow()
    record_merge(duplicate, survivor, before, by, reason, moved, skipped, unlinked)
    return survivor


def mark_merged(duplicate: Claim, survivor: Claim, *, by: By, at=None) -> None:
    """Record a duplicate as merged with nothing to move (an import of a merge done elsewhere)."""
    by.require(Role.editor)
    if survivor.id == duplicate.id or survivor.dispute_id != duplicate.dispute_id:
        raise Invalid("merged_into", "name another claim of the same dispute")
    before = history.snapshot(duplicate)
    duplicate.merged_into_id, duplicate.deleted_at = survivor.id, at or utcnow()
    empty = {"responses": [], "evidence": []}
    record_merge(duplicate, survivor, before, by, "merged before this import", empty, empty, [])


def record_merge(duplicate, survivor, before, by, reason, moved, skipped, unlinked) -> None:
    """The duplicate's "merge" revision (what moved, to undo it) and the survivor's "merge-in"."""
    revision = history.record("merge", duplicate, before, by, reason=reason)
    revision.after = {**revision.after, "moved": moved, "skipped": skipped, "unlinked_evidence": unlinked}
    merged_in = history.record("merge-in", survivor, history.snapshot(survivor), by,
                               reason=f"merging {duplicate.slug} into {survivor.slug}")
    merged_in.after = {**merged_in.after, "merged_from": duplicate.id, "moved": moved}


def survivor_for(duplicate: Claim, target_id: int | None) -> Claim:
    """The claim to merge into, or Invalid saying why it cannot be."""
    if target_id == duplicate.id:
        raise Invalid("target", "a claim cannot be merged into itself")
    survivor = db.session.get(Claim, checked("target", rules.row_id, target_id)) if target_id is not None else None
    if survivor is None:
        raise Invalid("target", "there is no such claim")
    if survivor.dispute_id != duplicate.dispute_id:
        raise Invalid("target", "that claim belongs to another dispute: merge only within one dispute")
    if not db.session.scalar(sa.select(sa.exists().where(Claim.id == survivor.id, shown.visible_claim()))):
        raise Invalid("target", "readers do not see that claim (deleted, merged, or not approved): "
                                "merge into a claim they see")
    return survivor


def unlink_from_verdict(claim: Claim, evidence_ids: set[int], note: str, by: By) -> list[int]:
    """Evidence leaving the claim leaves its verdict's links too (a verdict rests on its own claim's evidence)."""
    verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim.id))
    if verdict is None or not {link.evidence_id for link in verdict.evidence_links} & evidence_ids:
        return []
    was = history.snapshot(verdict)
    unlinked = sorted(link.evidence_id for link in verdict.evidence_links if link.evidence_id in evidence_ids)
    verdict.evidence_links = [link for link in verdict.evidence_links if link.evidence_id not in evidence_ids]
    history.record("unlink", verdict, was, by, reason=f"{note}: the evidence moved with the merge")
    return unlinked


def undo_merge(revision: Revision, by: By) -> None:
    """Move back exactly what a merge moved; Refused when that is no longer possible."""
    by.require(Role.editor)
    if revision.action == "merge-in":
        revision = merge_revision_of(revision)
    after = revision.after or {}
    duplicate = db.session.get(Claim, revision.object_id)
    survivor_id = after.get("merged_into_id")
    if duplicate is None or survivor_id is None or duplicate.merged_into_id != survivor_id:
        raise Refused("the claim is no longer merged (the merge was undone or changed since)")
    survivor = db.session.get(Claim, survivor_id)
    moved, skipped = after.get("moved", {}), after.get("skipped", {})
    responses = rows(Response, moved.get("responses", []))
    evidence = rows(Evidence, moved.get("evidence", []))
    for response in responses:
        if response.deleted_at is not None or survivor_id not in (response.claim_id, response.target_id):
            raise Refused(f"response #{response.id} was changed or deleted since the merge; move it back by hand first")
    for item in evidence:
        if item.deleted_at is not None or item.claim_id != survivor_id:
            raise Refused(f"evidence #{item.id} was changed or deleted since the merge; move it back by hand first")
    note = f"undoing the merge of {duplicate.slug} into {survivor.slug} (revision {revision.id})"
    for response in responses:
        was = history.snapshot(response)
        response.claim_id, response.target_id = (duplicate.id if end == survivor_id else end
                                                 for end in (response.claim_id, response.target_id))
        history.record("move", response, was, by, reason=note)
    for item in evidence:
        was = history.snapshot(item)
        item.claim_id = duplicate.id
        history.record("move", item, was, by, reason=note)
    for item in rows(Response, skipped.get("responses", [])) + rows(Evidence, skipped.get("evidence", [])):
        if item.deleted_at is not None:
            restore(item, by)
    relink(duplicate, after.get("unlinked_evidence", []), note, by)
    was = history.snapshot(duplicate)
    duplicate.merged_into_id, duplicate.deleted_at = None, None
    history.record("revert", duplicate, was, by, reason=f"reverts revision {revision.id} (merge)")
    history.record("unmerge", survivor, history.snapshot(survivor), by, reason=note)


def merge_revision_of(merged_in: Revision) -> Revision:
    """The duplicate's "merge" revision behind a survivor's "merge-in"."""
    duplicate_id = (merged_in.after or {}).get("merged_from")
    revision = db.session.scalar(
        sa.select(Revision).where(Revision.object_type == "claim", Revision.object_id == duplicate_id,
                                  Revision.action == "merge").order_by(Revision.id.desc()).limit(1)
    )
    if revision is None:
        raise Refused("the merge behind this revision is not on record")
    return revision


def rows(model, ids: list[int]) -> list:
    if not ids:
        return []
    found = list(db.session.scalars(sa.select(model).where(model.id.in_(ids)).order_by(model.id)))
    if len(found) != len(set(ids)):
        raise Refused("some of what the merge moved no longer exists")
    return found


def relink(claim: Claim, evidence_ids: list[int], note: str, by: By) -> None:
    verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim.id))
    if verdict is None or not evidence_ids:
        return
    was = history.snapshot(verdict)
    present = {link.evidence_id for link in verdict.evidence_links}
    verdict.evidence_links += [VerdictEvidence(evidence_id=i, claim_id=claim.id) for i in evidence_ids if i not in present]
    history.record("relink", verdict, was, by, reason=note)
