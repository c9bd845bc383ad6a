"""Read functions for managing accounts."""

import sqlalchemy as sa

from tracker.models import User
from tracker.paging import keyset_page

USERS_PER_PAGE = 50


def users(after_id: int | None) -> tuple[list[User], int | None]:
    """Accounts in the order they were made (keyset on id), and where the next page starts."""
    rows, key = keyset_page(sa.select(User), (User.id,), (after_id,) if after_id else None, USERS_PER_PAGE,
                            key=lambda user: (user.id,), descending=False)
    return rows, key[0] if key else None
