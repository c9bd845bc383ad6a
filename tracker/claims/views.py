"""Thin views: load through queries, render."""

from itertools import groupby

from flask import abort, render_template

from tracker.anchoring import quote_context
from tracker.models import Stance

from . import bp, queries


@bp.route("/disputes/<dispute_slug>/claims/<slug>")
def detail(dispute_slug: str, slug: str):
    claim = queries.claim_by_slugs(dispute_slug, slug) or abort(404)
    host = claim.anchor_statement
    context = quote_context(host.text, claim.quote_start, claim.quote_end) if host and host.text else None
    order = list(Stance)
    evidence = groupby(sorted(claim.evidence, key=lambda e: order.index(e.stance)), key=lambda e: e.stance)
    return render_template(
        "claims/detail.html", claim=claim, dispute=claim.statement.dispute, context=context,
        evidence=[(stance, list(items)) for stance, items in evidence],
        answers=queries.thread(claim, upward=False), answered=queries.thread(claim, upward=True),
    )
