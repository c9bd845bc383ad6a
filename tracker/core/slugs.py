"""Slugs: the one typed, if free; else one made from a title or a name."""

import re
import unicodedata
from collections.abc import Iterable

import sqlalchemy as sa

from tracker import rules
from tracker.db import db

from .edits import checked
from .errors import Taken

SLUG_LENGTH = 60


def slug_from(words: str, fallback: str) -> str:
    """A slug made from a title or a name ("Mr. Pompeo's remarks" → "mr-pompeo-s-remarks")."""
    ascii_words = unicodedata.normalize("NFKD", words or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_LENGTH]
    return slug.strip("-") or fallback


def free_slug(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is neither taken nor reserved."""
    taken = set(taken) | rules.RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def pick(typed: str | None, words: str, fallback: str, others: sa.Select, column, what: str) -> str:
    """The slug typed (checked, and free among `others`), or a free one made from `words`.

    `others` selects `column` (the slugs) of the objects the new slug must differ from.
    """
    if typed is not None and str(typed).strip():
        slug = checked("slug", rules.slug, typed)
        if db.session.scalar(others.where(column == slug)):
            raise Taken("slug", f'the slug "{slug}" is already used by another {what}')
        return slug
    base = slug_from(words, fallback)
    return free_slug(base, db.session.scalars(others.where(column.like(f"{base}%"))))
