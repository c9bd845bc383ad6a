"""Accounts of contributors, editors and admins (readers need none)."""

import datetime as dt
import enum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import db, intpk, utcnow


class Role(enum.Enum):
    contributor = "contributor"
    editor = "editor"
    admin = "admin"


# Each role may do what the roles before it may.
RANKS = {Role.contributor: 1, Role.editor: 2, Role.admin: 3}


class User(UserMixin, db.Model):
    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(default=Role.contributor)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def can(self, role: Role) -> bool:
        """Whether this user has at least the rights of `role`."""
        return self.active and RANKS[self.role] >= RANKS[role]


class LoginFailure(db.Model):
    """A failed login, kept a while to slow down password guessing."""

    __table_args__ = (sa.Index("ix_login_failure_email_at", "email", "at"),
                      sa.Index("ix_login_failure_address_at", "address", "at"))

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(45))  # IPv4 or IPv6
    # The browser's device cookie, when it presented one for this account (a browser the account signed in from).
    device: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AccountSession(db.Model):
    """A signed-in browser: its cookie names this row (by a hash of its token), so the server can end it."""

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the cookie's token
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    ended_because: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(45))
    browser: Mapped[str | None] = mapped_column(sa.String(200))  # the User-Agent, for the account page
