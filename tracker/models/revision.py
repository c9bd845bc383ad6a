"""The history that loses nothing: who changed what, when, from what to what."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import db, intpk, utcnow

from .user import User


class Revision(db.Model):
    __table_args__ = (sa.Index("ix_revision_object", "object_type", "object_id"),)

    id: Mapped[intpk]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(20))  # create, edit, delete, merge, revert...
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # Who made a change no account made: "import of <bundle> by <who ran it>", "command line by <who>".
    source: Mapped[str | None] = mapped_column(sa.String(300))

    user: Mapped[User | None] = relationship()
