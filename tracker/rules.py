"""Every rule a value must meet, written once.

The forms' validators, the bundle checker and the write core call these same
functions, so a rule cannot drift between doors. Each takes what a person typed
(or a bundle holds) and returns the value to store, or raises RuleError with a
message that reads after the field's name: "title: is 301 characters long...".
"""

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import langcodes

from .models import DatePrecision
from .urls import normalize_url


class RuleError(ValueError):
    """A value that breaks a rule; the message says which and how to mend it."""


# Longest values, by what they are (the columns are sized to match).
LIMITS = {
    "slug": 80, "tag": 50, "title": 300, "summary": 300, "dispute_summary": 20_000, "name": 200, "role": 200,
    "country": 100, "venue": 300, "language": 35, "publisher": 200, "link": 2000, "excerpt": 5000,
    "quote": 20_000, "explanation": 10_000, "reason": 2000, "note": 1000, "text": 1_000_000,
    "user_name": 120, "email": 254, "password": 1000,
}
MIN_PASSWORD = 12

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
TAG = re.compile(r"[a-z0-9][a-z0-9 _-]*\Z")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
# Slugs that are words of the site's own addresses (/disputes/<slug>/statements/new).
RESERVED_SLUGS = frozenset({"new", "edit"})

# Characters that write one thing and show another: embedding and override controls
# (U+202A-U+202E) and isolates (U+2066-U+2069) can reverse what follows on a page.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Not in a one-line value: the controls (Unicode's category Cc is exactly C0, DEL and C1) and the bidi
# controls. A pattern, not a look-up per character: an import checks hundreds of thousands of values.
ONE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
ASCII_CONTROL = re.compile("[\x00-\x1f\x7f]")
# In long text a line break or a tab is text; the other C0 controls, DEL and C1 are not.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line(value: Any, limit: int, *, required: bool = False) -> str | None:
    """A one-line value (a title, a name): trimmed; no control, line-break or bidi-override character."""
    text = _trimmed(value, required)
    if text is None:
        return None
    bad = ONE_LINE_BAD.search(text)
    if bad is not None:
        raise RuleError(f"holds an invisible character ({_name(bad.group())}); a one-line value can hold none")
    return _within(text, limit)


def free_text(value: Any, limit: int, *, required: bool = False) -> str | None:
    """Several lines of prose (a summary, a reason): trimmed, its line breaks plain LF (browsers send CRLF);
    tabs allowed, no other control."""
    text = _trimmed(value, required)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = TEXT_CONTROL.search(text)
    if found:
        raise RuleError(f"holds an invisible character ({_name(found.group())}) that cannot be stored")
    return _within(text, limit)


def verbatim(value: Any, limit: int = LIMITS["text"]) -> str | None:
    """A text kept byte for byte (a statement, a quote): only NUL, which no database keeps, is refused.

    None when it holds nothing but blanks."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RuleError(f"must be text, not {_kind(value)}")
    if "\x00" in value:
        raise RuleError("holds a NUL character (an invisible character that cannot be stored); remove it")
    if not value.strip():
        return None
    return _within(value, limit)


def slug(value: Any, *, reserved: Iterable[str] = RESERVED_SLUGS) -> str:
    """A slug: lower-case letters, digits and single hyphens, not a word of the site's addresses."""
    text = _trimmed(value, required=True)
    _within(text, LIMITS["slug"])
    if not SLUG.match(text):
        raise RuleError(f'"{text}" is not a slug: use lower-case letters, digits and single hyphens '
                        "(e.g. trade-quarrel-2024)")
    if text in reserved:
        raise RuleError(f'"{text}" is a word of the site\'s own addresses; choose another slug')
    return text


def tags(values: Any) -> list[str]:
    """Topic tags, lower-cased, without repeats, sorted: letters, digits, spaces, - and _."""
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise RuleError("must be a list of tags")
    cleaned = sorted({v.strip().lower() for v in values if v.strip()})
    for tag in cleaned:
        if len(tag) > LIMITS["tag"] or not TAG.match(tag):
            raise RuleError(f'"{tag}" is not a tag: letters, digits, spaces, - and _, at most {LIMITS["tag"]} '
                            "characters")
    return cleaned


def language(value: Any) -> str | None:
    """A BCP 47 language tag of registered subtags ("en", "pt-BR", "zh-Hans"), in its standard form."""
    text = _trimmed(value, required=False)
    if text is None:
        return None
    _within(text, LIMITS["language"])
    if "_" in text or not langcodes.tag_is_valid(text):
        raise RuleError(f'"{text}" is not a language tag: use one such as en, pt-BR or zh-Hans (BCP 47)')
    return langcodes.standardize_tag(text)


def link(value: Any, *, required: bool = True) -> str | None:
    """An absolute http(s) link, normalised; nothing invisible in it (a zero-width space hides a twin site)."""
    text = _trimmed(value, required)
    if text is None:
        return None
    if text.isascii():  # of those categories, ASCII has only the controls: no need to ask each character
        found = ASCII_CONTROL.search(text)
        bad = found.group() if found else None
    else:
        bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")), None)
    if bad is not None:
        raise RuleError(f"holds an invisible character ({_name(bad)}); type the link again")
    try:
        normal = normalize_url(text)
    except ValueError as error:
        raise RuleError(f"{_shown(text)}: {error}") from None
    return _within(normal, LIMITS["link"])


