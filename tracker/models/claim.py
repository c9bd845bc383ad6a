"""Claims cut from statements, and the responses that tie a claim to what it answers."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import db, intpk, slug_str, title_str, utcnow

from .editorial import Editable, Reviewed
from .statement import Statement


class ClaimKind(enum.Enum):
    accusation = "accusation"
    counterclaim = "counterclaim"
    denial = "denial"
    assertion = "assertion"
    concession = "concession"
    commitment = "commitment"


class Relation(enum.Enum):
    rebuts = "rebuts"  # argues the target is false
    denies = "denies"  # a blanket denial ("groundless") that engages no detail
    qualifies = "qualifies"
    concedes = "concedes"
    supports = "supports"
    counters = "counters"  # answers with a counter-accusation


# The anchor columns are all set or all empty, and an anchor is set exactly
# when there is a text to anchor in: the claim's own statement (a verbatim
# quote) or, for a reconstructed claim, the statement that reports it.
ANCHOR_COLUMNS = ("quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix")
ANCHOR_ALL_OR_NONE = " OR ".join(
    [
        "(" + " AND ".join(f"{c} IS NULL" for c in ANCHOR_COLUMNS) + ")",
        "(" + " AND ".join(f"{c} IS NOT NULL" for c in ANCHOR_COLUMNS) + " AND 0 <= quote_start AND quote_start < quote_end)",
    ]
)


class Claim(Editable, Reviewed, db.Model):
    __table_args__ = (
        sa.UniqueConstraint("dispute_id", "slug"),
        sa.UniqueConstraint("id", "dispute_id"),
        sa.ForeignKeyConstraint(["statement_id", "dispute_id"], ["statement.id", "statement.dispute_id"]),
        sa.ForeignKeyConstraint(["reported_in_id", "dispute_id"], ["statement.id", "statement.dispute_id"]),
        sa.CheckConstraint(ANCHOR_ALL_OR_NONE, name="anchor_complete"),
        sa.CheckConstraint(
            "(quote_exact IS NOT NULL) = (NOT reconstructed OR reported_in_id IS NOT NULL)",
            name="anchor_iff_text",
        ),
        sa.CheckConstraint("reconstructed OR reported_in_id IS NULL", name="reported_only_if_reconstructed"),
    )

    id: Mapped[intpk]
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute.id"), index=True)
    statement_id: Mapped[int] = mapped_column(index=True)
    slug: Mapped[slug_str]
    summary: Mapped[title_str]  # the editor's one-line wording of the claim
    kind: Mapped[ClaimKind]
    # Worded by an editor: no verbatim source of the claim is on record.
    reconstructed: Mapped[bool] = mapped_column(default=False)
    # For a reconstructed claim: the statement whose words report it.
    reported_in_id: Mapped[int | None] = mapped_column(index=True)
    # The quote's anchor (W3C TextQuoteSelector plus offsets) in the statement's
    # text, or in reported_in's text for a reported claim.
    quote_start: Mapped[int | None]
    quote_end: Mapped[int | None]
    quote_exact: Mapped[str | None] = mapped_column(sa.Text)
    quote_prefix: Mapped[str | None] = mapped_column(sa.String(64))
    quote_suffix: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Who suggested it (a contributor's claim waits for review; an editor's is approved).
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # A duplicate merged into another claim: hidden, and its address redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claim.id"))

    statement: Mapped[Statement] = relationship(
        back_populates="claims",
        primaryjoin="Statement.id == Claim.statement_id",
        foreign_keys="Claim.statement_id",
    )
    reported_in: Mapped[Statement | None] = relationship(
        primaryjoin="Statement.id == Claim.reported_in_id", foreign_keys="Claim.reported_in_id"
    )
    # What this claim answers, and what answers it.
    responses: Mapped[list["Response"]] = relationship(
        back_populates="claim",
        primaryjoin="Claim.id == Response.claim_id",
        foreign_keys="Response.claim_id",
        cascade="all, delete-orphan",
        order_by="Response.id",
    )
    answered_by: Mapped[list["Response"]] = relationship(
        back_populates="target",
        primaryjoin="Claim.id == Response.target_id",
        foreign_keys="Response.target_id",
        viewonly=True,
        order_by="Response.id",
    )
    evidence: Mapped[list["Evidence"]] = relationship(  # noqa: F821
        back_populates="claim", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    # What readers see of it (shown_evidence, verdict) is mapped in tracker/shown.py, beside the rules.
    tags: Mapped[list["ClaimTag"]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="ClaimTag.name"
    )

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    @property
    def is_reported(self) -> bool:
        return self.reported_in_id is not None

    @classmethod
    def quoted_from(cls, statement_id) -> sa.ColumnElement[bool]:
        """Claims whose quote sits in that statement's text: its own verbatim claims, and the claims it reports."""
        return sa.or_(sa.and_(cls.statement_id == statement_id, cls.reconstructed.is_(False)),
                      cls.reported_in_id == statement_id)

    @property
    def anchor_statement(self) -> Statement | None:
        """The statement whose text holds this claim's quote, if any."""
        if not self.reconstructed:
            return self.statement
        return self.reported_in

    def __repr__(self) -> str:
        return f"<Claim {self.slug}>"


class ClaimTag(db.Model):
    """A topic within a dispute ("environment", "sovereignty"), for filtering its timeline."""

    __table_args__ = (sa.Index("ix_claim_tag_name", "name"),)

    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), primary_key=True)

    claim: Mapped[Claim] = relationship(back_populates="tags")


class Response(Editable, db.Model):
    """A claim answers another claim of the same dispute."""

    __table_args__ = (
        sa.UniqueConstraint("claim_id", "target_id"),
        sa.ForeignKeyConstraint(
            ["claim_id", "dispute_id"], ["claim.id", "claim.dispute_id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id", "dispute_id"], ["claim.id", "claim.dispute_id"], ondelete="CASCADE"
        ),
        sa.CheckConstraint("claim_id <> target_id", name="not_itself"),
    )

    id: Mapped[intpk]
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute.id"), index=True)
    claim_id: Mapped[int]
    target_id: Mapped[int] = mapped_column(index=True)
    relation: Mapped[Relation]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(
        back_populates="responses",
        primaryjoin="Claim.id == Response.claim_id",
        foreign_keys="Response.claim_id",
    )
    target: Mapped[Claim] = relationship(
        back_populates="answered_by",
        primaryjoin="Claim.id == Response.target_id",
        foreign_keys="Response.target_id",
    )
