"""Accounts of contributors, editors and admins (readers need none)."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import db, intpk, utcnow


class Role(enum.Enum):
    contributor = "contributor"
    editor = "editor"
    admin = "admin"


class User(db.Model):
    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(default=Role.contributor)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
