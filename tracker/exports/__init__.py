"""A dispute in standard formats: AIF, TimelineJS, CSV."""

from .views import bp

__all__ = ["bp"]
