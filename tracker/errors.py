"""Error pages people can read."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .db import db


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(500, server_error)


def http_error(error: HTTPException):
    """The error page, with the headers the error carries (Retry-After of a 429, Allow of a 405)."""
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return render_template("error.html", error=error), error.code, headers


def server_error(error):
    db.session.rollback()
    return render_template("error.html", error=None), 500
