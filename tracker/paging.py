"""Keyset pages of lists ordered by a timestamp and an id: where the next page starts, as a URL value."""

import datetime as dt

from flask import abort


def cursor_text(key: tuple[dt.datetime, int] | None) -> str | None:
    """The ?after= value that continues a list after this (timestamp, id) key."""
    return f"{key[0].isoformat()}~{key[1]}" if key else None


def parse_cursor(text: str | None, what: str) -> tuple[dt.datetime, int] | None:
    """The (timestamp, id) key of an ?after= value; a malformed one is the reader's error (400)."""
    if not text:
        return None
    stamp, _, ident = text.rpartition("~")
    try:
        return dt.datetime.fromisoformat(stamp), int(ident)
    except ValueError:
        abort(400, description=f'The "after" parameter is not a position in the list of {what}.')
