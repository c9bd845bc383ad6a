"""Configuration from the environment and the instance folder, never from the repository."""

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask, current_app, request


def load(app: Flask, overrides: dict | None) -> None:
    """Fill app.config: TRACKER_* variables, then the caller's overrides, then instance defaults."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    # Secure cookies unless turned off for plain local HTTP (TRACKER_INSECURE_COOKIES=1).
    secure = os.environ.get("TRACKER_INSECURE_COOKIES") != "1"
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ.get("TRACKER_DATABASE_URL")
        or f"sqlite:///{instance / 'tracker.sqlite3'}",
        SECRET_KEY=os.environ.get("TRACKER_SECRET_KEY"),
        SESSION_COOKIE_SECURE=secure, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure, REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        # A session ends this long after signing in, or after this long without a request.
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=whole_number("TRACKER_SESSION_HOURS", 12, least=1)),
        SESSION_IDLE=dt.timedelta(minutes=whole_number("TRACKER_SESSION_IDLE_MINUTES", 120, least=1)),
        # Proxy hops in front of the app whose X-Forwarded-For and -Proto are believed (security.py).
        TRUSTED_PROXIES=whole_number("TRACKER_TRUSTED_PROXIES", 0),
        # The largest request body read, in bytes; a larger one is refused (413) from its Content-Length.
        MAX_CONTENT_LENGTH=whole_number("TRACKER_MAX_CONTENT_LENGTH", 2 * 1024 * 1024, least=1),
        # What shared caches and browsers are told about public reader pages (caching.py).
        CACHE_CONTROL=os.environ.get("TRACKER_CACHE_CONTROL", "").strip()
        or "public, max-age=60, stale-while-revalidate=300",
        # Who publishes the verdicts (ClaimReview's author); its address also roots the feeds' entry ids.
        PUBLISHER_NAME=os.environ.get("TRACKER_PUBLISHER_NAME", "").strip() or "Tracker",
        PUBLISHER_URL=http_address("TRACKER_PUBLISHER_URL"),
        # Requests to /api/v1 a caller may make in a window (api/limits.py): per address without a token, per
        # token with one; "off" for none.
        API_LIMIT=rate("TRACKER_API_LIMIT", "300/minute"),
        API_TOKEN_LIMIT=rate("TRACKER_API_TOKEN_LIMIT", "1200/minute"),
        # The ports the link checker may connect to (tracker links check); 80 and 443 unless set.
        LINKS_PORTS=port_list("TRACKER_LINKS_PORTS", (80, 443)),
    )
    app.config.update(overrides or {})
    if "MAX_FORM_MEMORY_SIZE" not in (overrides or {}):
        # Flask's own 500 kB cap on one multipart text field would refuse a text the body limit lets in.
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
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


def whole_number(name: str, default: int, least: int = 0) -> int:
    """A TRACKER_* variable holding a whole number, or `default` when it is unset or empty."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or int(text) < least:
        raise ValueError(f"{name} must be a whole number, at least {least}; it is {text!r}")
    return int(text)


WINDOWS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def rate(name: str, default: str) -> tuple[int, int] | None:
    """A TRACKER_* variable holding a rate, "300/minute" (per second, minute, hour or day), as (requests,
    seconds); None for "off"; `default` when it is unset or empty."""
    text = os.environ.get(name, "").strip() or default
    if text == "off":
        return None
    count, _, window = text.partition("/")
    if not count.isascii() or not count.isdigit() or int(count) < 1 or window not in WINDOWS:
        raise ValueError(f'{name} must be a rate such as "300/minute" (per second, minute, hour or day), or "off"; '
                         f"it is {text!r}")
    return int(count), WINDOWS[window]


def port_list(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """A TRACKER_* variable holding TCP ports separated by commas ("80,443,8080"), or `default`."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    ports = [part.strip() for part in text.split(",")]
    if not all(p.isascii() and p.isdigit() and 1 <= int(p) <= 65535 for p in ports):
        raise ValueError(f"{name} must be TCP ports (1 to 65535) separated by commas; it is {text!r}")
    return tuple(int(p) for p in ports)


def http_address(name: str) -> str | None:
    """A TRACKER_* variable holding an http(s) address, or None when it is unset or empty."""
    text = os.environ.get(name, "").strip()
    if text and not text.startswith(("http://", "https://")):
        raise ValueError(f"{name} must be an http or https address; it is {text!r}")
    return text or None


def publisher_url() -> str:
    """The publisher's address: TRACKER_PUBLISHER_URL, or else this site's."""
    return current_app.config["PUBLISHER_URL"] or request.url_root
