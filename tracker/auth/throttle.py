"""How long a sign-in attempt must wait: guessing slows down, and the owner is never locked out.

The scheme is OWASP's ("Authentication Cheat Sheet", login throttling, with "device cookies"):
- a browser the account signed in from before carries a device cookie; it is held back only by
  its own failures (DEVICE_LIMIT an hour), whatever others try from its address;
- any other attempt is held back after PAIR_LIMIT failures for one account from one address;
- an address spraying many accounts is held back after ADDRESS_LIMIT failures;
- an account guessed at from many addresses (ACCOUNT_BRAKE failures an hour) holds back every
  address that failed on it, but not an address that did not: the owner signing in from a new
  place still gets in, and an attacker gets a single guess per address an hour.
Each refusal says when to try again (Retry-After). Reading only: nothing here writes.
"""

import datetime as dt
import math

import sqlalchemy as sa

from tracker.db import db, utcnow
from tracker.models import LoginFailure

PAIR_LIMIT, PAIR_WINDOW = 5, dt.timedelta(minutes=15)
ADDRESS_LIMIT, ADDRESS_WINDOW = 30, dt.timedelta(minutes=15)
ACCOUNT_BRAKE, ACCOUNT_WINDOW = 20, dt.timedelta(hours=1)
DEVICE_LIMIT, DEVICE_WINDOW = 10, dt.timedelta(hours=1)


def wait_before_trying(email: str, address: str, device: str | None) -> int | None:
    """Seconds this attempt must wait before it may be tried, or None if it may go ahead now."""
    now = utcnow()
    if device is not None:
        return wait(now, LoginFailure.device == device, DEVICE_LIMIT, DEVICE_WINDOW)
    waits = [
        wait(now, sa.and_(LoginFailure.email == email, LoginFailure.address == address), PAIR_LIMIT, PAIR_WINDOW),
        wait(now, LoginFailure.address == address, ADDRESS_LIMIT, ADDRESS_WINDOW),
    ]
    if count_since(now - ACCOUNT_WINDOW, LoginFailure.email == email) >= ACCOUNT_BRAKE:
        # Under attack from many places: only addresses that failed on the account are held back.
        waits.append(wait(now, sa.and_(LoginFailure.email == email, LoginFailure.address == address), 1,
                          ACCOUNT_WINDOW))
    waits = [seconds for seconds in waits if seconds is not None]
    return max(waits) if waits else None


def wait(now: dt.datetime, which, limit: int, window: dt.timedelta) -> int | None:
    """While `limit` failures matching `which` lie within `window`: the seconds until the oldest of them leaves it."""
    times = list(db.session.scalars(
        sa.select(LoginFailure.at).where(which, LoginFailure.at > now - window)
        .order_by(LoginFailure.at.desc()).limit(limit)
    ))
    if len(times) < limit:
        return None
    oldest = times[-1] if times[-1].tzinfo else times[-1].replace(tzinfo=dt.UTC)
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def count_since(since: dt.datetime, which) -> int:
    return db.session.scalar(sa.select(sa.func.count(LoginFailure.id)).where(which, LoginFailure.at > since))
