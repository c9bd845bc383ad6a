"""Editing: forms that turn what editors type into calls of the write core."""

from . import claims, corrections, disputes, evidence, merge, review, revisions, statements, verdicts  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
