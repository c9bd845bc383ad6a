"""Full-text search over statements, claims and evidence."""

from flask import Blueprint

bp = Blueprint("search", __name__)
