"""Configuration from the environment and the instance folder, never from the repository."""

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask


def load(app: Flask, overrides: dict | None) -> None:
    """Fill app.config: TRACKER_* variables, then the caller's overrides, then instance defaults."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    # Secure cookies unless turned off for plain local HTTP (TRACKER_INSECURE_COOKIES=1).
    secure = os.environ.get("TRACKER_INSECURE_COOKIES") != "1"
    lifetime = dt.timedelta(hours=number("TRACKER_SESSION_HOURS", 12))
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ.get("TRACKER_DATABASE_URL")
        or f"sqlite:///{instance / 'tracker.sqlite3'}",
        SECRET_KEY=os.environ.get("TRACKER_SECRET_KEY"),
        SESSION_COOKIE_SECURE=secure, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure, REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        # A session ends this long after signing in, or after this long without a request.
        PERMANENT_SESSION_LIFETIME=lifetime, SESSION_IDLE=dt.timedelta(minutes=number("TRACKER_SESSION_IDLE_MINUTES", 120)),
    )
    app.config.update(overrides or {})
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret(instance / "secret_key")


def instance_secret(path: Path) -> str:
    """The secret key kept in the instance folder, made on first use."""
    if not path.exists():
        # Written aside, then linked into place: two workers starting at once
        # end up with one key, and nobody reads a half-written file.
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def number(name: str, default: int) -> int:
    """A whole number from the environment; a setting that is not one stops the start, naming it."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r}: give a whole number") from None
    if number <= 0:
        raise SystemExit(f"{name}={value!r}: give a number above 0")
    return number
