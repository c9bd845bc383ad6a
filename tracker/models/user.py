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
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
