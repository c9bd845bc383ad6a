"""The exports' addresses: a dispute as AIF, TimelineJS and CSV, what readers see of it."""

import json

from flask import Blueprint, abort, current_app, stream_with_context

from tracker.disputes.queries import dispute_by_slug

from . import aif, tables, timelinejs

bp = Blueprint("exports", __name__, url_prefix="/disputes/<slug>/export")

CSV_TABLES = {"claims": tables.claims, "responses": tables.responses, "evidence": tables.evidence}


@bp.route("/aif.json")
def aif_json(slug: str):
    return as_json(aif.document(dispute_by_slug(slug) or abort(404)))


@bp.route("/timelinejs.json")
def timelinejs_json(slug: str):
    return as_json(timelinejs.document(dispute_by_slug(slug) or abort(404)))


def as_json(document: dict):
    """Compact UTF-8 JSON in the document's own key order (jsonify sorts keys: a third of a large export's time)."""
    return current_app.response_class(json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                                      content_type="application/json")


@bp.route("/claims.csv", defaults={"table": "claims"})
@bp.route("/responses.csv", defaults={"table": "responses"})
@bp.route("/evidence.csv", defaults={"table": "evidence"})
def csv_table(slug: str, table: str):
    """A table, sent as it is read: a dispute of any size starts coming at once and never sits whole in memory."""
    dispute = dispute_by_slug(slug) or abort(404)
    body = stream_with_context(CSV_TABLES[table](dispute))
    return current_app.response_class(body, content_type="text/csv; charset=utf-8; header=present", headers={
        "Content-Disposition": f'attachment; filename="{dispute.slug}-{table}.csv"'})
