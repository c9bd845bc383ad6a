"""Thin views: read the page position, load through queries, draw, render."""

from flask import Blueprint, abort, render_template, request, url_for

from tracker.disputes.queries import Cursor, dispute_by_slug
from tracker.models import Dispute
from tracker.templating import slug_url

from . import draw, queries
from .svg import RELATIONS

bp = Blueprint("maps", __name__)


def drawing(dispute: Dispute, standalone: bool) -> tuple[draw.Drawing, queries.MapPage]:
    """The map of the timeline page that `?after=` names (the first without it); 400 for a bad position."""
    try:
        cursor = Cursor.parse(request.args["after"]) if request.args.get("after") else None
        page = queries.map_page(dispute, cursor)
    except ValueError:
        abort(400, description='The "after" parameter is not a position in this timeline.')

    def href(claim):
        if standalone:
            return url_for("claims.detail", dispute_slug=dispute.slug, slug=claim.slug, _external=True)
        return slug_url("claims.detail", claim.slug, dispute_slug=dispute.slug)

    return draw.response_map(dispute.title, page, href, standalone), page


@bp.route("/disputes/<slug>/map")
def page(slug: str):
    dispute = dispute_by_slug(slug) or abort(404)
    picture, page = drawing(dispute, standalone=False)
    return render_template("maps/page.html", dispute=dispute, drawing=picture, page=page, relations=RELATIONS,
                           limit=queries.MAX_RESPONSES)


@bp.route("/disputes/<slug>/map.svg", endpoint="svg")
def download(slug: str):
    dispute = dispute_by_slug(slug) or abort(404)
    # Absolute links: the downloaded file is opened away from the site.
    picture, page = drawing(dispute, standalone=True)
    name = f"{dispute.slug}-map" + (f"-after-{page.cursor}" if page.cursor else "")
    return picture.document, {
        "Content-Type": "image/svg+xml; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}.svg"',
    }
