"""Values typed into editor forms: slugs made from titles, verbatim text as pasted."""

import re
import unicodedata
from collections.abc import Iterable

from wtforms.validators import ValidationError

SLUG_LENGTH = 60
# Characters no database keeps (PostgreSQL refuses NUL) or no one-line value holds.
LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def slug_from(words: str, fallback: str) -> str:
    """A slug made from a title or a name ("Mr. Pompeo's remarks" → "mr-pompeo-s-remarks")."""
    ascii_words = unicodedata.normalize("NFKD", words or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_LENGTH]
    return slug.strip("-") or fallback


def free_slug(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet."""
    taken = set(taken)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def verbatim(value: str | None) -> str:
    """Text as pasted: only the line breaks browsers send as CRLF (or CR) become LF."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def one_line(form, field) -> None:
    """A validator: no control characters in a one-line value."""
    if field.data and LINE_CONTROL.search(field.data):
        raise ValidationError("Remove the control characters (a line break or an invisible character) from it.")


def no_nul(form, field) -> None:
    """A validator for long text: NUL is the one character the database cannot keep."""
    if field.data and "\x00" in field.data:
        raise ValidationError("Remove the NUL character (an invisible character that cannot be stored) from it.")
