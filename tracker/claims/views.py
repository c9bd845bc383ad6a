"""Thin views: load through queries, render."""

from itertools import groupby

from flask import Blueprint, abort, redirect, render_template, url_for

from tracker.anchoring import quote_context
from tracker.models import ReviewStatus, Stance

from . import queries

bp = Blueprint("claims", __name__)


@bp.route("/disputes/<dispute_slug>/claims/<slug>")
def detail(dispute_slug: str, slug: str):
    claim = queries.claim_by_slugs(dispute_slug, slug) or abort(404)
    if claim.merged_into_id is not None:
        survivor = queries.survivor_slug(claim)
        return redirect(url_for("claims.detail", dispute_slug=dispute_slug, slug=survivor), 301)
    if claim.deleted_at is not None:
        abort(410, description="This claim was deleted. Editors can restore it from its history.")
    if claim.review is not ReviewStatus.approved:
        abort(404)  # a submission waiting for review, or refused: as if it did not exist
    if claim.statement.deleted_at is not None:
        abort(410, description="The statement this claim was cut from was deleted, and its claims with it.")
    host = claim.anchor_statement
    context = quote_context(host.text, claim.quote_start, claim.quote_end) if host and host.text else None
    order = list(Stance)
    evidence = groupby(sorted(claim.shown_evidence, key=lambda e: order.index(e.stance)), key=lambda e: e.stance)
    shown_ids = {item.id for item in claim.shown_evidence}
    rests_on = [item for item in claim.verdict.evidence if item.id in shown_ids] if claim.verdict else []
    return render_template(
        "claims/detail.html", claim=claim, dispute=claim.statement.dispute, context=context,
        evidence=[(stance, list(items)) for stance, items in evidence], rests_on=rests_on,
        answers=queries.thread(claim, upward=False), answered=queries.thread(claim, upward=True),
        corrections=queries.corrections_of(claim), link_checks=queries.link_checks(claim.shown_evidence),
    )
