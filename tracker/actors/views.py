"""Thin views: load through queries, render."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request

from tracker.disputes import queries
from tracker.models import Statement
from tracker.shown import LIVE

bp = Blueprint("actors", __name__)


@bp.route("/actors/<slug>")
def detail(slug: str):
    actor = queries.actor_by_slug(slug) or abort(404)
    try:
        cursor = queries.Cursor.parse(request.args["after"]) if request.args.get("after") else None
        where = sa.and_(Statement.speaker_id == actor.id, Statement.dispute.has(LIVE))
        page = queries.timeline_page(where, queries.Filters(), cursor)
    except ValueError:
        abort(400, description='The "after" parameter is not a position in this list.')
    return render_template("actors/detail.html", actor=actor, page=page)
