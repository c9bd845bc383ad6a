"""Thin views: read the request, load through queries, render."""

import datetime as dt

from flask import Blueprint, abort, render_template, request
from wtforms import SelectChoice

from tracker.models import DisputeStatus, Relation, Stance
from tracker.paging import cursor_text, parse_cursor

from . import index as listing
from . import queries
from . import timeline as timeline_queries
from .forms import DisputeSearchForm, TimelineFilterForm

bp = Blueprint("disputes", __name__)


@bp.route("/")
def index():
    form = DisputeSearchForm(request.args)
    form.tag.choices = [SelectChoice("", "any tag")] + [SelectChoice(t) for t in listing.all_tags()]
    filter_args = kept_args()
    if not form.validate():
        return render_template("disputes/index.html", form=form, disputes=[], next_key=None, filter_args=filter_args), 400
    after = parse_cursor(request.args.get("after"), (dt.date, int), "disputes")
    status = DisputeStatus(form.status.data) if form.status.data else None
    rows, next_key = listing.disputes_index((form.q.data or "").strip(), form.tag.data or None, status, after)
    return render_template("disputes/index.html", form=form, disputes=rows, next_key=cursor_text(next_key),
                           filter_args=filter_args)


def kept_args() -> dict[str, str]:
    """The request's filters, to carry into the links to other pages of the same list."""
    return {k: v for k, v in request.args.items() if k != "after" and v}


@bp.route("/disputes/<slug>")
def timeline(slug: str):
    dispute = queries.dispute_by_slug(slug) or gone_or_missing(slug)
    where = timeline_queries.in_dispute(dispute)
    order = timeline_queries.load_reading_order(where)
    actors = timeline_queries.speakers(order)
    form = TimelineFilterForm(request.args)
    form.actor.choices = [SelectChoice("", "every speaker")] + [SelectChoice(a.slug, a.name) for a in actors]
    form.tag.choices = [SelectChoice("", "every topic")] + [SelectChoice(t) for t in queries.claim_tags(dispute)]
    valid = form.validate()
    filters = timeline_queries.Filters()  # an invalid filter is shown with its error, and ignored
    if valid:
        filters = timeline_queries.Filters(
            actor=next((a for a in actors if a.slug == form.actor.data), None),
            relation=Relation(form.relation.data) if form.relation.data else None,
            stance=Stance(form.stance.data) if form.stance.data else None,
            tag=form.tag.data or None,
        )
    try:
        cursor = timeline_queries.Cursor.parse(request.args["after"]) if request.args.get("after") else None
        page = timeline_queries.timeline_page(where, filters, cursor, order)
    except ValueError:
        abort(400, description='The "after" parameter is not a position in this timeline.')
    # One lane per side that speaks in what the filters let through (up to four), in the order they first speak.
    by_id = {actor.id: actor for actor in actors}
    lane_actors = [by_id[i] for i in page.speaker_ids] if len(page.speaker_ids) <= 4 else []
    unanswered, unanswered_total = queries.unanswered_accusations(dispute)
    return render_template(
        "disputes/timeline.html", dispute=dispute, form=form, page=page, lane_actors=lane_actors,
        lanes={actor.id: i for i, actor in enumerate(lane_actors, start=1)},
        unanswered=unanswered, unanswered_total=unanswered_total,
        filter_args=kept_args(),
    ), (200 if valid else 400)


def gone_or_missing(slug: str):
    """410 for a deleted dispute (saying where it can be restored), else 404."""
    if queries.deleted_dispute_id(slug):
        abort(410, description="This dispute was deleted. Editors can restore it from its history.")
    abort(404)


@bp.route("/disputes/<slug>/side-by-side")
def side_by_side(slug: str):
    dispute = queries.dispute_by_slug(slug) or abort(404)
    statements, left, right = queries.statement_pair(dispute, request.args.get("left"), request.args.get("right"))
    if (request.args.get("left") and left is None) or (request.args.get("right") and right is None):
        abort(404, description="There is no statement with that name in this dispute.")
    rows, unlinked = queries.side_by_side(left, right) if left and right else ([], [])
    unanswered, unanswered_total = queries.unanswered_accusations(dispute)
    return render_template(
        "disputes/side_by_side.html", dispute=dispute, statements=statements, left=left, right=right,
        rows=rows, unlinked=unlinked, unanswered=unanswered, unanswered_total=unanswered_total,
    )
