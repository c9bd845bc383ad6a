"""Personal API tokens: made and revoked by their owner, in the account's history (never the token itself).

A token is 32 random bytes (secrets.token_urlsafe), so a plain SHA-256 of it is what the server keeps: argon2's
slowness protects low-entropy passwords from guessing, and no one guesses 256 random bits, hashed or not. The
token is found by its hash (an indexed, exact lookup), so no comparison of secrets ever depends on their content.
"""

import datetime as dt
import secrets

import sqlalchemy as sa

from tracker import history, rules
from tracker.db import db, in_utc, utcnow
from tracker.models import ApiToken, Role, User

from .by import By
from .edits import checked
from .errors import Invalid, NotAllowed
from .sessions import digest

# Every token starts so: recognisable in a leaked file (secret scanners look for such prefixes), and on sight.
PREFIX = "trk_"
SHOWN = len(PREFIX) + 6  # how much of it the account page shows, to tell tokens apart
NAME_LIMIT = 100
# The lifetimes the account page offers, in days (None: until revoked).
LIFETIMES = (30, 90, 365, None)
# Live tokens an account may hold at once: enough for every program, not an unbounded table.
MAX_LIVE = 20
# last_used_at moves at most this often: a program reading every second writes once a minute, not every second.
USE_STEP = dt.timedelta(minutes=1)


def create_token(user: User, *, name: str, days: int | None, by: By) -> tuple[ApiToken, str]:
    """A new token of the account, and the token itself: shown once, never stored."""
    if by.user_id != user.id:
        raise NotAllowed("only its owner can make an account's token")
    by.require(Role.contributor)
    name = checked("name", rules.one_line, name, NAME_LIMIT, required=True)
    if days not in LIFETIMES:
        raise Invalid("days", "choose one of the lifetimes offered: " + ", ".join(
            f"{d} days" if d else "until revoked" for d in LIFETIMES))
    live = db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
        sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow())))
    if live >= MAX_LIVE:
        raise Invalid("name", f"you have {live} tokens, the most an account may hold: revoke one you no longer use")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=raw[:SHOWN], token_hash=digest(raw),
                     expires_at=utcnow() + dt.timedelta(days=days) if days else None)
    db.session.add(token)
    revision = history.record("token", user, {}, by)
    revision.after = {"api token": f"“{name}” ({token.prefix}…) made"}
    return token, raw


def revoke_token(token: ApiToken, *, by: By) -> None:
    """Revoke one token (its owner, or an admin)."""
    if by.user_id != token.user_id and not by.can(Role.admin):
        raise NotAllowed("only its owner or an admin can revoke a token")
    if token.revoked_at is not None:
        raise Invalid("token", "this token is already revoked")
    token.revoked_at, token.revoked_because = utcnow(), "revoked" if by.user_id == token.user_id else "by an admin"
    revision = history.record("token-revoke", db.session.get(User, token.user_id), {}, by)
    revision.after = {"api token": f"“{token.name}” ({token.prefix}…) revoked"}


def revoke_tokens(user_id: int, because: str) -> int:
    """Revoke every live token of the account (when all its sessions end); how many there were."""
    return db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_because=because[:40])).rowcount


def use_is_due(token: ApiToken, now: dt.datetime) -> bool:
    """Whether the token's last use on record is more than a minute old (or there is none)."""
    return token.last_used_at is None or now - in_utc(token.last_used_at) >= USE_STEP


def mark_used(token_id: int, now: dt.datetime) -> None:
    """Note that the token was used now (callers ask use_is_due first: not a write at every request)."""
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
