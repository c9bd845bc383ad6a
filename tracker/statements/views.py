"""Thin views: load through queries, render."""

from flask import abort, render_template

from . import bp, queries
from .highlight import pieces


@bp.route("/disputes/<dispute_slug>/statements/<slug>")
def detail(dispute_slug: str, slug: str):
    statement = queries.statement_by_slugs(dispute_slug, slug) or abort(404)
    claims, facts, total = queries.listed_claims(statement)
    text = pieces(statement.text, queries.anchors_in(statement)) if statement.text is not None else None
    return render_template(
        "statements/detail.html", statement=statement, dispute=statement.dispute,
        text=text, claims=claims, facts=facts, total=total,
    )
