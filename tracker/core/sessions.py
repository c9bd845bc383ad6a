"""Signing in and out: the sessions the server keeps (so it can end them) and the failed sign-ins it counts."""

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from tracker.db import db, utcnow
from tracker.models import AccountSession, LoginFailure, User

# Failed sign-ins older than this say nothing more: they are dropped.
FAILURES_KEPT = dt.timedelta(hours=1)


def digest(token: str) -> str:
    """What the server keeps of a session's token: its hash (a stolen table gives no cookie)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, address: str | None, browser: str | None) -> str:
    """A new session of the account; returns the token its cookie carries."""
    token = secrets.token_urlsafe(32)
    db.session.add(AccountSession(user_id=user.id, token_hash=digest(token), address=(address or "")[:45] or None,
                                  browser=(browser or "")[:200] or None))
    return token


def end_session(token: str | None, because: str) -> None:
    """End the session this token names (signing out), if it is still going."""
    if token:
        db.session.execute(sa.update(AccountSession)
                           .where(AccountSession.token_hash == digest(token), AccountSession.ended_at.is_(None))
                           .values(ended_at=utcnow(), ended_because=because))


def end_sessions(user_id: int, because: str, keep: str | None = None) -> int:
    """End every session of the account (but the one `keep` names); how many were going."""
    query = (sa.update(AccountSession).where(AccountSession.user_id == user_id, AccountSession.ended_at.is_(None))
             .values(ended_at=utcnow(), ended_because=because))
    if keep:
        query = query.where(AccountSession.token_hash != digest(keep))
    return db.session.execute(query).rowcount


def record_failed_sign_in(email: str, address: str, device: str | None) -> None:
    """Remember a failed sign-in for a while, to slow down password guessing."""
    db.session.add(LoginFailure(email=email[:254], address=address[:45], device=device))
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < utcnow() - FAILURES_KEPT))


def forget_failures(email: str, address: str, device: str | None) -> None:
    """A sign-in that worked: its own failures no longer count against the owner."""
    mine = sa.and_(LoginFailure.email == email, LoginFailure.address == address)
    if device:
        mine = sa.or_(mine, LoginFailure.device == device)
    db.session.execute(sa.delete(LoginFailure).where(mine))
