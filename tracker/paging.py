"""Keyset pages: one way every list is cut into pages, and where the next page starts, as a URL value.

A page is the rows after a key (a tuple of the ordering columns' values); its link carries the key
of its last row as "value~value" (a time in ISO form, an id). A key that is not one, or names an id
no row can have, is the reader's error (400), never a query the database cannot run.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from flask import abort

from .db import db
from .rules import MAX_ID


def keyset_page(query: sa.Select, columns: Sequence, after: tuple | None, size: int,
                key: Callable[[Any], tuple], descending: bool = True) -> tuple[list, tuple | None]:
    """Up to `size` rows of `query` ordered by `columns`, those after the key `after`; and the next page's key.

    `key(row)` gives a row's values of `columns` (the next page starts after the last row's)."""
    if after is not None:
        mine = sa.tuple_(*columns)
        theirs = sa.tuple_(*(sa.literal(value, column.type) for value, column in zip(after, columns)))
        query = query.where(mine < theirs if descending else mine > theirs)
    order = [column.desc() for column in columns] if descending else list(columns)
    rows = list(db.session.execute(query.order_by(*order).limit(size + 1)))
    rows = [row[0] if len(row) == 1 else tuple(row) for row in rows]
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, key(rows[-1])


def cursor_text(key: tuple | None) -> str | None:
    """The URL value that continues a list after this key."""
    if key is None:
        return None
    return "~".join(value.isoformat() if isinstance(value, dt.datetime) else str(value) for value in key)


def parse_cursor(text: str | None, kinds: Sequence[type], what: str) -> tuple | None:
    """The key in a URL value made by cursor_text, its parts of these kinds (dt.datetime, dt.date, int)."""
    if not text:
        return None
    parts = text.split("~")
    try:
        if len(parts) != len(kinds):
            raise ValueError(text)
        return tuple(parse_part(part, kind) for part, kind in zip(parts, kinds))
    except ValueError:
        abort(400, description=f'The "after" parameter is not a position in the list of {what}.')


def parse_part(part: str, kind: type):
    if kind is int:
        number = int(part)
        if not 0 <= number <= MAX_ID:
            raise ValueError(part)
        return number
    if kind is dt.date:
        return dt.date.fromisoformat(part)
    return dt.datetime.fromisoformat(part)


def row_id(value: str | None, parameter: str = "after") -> int | None:
    """An id from the URL's `parameter`, or None when there is none; 400 when it is not one any row can have."""
    if value in (None, ""):
        return None
    try:
        return parse_part(value, int)
    except ValueError:
        abort(400, description=f'The "{parameter}" parameter is not a position in this list.')


def page_number(value: str | None, last: int) -> int:
    """A numbered page from the URL (1 when there is none); 400 when it is not one from 1 to `last`."""
    if value in (None, ""):
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > len(str(last)) or not 1 <= int(value) <= last:
        abort(400, description=f'The "page" parameter is not a page of this list: give a number from 1 to {last:,}.')
    return int(value)
