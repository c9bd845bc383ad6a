"""Form pieces shared by every feature."""

import enum

from wtforms import SelectChoice


def enum_options(kind: type[enum.Enum], *, blank: str | None = None) -> list[SelectChoice]:
    """Select options for an enum, labelled as people read them ("press release")."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(m.value, m.value.replace("_", " ")) for m in kind]
