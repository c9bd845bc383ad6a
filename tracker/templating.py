"""Template filters: how values read on a page."""

import datetime as dt

from flask import Flask

from .models import Role


def init_app(app: Flask) -> None:
    app.add_template_filter(day)
    app.jinja_env.globals["Role"] = Role  # for current_user.can(Role.editor)


def day(value: dt.date) -> str:
    """A date as people read it: "22 January 2020"."""
    return f"{value.day} {value:%B %Y}"
