"""Thin views: load through queries, draw, render."""

from flask import Blueprint, abort, render_template, url_for

from tracker.disputes.queries import dispute_by_slug
from tracker.models import Dispute

from . import queries, svg

bp = Blueprint("maps", __name__)


def drawing(dispute: Dispute, external: bool) -> svg.Drawing:
    claims, responses = queries.claims_and_responses(dispute)

    def href(claim):
        return url_for("claims.detail", dispute_slug=dispute.slug, slug=claim.slug, _external=external)

    return svg.response_map(dispute.title, claims, responses, href)


@bp.route("/disputes/<slug>/map")
def page(slug: str):
    dispute = dispute_by_slug(slug) or abort(404)
    return render_template("maps/page.html", dispute=dispute, drawing=drawing(dispute, external=False),
                           relations=svg.RELATIONS)


@bp.route("/disputes/<slug>/map.svg", endpoint="svg")
def download(slug: str):
    dispute = dispute_by_slug(slug) or abort(404)
    # Absolute links: the downloaded file is opened away from the site.
    document = drawing(dispute, external=True).document
    return document, {
        "Content-Type": "image/svg+xml; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{dispute.slug}-map.svg"',
    }
