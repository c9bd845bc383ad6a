"""Thin views: load through queries, render."""

from flask import abort, render_template

from . import bp, queries


@bp.route("/")
def index():
    return render_template("disputes/index.html", disputes=queries.disputes_by_activity())


@bp.route("/disputes/<slug>")
def timeline(slug: str):
    dispute = queries.dispute_by_slug(slug) or abort(404)
    statements = queries.statements_with_claims(dispute)
    return render_template("disputes/detail.html", dispute=dispute, statements=statements)
