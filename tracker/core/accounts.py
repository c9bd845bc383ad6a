"""Accounts of contributors, editors and admins: in the history too, never with password material."""

import datetime as dt
import hashlib
import json

import sqlalchemy as sa

from tracker import history, rules
from tracker.db import db, utcnow
from tracker.models import LoginFailure, Role, User
from tracker.passwords import hash_password

from .by import By
from .edits import checked
from .errors import Invalid, Taken

# Failed sign-ins older than this say nothing more: they are dropped.
FAILURES_KEPT = dt.timedelta(hours=1)


class AccountConflict(Exception):
    """The account changed since the form was loaded (accounts have no version: `state_of` fingerprints them)."""


def create_account(email: str, name: str | None, role: Role | str, password: str, *, by: By) -> User:
    """A new account (its name defaults to the part of the email before @)."""
    by.require(Role.admin)
    email = checked("email", rules.email, email)
    name = checked("name", rules.one_line, name, rules.LIMITS["user_name"]) or email.split("@")[0]
    role = checked("role", rules.choice, role, Role)
    password = checked("password", rules.password, password)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise Taken("email", f"there is already an account for {email}")
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    history.record("create", user, None, by)
    return user


def state_of(user: User) -> str:
    """A fingerprint of the account's content (never its password): it changes when anyone saves it."""
    return hashlib.sha256(json.dumps(history.snapshot(user), sort_keys=True).encode()).hexdigest()


def edit_account(user: User, *, name: str, role: Role | str, active: bool, by: By, state: str | None = None) -> User:
    """Change name, role and activity, if the account is still as the admin saw it (`state`)."""
    by.require(Role.admin)
    name = checked("name", rules.one_line, name, rules.LIMITS["user_name"], required=True)
    role = checked("role", rules.choice, role, Role)
    if state is not None and state_of(user) != state:
        raise AccountConflict(user)
    if user.id == by.user_id and role is not Role.admin:
        raise Invalid("role", "you cannot take away your own admin role: ask another admin")
    if user.id == by.user_id and not active:
        raise Invalid("active", "you cannot deactivate your own account: ask another admin")
    before = history.snapshot(user)
    user.name, user.role, user.active = name, role, bool(active)
    if history.snapshot(user) != before:
        history.record("edit", user, before, by)
    return user


def set_password(user: User, password: str, *, by: By) -> None:
    """A new password; the history says only that it changed."""
    by.require(Role.admin)
    user.password_hash = hash_password(checked("password", rules.password, password))
    revision = history.record("password", user, {}, by)
    revision.after = {"password": "changed"}


def record_failed_sign_in(email: str, address: str) -> None:
    """Remember a failed sign-in for a while, to slow down password guessing."""
    db.session.add(LoginFailure(email=email[:254], address=address[:45]))
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < utcnow() - FAILURES_KEPT))
