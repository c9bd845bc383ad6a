"""HTTP caching of reader pages: what a reader without an account sees is the same for every such reader.

A page is public when it is a reader page, asked with GET or HEAD by a browser holding no session
cookie, and answered 200 with nothing put in the session. It then sets no cookie, sends no
`Vary: Cookie`, and may be kept by shared caches. Its validators come from the latest revision
(every change to what readers see writes one) and from the code that draws pages, so a browser or
proxy that holds them gets 304 before anything is loaded or drawn. Every other page is private.
"""

import datetime as dt
import hashlib
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, Response, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.http import is_resource_modified

from .db import db, in_utc
from .models import LinkCheck, Revision

# The blueprints whose every GET page is a reader's page, and reader pages living elsewhere.
READER_BLUEPRINTS = frozenset({"disputes", "statements", "claims", "actors", "maps", "search", "feeds", "exports",
                               "claimreview", "api"})
READER_ENDPOINTS = frozenset({"editor.corrections"})
PRIVATE = "private, no-cache"
# Kept with the request (g outlives it where an app context serves several, as in tests).
VALIDATORS, PUBLIC_PAGE = "tracker.validators", "tracker.public_page"
DRAWING_SUFFIXES = frozenset({".py", ".html", ".css", ".js", ".svg", ".ico"})


def init_app(app: Flask) -> None:
    app.session_interface = SessionsSparingPublicPages()
    app.before_request(answer_unchanged)
    app.after_request(mark)


class SessionsSparingPublicPages(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a public page neither sets a cookie nor varies by one."""

    def save_session(self, app, session, response) -> None:
        if not (has_request_context() and request.environ.get(PUBLIC_PAGE)):
            super().save_session(app, session, response)


def answer_unchanged() -> Response | None:
    """304 for a reader page the browser (or a proxy) holds as it is now, before any work is done."""
    if not reader_request():
        return None
    etag, modified = request.environ[VALIDATORS] = validators()
    if is_resource_modified(request.environ, etag=etag, last_modified=modified):
        return None
    return current_app.response_class(status=304)


def mark(response: Response) -> Response:
    """Public caching headers on a reader page nothing personal went into; private on the rest."""
    if VALIDATORS in request.environ and response.status_code in (200, 304) and not session:
        etag, modified = request.environ[VALIDATORS]
        response.set_etag(etag)
        response.last_modified = modified
        if "Authorization" in request.headers:
            # An API caller with a token (the session stays empty): the same answer, but only for its own cache.
            response.headers["Cache-Control"] = PRIVATE
        else:
            request.environ[PUBLIC_PAGE] = True
            response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
    elif request.endpoint != "static":
        response.headers.setdefault("Cache-Control", PRIVATE)
    return response


def forget_public_pages(response: Response) -> Response:
    """Signing in or out changes every page: the browser drops the pages it kept (the public ones would
    otherwise be shown for up to max-age, without the account's menu)."""
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


def reader_request() -> bool:
    return (request.method in ("GET", "HEAD") and request.endpoint is not None
            and (request.blueprint in READER_BLUEPRINTS or request.endpoint in READER_ENDPOINTS)
            and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies)


def validators() -> tuple[str, dt.datetime]:
    """The strong ETag and Last-Modified of every reader page: the latest revision, the latest link check
    (claim pages show it; it writes no revision) and the code's version. One query."""
    newest = sa.select(Revision).order_by(Revision.id.desc()).limit(1)
    revision, changed, link_checked = db.session.execute(sa.select(
        newest.with_only_columns(Revision.id).scalar_subquery(),
        newest.with_only_columns(Revision.created_at).scalar_subquery(),
        sa.select(sa.func.max(LinkCheck.checked_at)).scalar_subquery(),
    )).one()
    revision = revision or 0
    times = [in_utc(t) for t in (changed, link_checked) if t is not None] or [dt.datetime.min.replace(tzinfo=dt.UTC)]
    stamp = f"-{int(in_utc(link_checked).timestamp() * 1e6)}" if link_checked is not None else ""
    version, written = code_version()
    return f"{version}-{revision}{stamp}", max(*times, written).replace(microsecond=0)


def code_version() -> tuple[str, dt.datetime]:
    """A digest of the files that draw pages (code, templates, assets), and when the newest was written:
    a new release changes every page, whatever the data."""
    return drawing_files(current_app.root_path, current_app.template_folder)


@cache
def drawing_files(code: str, templates: str) -> tuple[str, dt.datetime]:
    digest = hashlib.sha256()
    newest = 0.0
    for folder in (Path(code), Path(templates)):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in DRAWING_SUFFIXES):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
            newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest()[:16], dt.datetime.fromtimestamp(newest, dt.UTC)
