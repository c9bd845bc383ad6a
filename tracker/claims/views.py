"""Thin views: load through queries, render."""

from flask import abort

from . import bp


@bp.route("/disputes/<dispute_slug>/claims/<slug>")
def detail(dispute_slug: str, slug: str):
    abort(404)  # built next
