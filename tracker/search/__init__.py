"""Full-text search over statements, claims and evidence."""

from .views import bp

__all__ = ["bp"]
