"""Write functions for accounts managed by admins; they record history and never commit."""

from tracker import history
from tracker.auth.passwords import hash_password
from tracker.auth.services import create_user
from tracker.models import Role, User

from .queries import state_of


class Conflict(Exception):
    """The account changed since the form was loaded."""


class LockOut(ValueError):
    """An admin would lose their own admin rights."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def create_account(email: str, name: str, role: Role, password: str) -> User:
    """A new account, recorded in the history (whose snapshot never holds the password hash)."""
    user = create_user(email, name.strip(), role, password)
    history.record("create", user, None)
    return user


def edit_account(user: User, admin: User, *, name: str, role: Role, active: bool, state: str) -> User:
    """Change name, role and activity, if the account is still as the form saw it."""
    if state_of(user) != state:
        raise Conflict()
    if user.id == admin.id and role is not Role.admin:
        raise LockOut("role", "You cannot take away your own admin role: ask another admin.")
    if user.id == admin.id and not active:
        raise LockOut("active", "You cannot deactivate your own account: ask another admin.")
    before = history.snapshot(user)
    user.name, user.role, user.active = name.strip(), role, active
    if history.snapshot(user) != before:
        history.record("edit", user, before)
    return user


def set_password(user: User, password: str) -> None:
    """A new password; the history says only that it changed."""
    user.password_hash = hash_password(password)
    revision = history.record("password", user, {})
    revision.after = {"password": "changed"}
