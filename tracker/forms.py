"""Form pieces shared by every feature."""

import enum

from wtforms import SelectChoice


def enum_options(kind: type[enum.Enum], *, blank: str | None = None) -> list[SelectChoice]:
    """Select options for an enum, labelled as people read them ("press release")."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(m.value, m.value.replace("_", " ")) for m in kind]


# The largest key an INTEGER column holds on every database (SQLite and PostgreSQL alike).
MAX_ID = 2**31 - 1


def row_id(value) -> int | None:
    """A select's value as a row id (the blank option as None); a number no row can have is an invalid choice."""
    if value in (None, ""):
        return None
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("not a row id")
    return number
