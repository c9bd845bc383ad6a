"""How many API requests a caller may make: per address without a token, per token with one (settings
API_LIMIT and API_TOKEN_LIMIT), in fixed windows of time. Beyond that, 429 with Retry-After.

The counts live in the database (models/api_hit.py), so every worker process of the server counts together.
Each request adds one in a transaction of its own, on a connection of its own, committed before the request's
own work begins: it never mixes with the request's transaction, and a request that fails still counts.

A request answered 304 (caching.py, before this) is not counted: it costs one small query, less than counting
it would, and the reader pages it mirrors are not limited either. Callers are rewarded for asking with ETags.
"""

import math
import time

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.dialects import postgresql, sqlite

from tracker.db import WRITE_OPTION, db
from tracker.models import ApiHit
from tracker.problems import problem

from .blueprint import bp

# Kept with the request (g outlives it where an app context serves several, as in tests).
HEADERS = "tracker.api_limit_headers"


def caller() -> tuple[str, tuple[int, int] | None, str]:
    """The key a request is counted under, its limit, and who that is in words (auth.py, whose hook runs
    first, has named the token)."""
    token = g.get("api_token_id")
    if token is not None:
        return f"token:{token}", current_app.config["API_TOKEN_LIMIT"], "this token"
    return f"address:{request.remote_addr or 'unknown'}", current_app.config["API_LIMIT"], "this address"


@bp.before_request
def hold_back():
    """429 for a caller past its limit; the limit's headers on every answer otherwise."""
    if request.method == "OPTIONS":
        return None  # a browser's preflight: the request it announces is counted
    key, limit, who = caller()
    if limit is None:
        return None
    allowed, seconds = limit
    now = clock()
    start = int(now // seconds) * seconds
    hits = count(key, start, now)
    reset = max(1, math.ceil(start + seconds - now))
    headers = {"RateLimit-Limit": str(allowed), "RateLimit-Remaining": str(max(0, allowed - hits)),
               "RateLimit-Reset": str(reset)}
    request.environ[HEADERS] = headers
    if hits > allowed:
        return problem(429, f"Too many requests from {who}: at most {allowed:,} every {window_words(seconds)}. "
                            f"Try again in {reset} seconds.", headers={**headers, "Retry-After": str(reset)})
    return None


@bp.after_request
def tell_limit(response):
    for name, value in request.environ.get(HEADERS, {}).items():
        response.headers.setdefault(name, value)
    return response


def count(key: str, start: int, now: float) -> int:
    """Add this request to the key's count in the window starting at `start`; the count, this one included.

    One upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING: SQLite 3.35+ and PostgreSQL), committed at once.
    The first request of a window also drops the counts of windows that are over, for every key."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(ApiHit).values(key=key, window_start=start, hits=1)
    upsert = upsert.on_conflict_do_update(index_elements=["key", "window_start"],
                                          set_={"hits": ApiHit.hits + 1}).returning(ApiHit.hits)
    with db.engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})  # SQLite: take the write lock as the transaction begins
        with connection.begin():
            hits = connection.execute(upsert).scalar_one()
            if hits == 1:
                connection.execute(sa.delete(ApiHit).where(ApiHit.window_start < now - longest_window()))
    return hits


def clock() -> float:
    """Seconds since 1970 (UTC); the tests set it."""
    return time.time()


def longest_window() -> int:
    limits = (current_app.config["API_LIMIT"], current_app.config["API_TOKEN_LIMIT"])
    return max((limit[1] for limit in limits if limit), default=0)


def window_words(seconds: int) -> str:
    return {1: "second", 60: "minute", 3600: "hour", 86400: "day"}.get(seconds, f"{seconds} seconds")
