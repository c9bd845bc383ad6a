"""Signing in: the password check and the brake on guessing."""

import datetime as dt

import sqlalchemy as sa

from tracker.core.accounts import record_failed_sign_in
from tracker.db import db, utcnow
from tracker.models import LoginFailure, User
from tracker.passwords import verify_password

# The 11th failure within a minute, for one account or from one address, is refused.
FAILURES_ALLOWED = 10
FAILURE_WINDOW = dt.timedelta(minutes=1)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def too_many_failures(email: str, address: str) -> bool:
    """Whether this account or this address has used up its failures for now."""
    since = utcnow() - FAILURE_WINDOW
    recent = sa.select(sa.func.count(LoginFailure.id)).where(LoginFailure.at > since)
    by_account = db.session.scalar(recent.where(LoginFailure.email == normalize_email(email)))
    by_address = db.session.scalar(recent.where(LoginFailure.address == address))
    return max(by_account, by_address) >= FAILURES_ALLOWED


def authenticate(email: str, password: str, address: str) -> User | None:
    """The active user with these credentials, or None (and the failure is recorded)."""
    email = normalize_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if verify_password(user.password_hash if user else None, password) and user.active:
        return user
    record_failed_sign_in(email, address)
    return None


