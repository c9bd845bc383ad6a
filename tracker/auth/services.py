"""The password check of signing in: reading only, since argon2 takes a fifth of a second and no write
transaction may be held open meanwhile (it would stall every other writer)."""

import sqlalchemy as sa

from tracker.db import db
from tracker.models import User
from tracker.passwords import verify_password


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password(email: str, password: str) -> User | None:
    """The active account with these credentials, or None (an unknown email takes as long as a wrong password)."""
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if verify_password(user.password_hash if user else None, password) and user.active:
        return user
    return None
