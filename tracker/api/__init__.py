"""The JSON API at /api/v1: what the reader pages show, for programs, and writes through the core."""

from .blueprint import bp

# auth first: its before_request names the token (g.api_token_id) before the limits count by it.
from . import auth, cors, limits, openapi, read, write  # noqa: E402,F401  (each registers routes or hooks on bp)

__all__ = ["bp"]
