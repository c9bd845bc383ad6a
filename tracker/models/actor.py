"""People and organisations who make statements."""

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import db, intpk, slug_str


class ActorKind(enum.Enum):
    person = "person"
    organisation = "organisation"


class Actor(db.Model):
    id: Mapped[intpk]
    slug: Mapped[slug_str] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ActorKind]
    role: Mapped[str | None] = mapped_column(sa.String(200))  # title, e.g. "Secretary of State"
    country: Mapped[str | None] = mapped_column(sa.String(100))

    def __repr__(self) -> str:
        return f"<Actor {self.slug}>"
