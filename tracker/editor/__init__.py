"""Editing: every change recorded in the history, every stale save refused."""

from flask import Blueprint

bp = Blueprint("editor", __name__)

# Routes register on bp.
from . import claims, corrections, evidence, merge, review, statements, verdicts, views  # noqa: E402,F401
