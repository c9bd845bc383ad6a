"""Thin views: load through queries, render."""

from flask import abort

from . import bp


@bp.route("/actors/<slug>")
def detail(slug: str):
    abort(404)  # built next
