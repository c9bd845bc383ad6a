"""The JSON API at /api/v1: what the reader pages show, for programs, and writes through the core."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import cors, limits, openapi, read  # noqa: E402,F401  (each registers its routes or hooks on bp)

__all__ = ["bp"]
