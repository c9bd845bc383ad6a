"""Links that support, refute or give context to a claim."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import db, intpk, title_str, utcnow

from .claim import Claim
from .editorial import Editable, Reviewed
from .statement import HTTP_URL
from .user import User


class Stance(enum.Enum):
    supports = "supports"
    refutes = "refutes"
    context = "context"


class Evidence(Editable, Reviewed, db.Model):
    __table_args__ = (
        sa.UniqueConstraint("claim_id", "url"),
        sa.UniqueConstraint("id", "claim_id"),  # target of verdict_evidence's composite key
        sa.CheckConstraint("url IS NOT NULL AND (" + HTTP_URL.format(col="url") + ")", name="url_http"),
    )

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    # A copy kept by a web archive (tracker.rules.archived_copy), for when the original changes or goes.
    archived_url: Mapped[str | None] = mapped_column(sa.String(2000))
    title: Mapped[title_str]
    publisher: Mapped[str | None] = mapped_column(sa.String(200))
    date: Mapped[dt.date | None]
    excerpt: Mapped[str | None] = mapped_column(sa.Text)
    stance: Mapped[Stance]
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
