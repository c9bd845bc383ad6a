"""Write functions for accounts; they never commit."""

import datetime as dt
import re

import sqlalchemy as sa

from tracker.db import db, utcnow
from tracker.models import LoginFailure, Role, User

from .passwords import hash_password, verify_password

# The 11th failure within a minute, for one account or from one address, is refused.
FAILURES_ALLOWED = 10
FAILURE_WINDOW = dt.timedelta(minutes=1)
MIN_PASSWORD = 12
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")


def create_user(email: str, name: str, role: Role, password: str) -> User:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must be at least {MIN_PASSWORD} characters long")
    email = normalize_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise ValueError(f'"{email}" is not an email address')
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise ValueError(f"there is already an account for {email}")
    user = User(email=email, name=name or email.split("@")[0], role=role, password_hash=hash_password(password))
    db.session.add(user)
    return user


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
    db.session.add(LoginFailure(email=email, address=address))
    # Old failures say nothing more: keep the table small.
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < utcnow() - dt.timedelta(hours=1)))
    return None
