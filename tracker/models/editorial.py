"""What every piece of edited content carries: a version for optimistic locking,
a soft delete, and (for what contributors submit) a review."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from tracker.db import db, intpk, utcnow


class Editable:
    # Bumped by every UPDATE (version_id_col): a save from a stale form is refused.
    version: Mapped[int] = mapped_column(server_default="1")
    # Deleting is soft: hidden from readers, restorable from the history.
    deleted_at: Mapped[dt.datetime | None]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class ReviewStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Reviewed:
    """A contributor's submission waits for an editor; readers see approved material only."""

    review: Mapped[ReviewStatus] = mapped_column(server_default=ReviewStatus.approved.value,
                                                 default=ReviewStatus.approved)
    review_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    reviewed_at: Mapped[dt.datetime | None]

    @declared_attr
    def reviewed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("user.id"))


class CorrectionKind(enum.Enum):
    clarification = "clarification"
    update = "update"
    correction = "correction"


class Correction(db.Model):
    """A public note that published wording changed: what kind of change, and why."""

    __table_args__ = (sa.Index("ix_correction_object", "object_type", "object_id"),)

    id: Mapped[intpk]
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute.id"), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    kind: Mapped[CorrectionKind]
    reason: Mapped[str] = mapped_column(sa.String(2000))
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
