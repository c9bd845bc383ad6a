"""Thin views: load through queries, render."""

from flask import Blueprint, abort, render_template

from . import queries
from .highlight import pieces

bp = Blueprint("statements", __name__)


@bp.route("/disputes/<dispute_slug>/statements/<slug>")
def detail(dispute_slug: str, slug: str):
    statement = queries.statement_by_slugs(dispute_slug, slug) or gone_or_missing(dispute_slug, slug)
    claims, facts, total = queries.listed_claims(statement)
    text = pieces(statement.text, queries.anchors_in(statement)) if statement.text is not None else None
    return render_template(
        "statements/detail.html", statement=statement, dispute=statement.dispute,
        text=text, claims=claims, facts=facts, total=total, corrections=queries.corrections_of(statement),
        source_check=queries.source_check(statement),
    )


def gone_or_missing(dispute_slug: str, slug: str):
    """410 for a deleted statement (saying where it can be restored), else 404."""
    if queries.deleted_statement_id(dispute_slug, slug):
        abort(410, description="This statement was deleted, and its claims with it. "
                               "Editors can restore it from its history.")
    abort(404)
