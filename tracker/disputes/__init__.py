"""Reading disputes: the list, and one dispute with its statements and claims."""

from .views import bp

__all__ = ["bp"]
