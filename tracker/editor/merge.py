"""Merging duplicate claims: what hangs on the duplicate moves to the surviving claim.

The duplicate is kept (hidden, its address redirecting to the survivor) and its "merge"
revision lists every row that moved or was set aside, so the merge can be undone exactly.
"""

import sqlalchemy as sa
from flask import abort, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from tracker import history
from tracker.auth.roles import role_required
from tracker.db import db, utcnow
from tracker.disputes.queries import other_claims_shown, visible_claim
from tracker.forms import row_id
from tracker.models import Claim, Dispute, Evidence, Response, Revision, Role, Statement, Verdict, VerdictEvidence
from tracker.shown import LIVE

from . import bp, services
from .fields import no_nul
from .flow import save_form


class MergeForm(FlaskForm):
    target = SelectField("The claim it duplicates (this one stays)", coerce=row_id, validate_choice=False,
                         validators=[InputRequired()])
    reason = TextAreaField("Why (kept in the history)", validators=[Length(max=1000), no_nul])
    # The duplicate's version when the form was loaded: a merge of a claim changed since is refused.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)


@bp.route("/disputes/<dispute_slug>/claims/<slug>/merge", methods=["GET", "POST"])
@role_required(Role.editor)
def merge_claim(dispute_slug: str, slug: str):
    duplicate = live_claim(dispute_slug, slug) or abort(404)
    dispute = duplicate.statement.dispute
    form = MergeForm(data={"version": duplicate.version})
    form.target.choices = [(c.id, f"{c.summary} ({c.statement.speaker.name}, {c.statement.date_label})")
                           for c in other_claims_shown(duplicate)]
    return save_form(
        form, "editor/merge_form.html",
        save=lambda: merge(duplicate, form),
        done=lambda survivor: url_for("claims.detail", dispute_slug=dispute.slug, slug=survivor.slug),
        message="Merged: the duplicate's responses and evidence now belong to this claim, and its address "
                "leads here. The merge can be undone from the duplicate's history.",
        reload=lambda: db.session.get(Claim, duplicate.id), claim=duplicate, dispute=dispute,
    )


def live_claim(dispute_slug: str, slug: str) -> Claim | None:
    """A claim not deleted nor merged, in a live dispute (pending claims may be merged too)."""
    query = (
        sa.select(Claim).join(Dispute, Dispute.id == Claim.dispute_id)
        .where(Dispute.slug == dispute_slug, LIVE, Claim.slug == slug, Claim.deleted_at.is_(None))
        .options(joinedload(Claim.statement).joinedload(Statement.dispute))
    )
    return db.session.scalar(query)


def merge(duplicate: Claim, form: MergeForm) -> Claim:
    """Merge the duplicate into the claim the form names; returns the survivor."""
    before = services.loaded_at(duplicate, form)
    survivor = survivor_for(duplicate, form.target.data)
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
            history.record("delete", response, was, reason=f"{note}: the survivor would answer itself "
                                                           "or already has this response")
            skipped["responses"].append(response.id)
        else:
            response.claim_id, response.target_id = ends
            pairs.add(ends)
            history.record("move", response, was, reason=note)
            moved["responses"].append(response.id)

    urls = set(db.session.scalars(sa.select(Evidence.url).where(Evidence.claim_id == survivor.id)))
    evidence = list(db.session.scalars(
        sa.select(Evidence).where(Evidence.claim_id == duplicate.id, Evidence.deleted_at.is_(None)).order_by(Evidence.id)
    ))
    leaving = {item.id for item in evidence if item.url not in urls}
    unlinked = unlink_from_verdict(duplicate, leaving, note)
    for item in evidence:
        was = history.snapshot(item)
        if item.id in leaving:
            item.claim_id = survivor.id
            history.record("move", item, was, reason=note)
            moved["evidence"].append(item.id)
        else:
            item.deleted_at = utcnow()
            history.record("delete", item, was, reason=f"{note}: the survivor already has this link")
            skipped["evidence"].append(item.id)

    duplicate.merged_into_id, duplicate.deleted_at = survivor.id, utcnow()
    revision = history.record("merge", duplicate, before, reason=(form.reason.data or "").strip() or None)
    revision.after = {**revision.after, "moved": moved, "skipped": skipped, "unlinked_evidence": unlinked}
    merged_in = history.record("merge-in", survivor, history.snapshot(survivor), reason=note)
    merged_in.after = {**merged_in.after, "merged_from": duplicate.id, "moved": moved}
    return survivor


