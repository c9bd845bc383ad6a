"""Who calls the API: a personal API token in `Authorization: Bearer <token>`, and nothing else.

A browser's session cookie opens no write here: the API takes no CSRF token, so a write with only a cookie
would let any site drive it through a visitor's browser. A program sends its token, which no other site can
make a browser send. Reading needs no token; a token sent with a read is checked all the same (a bad one is
a 401), and names whom the rate limits count (`g.api_token_id`).
"""

import sqlalchemy as sa
from flask import g, request

from tracker.core.sessions import digest
from tracker.core.tokens import PREFIX, mark_used, use_is_due
from tracker.db import begin_write, db, utcnow
from tracker.models import ApiToken, User
from tracker.problems import problem
from tracker.security import csrf, login_manager

from .blueprint import bp

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
REALM = 'Bearer realm="tracker"'

# A token's bearer has no cookie to forge: the CSRF check (for forms) does not apply here; `authenticate` below
# refuses any write without a token instead.
csrf.exempt(bp)


@bp.before_request
def authenticate():
    """The token's owner becomes this request's user; a missing token on a write, or a bad one, is a 401."""
    # Nothing of an earlier request's token (g outlives a request where an app context serves several, as in tests).
    g.pop("api_token_id", None)
    g.pop("api_user", None)
    header = request.headers.get("Authorization")
    if header is None:
        if request.method in WRITES:
            detail = ("This API is written to with a personal API token: make one on your account page and send "
                      "it as “Authorization: Bearer <token>”. A signed-in browser's cookie is not enough.")
            return problem(401, detail, headers={"WWW-Authenticate": REALM})
        return None
    scheme, _, raw = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return refused("The Authorization header must be “Bearer <token>”.", "invalid_request", 400)
    found = owner_of(raw.strip())
    if found is None:
        return refused("This token is not valid: it is unknown, revoked or expired, or its account is disabled. "
                       "Make a new one on your account page.", "invalid_token", 401)
    token, user = found
    g.api_token_id, g.api_user = token.id, user
    # Flask-Login's user for this request is the token's owner, never the session cookie's: nothing here reads
    # or refreshes the session.
    login_manager._update_request_context_with_user(user)
    note_use(token)
    return None


def owner_of(raw: str) -> tuple[ApiToken, User] | None:
    """The live token and its active owner, found by the token's hash (an exact lookup: nothing secret is
    compared character by character), or None."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    row = db.session.execute(
        sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None), User.active)).first()
    if row is None or not row.ApiToken.is_live(utcnow()):
        return None
    return row.ApiToken, row.User


def note_use(token: ApiToken) -> None:
    """Move last_used_at, at most once a minute per token: a short write of its own, before the request's work
    (the rows read so far are read again when next used)."""
    now = utcnow()
    if use_is_due(token, now):
        token_id = token.id
        begin_write()
        mark_used(token_id, now)
        db.session.commit()


def refused(detail: str, error: str, status: int):
    return problem(status, detail, headers={"WWW-Authenticate": f'{REALM}, error="{error}"'})

