"""Admin: managing accounts. Every change is in the history, never with password material."""

from .views import bp

__all__ = ["bp"]