def survivor_for(duplicate: Claim, target_id: int | None) -> Claim:
    """The claim to merge into, or Invalid saying why it cannot be."""
    if target_id == duplicate.id:
        raise services.Invalid("target", "a claim cannot be merged into itself")
    survivor = db.session.get(Claim, target_id) if target_id is not None else None
    if survivor is None:
        raise services.Invalid("target", "there is no such claim")
    if survivor.dispute_id != duplicate.dispute_id:
        raise services.Invalid("target", "that claim belongs to another dispute: merge only within one dispute")
    if not db.session.scalar(sa.select(sa.exists().where(Claim.id == survivor.id, visible_claim()))):
        raise services.Invalid("target", "readers do not see that claim (deleted, merged, or not approved): "
                                         "merge into a claim they see")
    return survivor


def unlink_from_verdict(claim: Claim, evidence_ids: set[int], note: str) -> list[int]:
    """Evidence leaving the claim leaves its verdict's links too (a verdict rests on its own claim's evidence)."""
    verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim.id))
    if verdict is None or not {link.evidence_id for link in verdict.evidence_links} & evidence_ids:
        return []
    was = history.snapshot(verdict)
    unlinked = sorted(link.evidence_id for link in verdict.evidence_links if link.evidence_id in evidence_ids)
    verdict.evidence_links = [link for link in verdict.evidence_links if link.evidence_id not in evidence_ids]
    history.record("unlink", verdict, was, reason=f"{note}: the evidence moved with the merge")
    return unlinked


def undo_merge(revision: Revision) -> None:
    """Move back exactly what a merge moved; Refused when that is no longer possible."""
    if revision.action == "merge-in":
        revision = merge_revision_of(revision)
    after = revision.after or {}
    duplicate = db.session.get(Claim, revision.object_id)
    survivor_id = after.get("merged_into_id")
    if duplicate is None or survivor_id is None or duplicate.merged_into_id != survivor_id:
        raise services.Refused("the claim is no longer merged (the merge was undone or changed since)")
    survivor = db.session.get(Claim, survivor_id)
    moved, skipped = after.get("moved", {}), after.get("skipped", {})
    responses = rows(Response, moved.get("responses", []))
    evidence = rows(Evidence, moved.get("evidence", []))
    for response in responses:
        if response.deleted_at is not None or survivor_id not in (response.claim_id, response.target_id):
            raise services.Refused(f"response #{response.id} was changed or deleted since the merge; "
                                   "move it back by hand first")
    for item in evidence:
        if item.deleted_at is not None or item.claim_id != survivor_id:
            raise services.Refused(f"evidence #{item.id} was changed or deleted since the merge; "
                                   "move it back by hand first")
    note = f"undoing the merge of {duplicate.slug} into {survivor.slug} (revision {revision.id})"
    for response in responses:
        was = history.snapshot(response)
        response.claim_id, response.target_id = (duplicate.id if end == survivor_id else end
                                                 for end in (response.claim_id, response.target_id))
        history.record("move", response, was, reason=note)
    for item in evidence:
        was = history.snapshot(item)
        item.claim_id = duplicate.id
        history.record("move", item, was, reason=note)
    for item in rows(Response, skipped.get("responses", [])) + rows(Evidence, skipped.get("evidence", [])):
        if item.deleted_at is not None:
            services.restore(item)
    relink(duplicate, after.get("unlinked_evidence", []), note)
    was = history.snapshot(duplicate)
    duplicate.merged_into_id, duplicate.deleted_at = None, None
    history.record("revert", duplicate, was, reason=f"reverts revision {revision.id} (merge)")
    history.record("unmerge", survivor, history.snapshot(survivor), reason=note)


def merge_revision_of(merged_in: Revision) -> Revision:
    """The duplicate's "merge" revision behind a survivor's "merge-in"."""
    duplicate_id = (merged_in.after or {}).get("merged_from")
    revision = db.session.scalar(
        sa.select(Revision).where(Revision.object_type == "claim", Revision.object_id == duplicate_id,
                                  Revision.action == "merge").order_by(Revision.id.desc()).limit(1)
    )
    if revision is None:
        raise services.Refused("the merge behind this revision is not on record")
    return revision


def rows(model, ids: list[int]) -> list:
    if not ids:
        return []
    found = list(db.session.scalars(sa.select(model).where(model.id.in_(ids)).order_by(model.id)))
    if len(found) != len(set(ids)):
        raise services.Refused("some of what the merge moved no longer exists")
    return found


def relink(claim: Claim, evidence_ids: list[int], note: str) -> None:
    verdict = db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim.id))
    if verdict is None or not evidence_ids:
        return
    was = history.snapshot(verdict)
    present = {link.evidence_id for link in verdict.evidence_links}
    verdict.evidence_links += [VerdictEvidence(evidence_id=i, claim_id=claim.id) for i in evidence_ids if i not in present]
    history.record("relink", verdict, was, reason=note)
