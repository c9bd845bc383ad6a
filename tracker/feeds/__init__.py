"""Atom feeds: what is new on the site, in a dispute, from an actor."""

from .views import bp

__all__ = ["bp"]
