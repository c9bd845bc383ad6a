"""Accounts of contributors, editors and admins: in the history too, never with password material."""

import hashlib
import json

import sqlalchemy as sa

from tracker import history, rules
from tracker.db import db
from tracker.models import Role, User
from tracker.passwords import hash_password

from .by import By
from .edits import checked
from .errors import Invalid, NotAllowed, Taken
from .sessions import end_sessions
from .tokens import revoke_tokens


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
    # Rights taken or changed: the browsers signed in with the old ones are signed out, and the API tokens
    # made with the old ones die (a token carries its owner's role: a new role asks for a new token).
    if before["role"] != role.value:
        end_access(user.id, "role changed")
    if before["active"] and not user.active:
        end_access(user.id, "account deactivated")
    return user


def end_access(user_id: int, because: str, keep: str | None = None) -> tuple[int, int]:
    """End every session of the account (but the one `keep` names) and revoke its API tokens: what ends
    a browser's access ends a program's too. How many sessions, and how many tokens."""
    return end_sessions(user_id, because, keep=keep), revoke_tokens(user_id, because)


def set_password(user: User, password: str, *, by: By, keep: str | None = None) -> None:
    """A new password, set by an admin or by the account itself; the history says only that it changed.

    Every session of the account ends, but the one `keep` names (the owner's own, changing it)."""
    if by.user_id != user.id:
        by.require(Role.admin)
    user.password_hash = hash_password(checked("password", rules.password, password))
    revision = history.record("password", user, {}, by)
    _, tokens = end_access(user.id, "password changed", keep=keep if by.user_id == user.id else None)
    revision.after = {"password": "changed", **({"api tokens": f"{tokens} revoked"} if tokens else {})}


def sign_out_everywhere(user: User, *, by: By) -> int:
    """End every session of the account and revoke its API tokens (the owner, or an admin); how many sessions."""
    if by.user_id != user.id and not by.can(Role.admin):
        raise NotAllowed("only an admin can sign out someone else")
    ended, tokens = end_access(user.id, "signed out everywhere" if by.user_id == user.id else "ended by an admin")
    if by.user_id != user.id:
        revision = history.record("sign-out", user, {}, by)
        revision.after = {"sessions": f"{ended} ended", **({"api tokens": f"{tokens} revoked"} if tokens else {})}
    return ended
