"""Template filters: how values read on a page."""

import datetime as dt

from flask import Flask

from .models import Role


def init_app(app: Flask) -> None:
    app.add_template_filter(day)
    app.add_template_filter(shown)
    app.jinja_env.globals["Role"] = Role  # for current_user.can(Role.editor)


def day(value: dt.date) -> str:
    """A date as people read it: "22 January 2020"."""
    return f"{value.day} {value:%B %Y}"


def shown(value) -> str:
    """A stored value as a history or conflict table shows it: lists joined, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return value
