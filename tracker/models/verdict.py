"""An editor's verdict on a claim, on a published scale, and the evidence it rests on."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import db, intpk, utcnow

from .claim import Claim
from .editorial import Editable
from .evidence import Evidence
from .user import User


class Rating(enum.Enum):
    true = "true"
    mostly_true = "mostly_true"
    mixed = "mixed"
    mostly_false = "mostly_false"
    false = "false"
    unsupported = "unsupported"
    misleading = "misleading"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Verdict(Editable, db.Model):
    """The current verdict on a claim (one per claim; earlier ones live in the history).

    A withdrawn verdict is soft-deleted; setting a verdict again revives the same row."""

    __table_args__ = (sa.UniqueConstraint("id", "claim_id"),)

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[Rating]
    explanation: Mapped[str] = mapped_column(sa.Text)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship()
    set_by: Mapped[User | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        secondary="verdict_evidence", viewonly=True, order_by="Evidence.id"
    )
    # The rows behind `evidence`, for writing.
    evidence_links: Mapped[list["VerdictEvidence"]] = relationship(cascade="all, delete-orphan")


class VerdictEvidence(db.Model):
    """The evidence a verdict rests on: always evidence of the same claim."""

    __table_args__ = (
        sa.ForeignKeyConstraint(["verdict_id", "claim_id"], ["verdict.id", "verdict.claim_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id", "claim_id"], ["evidence.id", "evidence.claim_id"], ondelete="CASCADE"),
    )

    verdict_id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int]
