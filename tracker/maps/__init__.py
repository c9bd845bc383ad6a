"""The response map: the dispute as a graph, drawn on the server as SVG."""

from flask import Blueprint

bp = Blueprint("maps", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
