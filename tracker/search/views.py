"""Thin views: read the query, search, render."""

from flask import Blueprint, render_template, request

from . import index
from .highlight import Highlighter

bp = Blueprint("search", __name__)


@bp.route("/search")
def results():
    q = request.args.get("q", "").strip()
    if len(q) > index.MAX_QUERY_LENGTH:
        message = (f"That search is too long: {len(q)} characters, and at most {index.MAX_QUERY_LENGTH} "
                   "are read. Try fewer words.")
        return render_template("search/results.html", q=q, results=None, error=message), 400
    if not q:
        return render_template("search/results.html", q="", results=None, error=None)
    results = index.search(q)
    return render_template("search/results.html", q=q, results=results, mark=Highlighter(results.terms), error=None)
