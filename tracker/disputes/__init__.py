"""Reading disputes: the list, and one dispute with its statements and claims."""

from flask import Blueprint

bp = Blueprint("disputes", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
