"""The last check of a link: an evidence link or a statement's source, as the link checker found it."""

import datetime as dt
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import db, intpk, in_utc


class LinkCheck(db.Model):
    """One row per link (the latest check replaces the one before): not an edit, so no revision."""

    __table_args__ = (
        sa.CheckConstraint("(evidence_id IS NULL) <> (statement_id IS NULL)", name="one_link"),
    )

    id: Mapped[intpk]
    evidence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence.id", ondelete="CASCADE"), unique=True)
    statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statement.id", ondelete="CASCADE"), unique=True)
    # The address checked: when the link is edited afterwards, this check is about another address.
    url: Mapped[str] = mapped_column(sa.String(2000))
    status: Mapped[int | None]  # the final HTTP status; None when no answer came (see error)
    error: Mapped[str | None] = mapped_column(sa.String(300))  # "timeout", "DNS failure", "refused: ..."
    redirects: Mapped[list] = mapped_column(sa.JSON, default=list)  # the addresses redirected to, in order
    final_url: Mapped[str | None] = mapped_column(sa.String(2000))
    content_type: Mapped[str | None] = mapped_column(sa.String(200))
    checked_at: Mapped[dt.datetime] = mapped_column(index=True)  # indexed: the newest one is in every ETag

    @property
    def state(self) -> str:
        return link_state(self.status, self.error, self.redirects)

    @property
    def summary(self) -> str:
        """What a reader is told: ok, redirected → host, dead (404 / timeout), not checked (refused)."""
        state = self.state
        if state == "redirected":
            return f"redirected → {self.final_host}"
        if state == "dead":
            # The kind of failure ("TLS error"), not its details; an error outranks the status it came with
            # (302 after too many redirects).
            return f"dead ({self.error.split(':', 1)[0] if self.error else self.status})"
        return "not checked (refused)" if state == "refused" else "ok"

    @property
    def final_host(self) -> str | None:
        """The host the link ends up on (after its redirects)."""
        return urlsplit(self.final_url).hostname if self.final_url else None

    @property
    def when(self) -> dt.datetime:
        return in_utc(self.checked_at)


def link_state(status: int | None, error: str | None, redirects: list | None) -> str:
    """ok, redirected, dead, or refused (the guard would not connect to its address)."""
    if error is not None and error.startswith("refused"):
        return "refused"
    if status is None or not 200 <= status < 300:
        return "dead"
    return "redirected" if redirects else "ok"
