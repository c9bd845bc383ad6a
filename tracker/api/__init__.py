"""The JSON API at /api/v1: what the reader pages show, for programs, and writes through the core."""

from .blueprint import bp

# auth first: its before_request names the token (g.api_token_id) before anything else of the API runs.
from . import auth, errors, read, write  # noqa: E402,F401  (register their routes and hooks on bp)

__all__ = ["bp"]
