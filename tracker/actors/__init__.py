"""Actors pages."""

from flask import Blueprint

bp = Blueprint("actors", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
