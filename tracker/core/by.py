"""Who makes a change: an account, or a source with no account (an import, the command line)."""

import getpass
from dataclasses import dataclass

from tracker.models import Role
from tracker.models.user import RANKS

from .errors import NotAllowed


@dataclass(frozen=True)
class By:
    """The author of a change, as its revisions name it.

    Plain values, read once: after a rollback the account's row is expired, and reading it
    again in the middle of a change would flush half of it.
    """

    user_id: int | None = None
    role: Role | None = None  # None for a source: someone at the machine, who may do anything
    source: str | None = None

    @classmethod
    def account(cls, user) -> "By":
        return cls(user_id=user.id, role=user.role if user.active else None, source=None)

    @classmethod
    def machine(cls, what: str) -> "By":
        """A change made at the machine ("import of bundle x"), named with who ran it."""
        return cls(source=f"{what} (run by {operator()})")

    def can(self, role: Role) -> bool:
        if self.user_id is None:
            return True
        return self.role is not None and RANKS[self.role] >= RANKS[role]

    def require(self, role: Role) -> None:
        if not self.can(role):
            raise NotAllowed(f"this change is for {role.value}s")


def operator() -> str:
    """The system account running the command (none known in some containers)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "an unknown user"