# A Web Archive snapshot: /web/<timestamp, 4 to 14 digits>[<mode>_]/<the original http(s) address>.
WEB_ARCHIVE = re.compile(r"/web/\d{4,14}(?:[a-z]{2}_)?/https?://[^/]+", re.IGNORECASE)
# archive.today keeps one snapshot under a short id on each of its mirror domains.
ARCHIVE_TODAY_HOSTS = frozenset({"archive.today", "archive.ph", "archive.is", "archive.li", "archive.vn",
                                 "archive.fo", "archive.md"})
ARCHIVE_TODAY = re.compile(r"/[A-Za-z0-9]{4,10}\Z")


def archived_copy(value: Any) -> str | None:
    """An archived copy of a page: a Web Archive snapshot address, or an archive.today short link.

    https://web.archive.org/web/20200122103000/https://example.org/page, or https://archive.ph/AbC12;
    served over https whichever way it was typed. None if empty."""
    normal = link(value, required=False)
    if normal is None:
        return None
    _scheme, rest = normal.split("://", 1)
    host, _, path = rest.partition("/")
    path = "/" + path
    if host == "web.archive.org" and WEB_ARCHIVE.match(path):
        return "https://" + rest
    if host in ARCHIVE_TODAY_HOSTS and ARCHIVE_TODAY.match(path):
        return "https://" + rest
    raise RuleError(f"not a Web Archive address: {_shown(value.strip())} (use "
                    "https://web.archive.org/web/<timestamp>/<the original link>, or an archive.today short "
                    "link such as https://archive.ph/AbC12)")


DATE_FORMATS = (("%Y-%m-%d", DatePrecision.day), ("%Y-%m", DatePrecision.month), ("%Y", DatePrecision.year))


def partial_date(value: Any) -> tuple[dt.date, DatePrecision] | tuple[None, None]:
    """A day ("2020-01-22" or a TOML date), a month ("2020-01") or a year ("2020"); (None, None) if empty.

    A month or a year is stored as its first day with its precision."""
    if value is None or value == (None, None) or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], DatePrecision):
        return value  # already read: a date and how precisely it is known
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, DatePrecision.day
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    for pattern, precision in DATE_FORMATS:
        if len(text) == len(dt.date(2000, 1, 1).strftime(pattern)):
            try:
                return dt.datetime.strptime(text, pattern).date(), precision
            except ValueError:
                break
    raise RuleError(f"{_shown(value)} is not a date: use a year (2020), a month (2020-01) or a day (2020-01-22)")


def day(value: Any) -> dt.date | None:
    """A whole date (2020-01-22), or None if empty."""
    try:
        date, precision = partial_date(value)
    except RuleError:
        raise RuleError(f"{_shown(value)} is not a date: write it as year-month-day, such as 2020-01-22") from None
    if date is not None and precision is not DatePrecision.day:
        raise RuleError(f"{_shown(value)} is not a whole date: use a day such as 2020-01-22")
    return date


# The largest key an INTEGER column holds on every database (SQLite and PostgreSQL alike).
MAX_ID = 2**31 - 1


def row_id(value: Any) -> int:
    """The id of a row: a whole number any row could have (a larger one is an error, not a query)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise RuleError(f"{_shown(value)} is not the number of anything here")
    return value


def row_ids(values: Any) -> list[int]:
    """Ids of rows, sorted, without repeats."""
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise RuleError("must be a list of numbers")
    return sorted({row_id(value) for value in values})


def choice(value: Any, kind: type[enum.Enum], *, required: bool = True):
    """A member of `kind` by its value, written as people do ("press release", "Press-Release")."""
    if isinstance(value, kind):
        return value
    if value is None or value == "":
        if required:
            raise RuleError(f"is required (one of: {choices(kind)})")
        return None
    if isinstance(value, str):
        try:
            return kind(value.strip().lower().replace(" ", "_").replace("-", "_"))
        except ValueError:
            pass
    raise RuleError(f"{_shown(value)} is not one of: {choices(kind)}")


def choices(kind: type[enum.Enum]) -> str:
    return ", ".join(label(member) for member in kind)


def label(member: enum.Enum) -> str:
    """An enum value as people write it: "press release", not press_release."""
    return member.value.replace("_", " ")


def email(value: Any) -> str:
    """An email address, lower-cased: accounts are found by it."""
    text = one_line(value, LIMITS["email"], required=True).lower()
    if not EMAIL.match(text):
        raise RuleError(f'"{text}" is not an email address (e.g. ann@example.org)')
    return text


def password(value: Any) -> str:
    if not isinstance(value, str) or len(value) < MIN_PASSWORD:
        raise RuleError(f"must be at least {MIN_PASSWORD} characters long")
    if "\x00" in value:
        raise RuleError("holds a NUL character; choose another password")
    return _within(value, LIMITS["password"])


# ---- shared pieces -------------------------------------------------------------------

def _trimmed(value: Any, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RuleError("is required")
        return None
    if not isinstance(value, str):
        raise RuleError(f"must be text, not {_kind(value)}")
    return value.strip()


def _within(text: str, limit: int) -> str:
    if len(text) > limit:
        raise RuleError(f"is {len(text):,} characters long; at most {limit:,} are allowed")
    return text


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def _kind(value: Any) -> str:
    return {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
