"""Admin: managing accounts. Every change is in the history, never with password material."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: E402,F401  (routes register on bp)
