"""The API's query parameters read and checked: anything wrong is a 400 problem naming the parameter."""

import enum

from flask import abort, request

from tracker.disputes.timeline import Cursor
from tracker.paging import parse_part
from tracker.problems import problem

MAX_TEXT = 200


def refuse(field: str, message: str):
    """Stop with a 400 problem naming the parameter at fault."""
    abort(problem(400, message, errors=[{"field": field, "message": message}]))


def text(field: str, required: bool = False, longest: int = MAX_TEXT) -> str:
    value = request.args.get(field, "").strip()
    if required and not value:
        refuse(field, f'Give the "{field}" parameter: the words to look for.')
    if len(value) > longest:
        refuse(field, f'The "{field}" parameter is {len(value)} characters long; at most {longest} are read.')
    return value


def choice(field: str, kind: type[enum.Enum]):
    """A member of the enum named by the parameter, or None when it is absent or empty."""
    value = request.args.get(field, "")
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        refuse(field, f'The "{field}" parameter must be one of: {", ".join(m.value for m in kind)}.')


def position(kinds: tuple[type, ...], what: str) -> tuple | None:
    """The `after` key of a keyset list (paging.cursor_text's form), or None."""
    value = request.args.get("after", "")
    if not value:
        return None
    parts = value.split("~")
    try:
        if len(parts) != len(kinds):
            raise ValueError(value)
        return tuple(parse_part(part, kind) for part, kind in zip(parts, kinds))
    except ValueError:
        refuse("after", f'The "after" parameter is not a position in the list of {what}: '
                        'follow the "next" address of the page before.')


def timeline_position(what: str) -> Cursor | None:
    """The `after` of a timeline page ("12" or "12.34"), or None."""
    value = request.args.get("after", "")
    if not value:
        return None
    try:
        return Cursor.parse(value)
    except ValueError:
        refuse("after", f'The "after" parameter is not a position in {what}: follow the "next" address of the '
                        'page before.')
