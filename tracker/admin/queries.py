"""Read functions for managing accounts."""

import hashlib
import json

import sqlalchemy as sa

from tracker import history
from tracker.db import db
from tracker.models import User

USERS_PER_PAGE = 50


def users(after_id: int | None) -> tuple[list[User], int | None]:
    """Accounts in the order they were made (keyset on id), and where the next page starts."""
    query = sa.select(User).order_by(User.id).limit(USERS_PER_PAGE + 1)
    if after_id is not None:
        query = query.where(User.id > after_id)
    rows = list(db.session.scalars(query))
    more = len(rows) > USERS_PER_PAGE
    rows = rows[:USERS_PER_PAGE]
    return rows, rows[-1].id if more else None


def state_of(user: User) -> str:
    """A fingerprint of the account's content (never its password): it changes when anyone saves it."""
    return hashlib.sha256(json.dumps(history.snapshot(user), sort_keys=True).encode()).hexdigest()
