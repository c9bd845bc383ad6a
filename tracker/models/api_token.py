"""Personal API tokens: a program acting for an account, with that account's role."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import db, in_utc, intpk, utcnow


class ApiToken(db.Model):
    """A token its owner made on the account page; the server keeps its hash, never the token itself."""

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(12))  # its first characters, shown to tell tokens apart
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the token
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]  # to the minute: not written at every request
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_because: Mapped[str | None] = mapped_column(sa.String(40))

    def is_live(self, now: dt.datetime) -> bool:
        """Neither revoked nor expired at `now`."""
        return self.revoked_at is None and (self.expires_at is None or in_utc(self.expires_at) > now)
