"""Editing: every change recorded in the history, every stale save refused."""

from flask import Blueprint

bp = Blueprint("editor", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
