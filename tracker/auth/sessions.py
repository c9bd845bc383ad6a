"""Who is signed in on this request: the session cookie names a session the server keeps and can end.

Flask's signed cookie holds the session's token and the time of the browser's last request. The
token must name a session that was not ended (signed out, a password or role changed, signed out
everywhere) and is younger than its lifetime; the last request must be more recent than the idle
timeout. The idle time lives in the signed cookie, so reading a page writes nothing to the database.
"""

import datetime as dt
import time

import sqlalchemy as sa
from flask import current_app, session
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tracker.core.sessions import digest
from tracker.db import db, utcnow
from tracker.models import AccountSession, User
from tracker.security import login_manager

TOKEN = "account_session"
SEEN = "seen"
# A browser that signed in to an account carries this cookie: a device the account knows (OWASP's device cookies).
DEVICE_COOKIE = "tracker_device"
DEVICE_LIFETIME = dt.timedelta(days=365)
# How stale the last-request time may grow before the cookie is sent again (not at every request).
SEEN_STEP = 60


@login_manager.user_loader
def signed_in_account(user_id: str) -> User | None:
    """The account of this request's session, if the session is going and the account active."""
    token = session.get(TOKEN)
    if not token or not user_id.isdigit():
        return None
    now = time.time()
    if now - session.get(SEEN, 0) > current_app.config["SESSION_IDLE"].total_seconds():
        return None
    oldest = utcnow() - current_app.config["PERMANENT_SESSION_LIFETIME"]
    user = db.session.scalar(
        sa.select(User).join(AccountSession, AccountSession.user_id == User.id)
        .where(AccountSession.token_hash == digest(token), AccountSession.ended_at.is_(None),
               AccountSession.created_at > oldest, User.id == int(user_id), User.active)
    )
    if user is not None and now - session.get(SEEN, 0) > SEEN_STEP:
        session[SEEN] = int(now)
    return user


def begin(token: str) -> None:
    """This browser's new session: the old one's keys go, the CSRF secret among them (it rotates)."""
    session.clear()
    session.permanent = True  # the cookie lasts as long as the session may
    session[TOKEN], session[SEEN] = token, int(time.time())


def current_token() -> str | None:
    return session.get(TOKEN)


def device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tracker-device")


def device_of(cookies, email: str) -> str | None:
    """The device cookie's id if this browser signed in to this account before (and the cookie is genuine)."""
    value = cookies.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = device_signer().loads(value, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    return data.get("device") if isinstance(data, dict) and data.get("email") == email else None


def remember_device(response, email: str, device: str) -> None:
    """Mark this browser as one the account signs in from (after a sign-in that worked)."""
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, device_signer().dumps({"email": email, "device": device}),
                        max_age=int(DEVICE_LIFETIME.total_seconds()), secure=config["SESSION_COOKIE_SECURE"],
                        httponly=True, samesite="Lax")
