"""A dispute gathers the statements, claims and evidence of one public quarrel."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import db, intpk, slug_str, title_str, utcnow

from .editorial import Editable


class DisputeStatus(enum.Enum):
    open = "open"
    settled = "settled"
    archived = "archived"


class Dispute(Editable, db.Model):
    id: Mapped[intpk]
    slug: Mapped[slug_str] = mapped_column(unique=True)
    title: Mapped[title_str]
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[DisputeStatus] = mapped_column(default=DisputeStatus.open)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    tags: Mapped[list["DisputeTag"]] = relationship(
        back_populates="dispute", cascade="all, delete-orphan", order_by="DisputeTag.name"
    )
    statements: Mapped[list["Statement"]] = relationship(back_populates="dispute")  # noqa: F821

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    def __repr__(self) -> str:
        return f"<Dispute {self.slug}>"


class DisputeTag(db.Model):
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute.id"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), primary_key=True)

    dispute: Mapped[Dispute] = relationship(back_populates="tags")
