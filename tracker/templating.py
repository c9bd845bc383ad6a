"""Template filters: how values read on a page."""

import datetime as dt

from flask import Flask


def init_app(app: Flask) -> None:
    app.add_template_filter(day)


def day(value: dt.date) -> str:
    """A date as people read it: "22 January 2020"."""
    return f"{value.day} {value:%B %Y}"
