"""The exports' addresses: a dispute as AIF, TimelineJS and CSV, what readers see of it."""

from flask import Blueprint

bp = Blueprint("exports", __name__)
