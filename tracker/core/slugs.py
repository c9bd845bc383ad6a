"""Slugs: the one typed, if free; else one made from a title or a name."""

import re
import unicodedata
from collections.abc import Iterable

import sqlalchemy as sa

from tracker import rules
from tracker.db import db

from .edits import CHUNK, checked
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


def pick(typed: str | None, words: str, fallback: str, others: sa.Select, column, what: str,
         own: str | None = None) -> str:
    """The slug typed (checked, and free among `others`), or a free one made from `words`.

    `others` selects `column` (the slugs) of the objects the new slug must differ from; `own` is
    the object's slug as stored, free for it without asking (the database keeps slugs unique).
    """
    if typed is not None and str(typed).strip():
        slug = checked("slug", rules.slug, typed)
        if slug != own and db.session.scalar(others.where(column == slug)):
            raise Taken("slug", f'the slug "{slug}" is already used by another {what}')
        return slug
    base = slug_from(words, fallback)
    return free_slug(base, db.session.scalars(others.where(column.like(f"{base}%"))))


class InUse:
    """The slugs in use among a model's rows, by dispute, as far as asked: for picking many new ones at once."""

    def __init__(self, model, what: str, typed: Iterable[tuple[int, str | None]]):
        """Ask at once (a query a chunk) which of the (dispute id, slug typed) pairs are taken."""
        self.model, self.what = model, what
        self.taken: set[tuple[int, str]] = set()
        wanted: dict[int, list[str]] = {}
        for dispute_id, slug in typed:
            if slug is not None and str(slug).strip():
                try:
                    wanted.setdefault(dispute_id, []).append(rules.slug(slug))
                except rules.RuleError:
                    pass  # pick() reports it
        for dispute_id, slugs in wanted.items():
            for i in range(0, len(slugs), CHUNK):
                query = sa.select(model.slug).where(model.dispute_id == dispute_id, model.slug.in_(slugs[i:i + CHUNK]))
                self.taken.update((dispute_id, slug) for slug in db.session.scalars(query))

    def pick(self, dispute_id: int, typed: str | None, words: str, fallback: str) -> str:
        """pick() for a new row of that dispute; the slug picked is then in use."""
        if typed is not None and str(typed).strip():
            slug = checked("slug", rules.slug, typed)
            if (dispute_id, slug) in self.taken:
                raise Taken("slug", f'the slug "{slug}" is already used by another {self.what}')
        else:
            base = slug_from(words, fallback)
            query = sa.select(self.model.slug).where(self.model.dispute_id == dispute_id,
                                                     self.model.slug.like(f"{base}%"))
            picked = {s for d, s in self.taken if d == dispute_id and s.startswith(base)}
            slug = free_slug(base, set(db.session.scalars(query)) | picked)
        self.taken.add((dispute_id, slug))
        return slug
