"""Accounts: signing in and out. Readers need none."""

from . import tokens  # noqa: F401  (registers the API token routes on bp)
from .views import bp

__all__ = ["bp"]
