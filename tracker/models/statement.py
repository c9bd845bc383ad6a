"""A statement (speech, press release, ...) stored verbatim, and what it answers."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from tracker.db import db, intpk, slug_str, title_str

from .actor import Actor
from .dispute import Dispute
from .editorial import Editable

HTTP_URL = "{col} IS NULL OR {col} LIKE 'http://%' OR {col} LIKE 'https://%'"


class StatementKind(enum.Enum):
    speech = "speech"
    press_release = "press_release"
    interview = "interview"
    post = "post"
    report = "report"
    other = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class DatePrecision(enum.Enum):
    day = "day"
    month = "month"
    year = "year"


ISO_LENGTH = {DatePrecision.day: 10, DatePrecision.month: 7, DatePrecision.year: 4}


def format_date(date: dt.date | None, precision: "DatePrecision | None") -> str:
    """A date as people read it, no more precise than it is known."""
    if date is None or precision is None:
        return "date unknown"
    if precision is DatePrecision.year:
        return str(date.year)
    if precision is DatePrecision.month:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


class Statement(Editable, db.Model):
    __table_args__ = (
        sa.UniqueConstraint("dispute_id", "slug"),
        # Target of the composite keys that keep claims and answers in one dispute.
        sa.UniqueConstraint("id", "dispute_id"),
        sa.CheckConstraint("(date IS NULL) = (date_precision IS NULL)", name="date_has_precision"),
        sa.CheckConstraint(HTTP_URL.format(col="source_url"), name="source_url_http"),
        # A dispute's earliest and latest dates, one step into the index (the disputes' list orders by them).
        sa.Index("ix_statement_dispute_date", "dispute_id", "date", "date_precision"),
    )

    id: Mapped[intpk]
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute.id"), index=True)
    slug: Mapped[slug_str]
    speaker_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id"), index=True)
    title: Mapped[title_str]
    kind: Mapped[StatementKind]
    # A month or a year is stored as its first day; the precision says how to read it.
    date: Mapped[dt.date | None]
    date_precision: Mapped[DatePrecision | None]
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    source_url: Mapped[str | None] = mapped_column(sa.String(2000))
    language: Mapped[str | None] = mapped_column(sa.String(35))  # BCP 47 tag, e.g. "en", "zh-Hans"
    # The verbatim text; NULL when no transcript is on record yet.
    text: Mapped[str | None] = mapped_column(sa.Text)
    # Lets list pages say "no transcript" without loading long texts.
    has_text: Mapped[bool] = column_property(text.is_not(None))

    dispute: Mapped[Dispute] = relationship(back_populates="statements")
    speaker: Mapped[Actor] = relationship()
    claims: Mapped[list["Claim"]] = relationship(  # noqa: F821
        back_populates="statement",
        primaryjoin="Statement.id == Claim.statement_id",
        foreign_keys="Claim.statement_id",
        order_by="(Claim.quote_start.is_(None), Claim.quote_start, Claim.id)",
    )
    answers: Mapped[list["StatementAnswer"]] = relationship(
        back_populates="statement",
        primaryjoin="Statement.id == StatementAnswer.statement_id",
        foreign_keys="StatementAnswer.statement_id",
        cascade="all, delete-orphan",
    )
    answered_by: Mapped[list["StatementAnswer"]] = relationship(
        back_populates="answered",
        primaryjoin="Statement.id == StatementAnswer.answered_id",
        foreign_keys="StatementAnswer.answered_id",
        viewonly=True,
    )

    @property
    def date_label(self) -> str:
        return format_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str | None:
        """The date in ISO form, cut to its precision ("2020-01" for a month)."""
        if self.date is None or self.date_precision is None:
            return None
        return self.date.isoformat()[: ISO_LENGTH[self.date_precision]]

    def __repr__(self) -> str:
        return f"<Statement {self.slug}>"


class StatementAnswer(db.Model):
    """One statement answers an earlier one (a statement may answer several)."""

    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["statement_id", "dispute_id"], ["statement.id", "statement.dispute_id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["answered_id", "dispute_id"], ["statement.id", "statement.dispute_id"], ondelete="CASCADE"
        ),
        sa.CheckConstraint("statement_id <> answered_id", name="not_itself"),
    )

    statement_id: Mapped[int] = mapped_column(primary_key=True)
    answered_id: Mapped[int] = mapped_column(primary_key=True, index=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute.id"))

    statement: Mapped[Statement] = relationship(
        back_populates="answers",
        primaryjoin="Statement.id == StatementAnswer.statement_id",
        foreign_keys="StatementAnswer.statement_id",
    )
    answered: Mapped[Statement] = relationship(
        back_populates="answered_by",
        primaryjoin="Statement.id == StatementAnswer.answered_id",
        foreign_keys="StatementAnswer.answered_id",
    )
