"""Accounts: signing in and out. Readers need none."""

from .views import bp

__all__ = ["bp"]
