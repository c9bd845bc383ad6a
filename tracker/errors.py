"""Error pages people can read."""

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .db import db
from .models import Role
from .problems import problem

# Programs read the API's errors: under it, every error is a problem (RFC 9457), even at an address no route has.
API_PREFIX = "/api/"


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(500, server_error)


def http_error(error: HTTPException):
    """The error page, with the headers the error carries (Retry-After of a 429, Allow of a 405)."""
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if request.path.startswith(API_PREFIX):
        return problem(error.code, error.description or "", headers=headers)
    return render_template("error.html", error=error), error.code, headers


def too_large(error: RequestEntityTooLarge):
    """413, saying how much the site takes; and, to editors, where longer texts come in."""
    sent = f" ({size(request.content_length)})" if request.content_length else ""
    words = (f"What was sent{sent} is more than this site takes in one request: at most "
             f"{size(current_app.config['MAX_CONTENT_LENGTH'])}.")
    if current_user.can(Role.editor):
        words += (" A longer statement text comes in through the importer: put it in a dispute bundle and run "
                  "“tracker import” (the README says how).")
    return http_error(RequestEntityTooLarge(description=words))


def size(count: int) -> str:
    """A number of bytes as people read it: 2 MB, 2.9 MB, 500 kB."""
    for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
        if count >= factor:
            return f"{count / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def server_error(error):
    db.session.rollback()
    if request.path.startswith(API_PREFIX):
        return problem(500, "Something went wrong on the server. It has been logged.")
    return render_template("error.html", error=None), 500
