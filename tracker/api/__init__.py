"""The JSON API at /api/v1: what the reader pages show, for programs, and writes through the core."""

from . import cors, limits, openapi, read  # noqa: F401  (each registers its routes or hooks on bp)
from .blueprint import bp

__all__ = ["bp"]
