"""Links: only http and https, in one normal form."""

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# What str.isspace() finds (re's \s for str patterns is the same set), and the C0 controls.
SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")

# Query parameters that say how a reader came to a page, not which page it is (compared lower-cased):
# campaign tags, and the click ids of ad networks, social sites and mailing tools.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "li_fat_id", "oly_anon_id", "oly_enc_id",
    "vero_id", "wickedid", "rb_clickid", "s_cid",
})


def normalize_url(value: str) -> str:
    """The URL with scheme and host lower-cased, a default port, the fragment and tracking parameters dropped.

    The other query parameters stay as they were written, in their order: two links to the same
    article, one shared from a newsletter, compare equal. Raises ValueError with a reader's message
    for anything but an absolute http(s) URL: `javascript:`, `data:`, relative paths, spaces, no
    host, a user name.
    """
    value = value.strip()
    if SPACE_OR_CONTROL.search(value):
        raise ValueError("a link cannot contain spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"not a valid link ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("only http:// and https:// links are accepted")
    if not parts.hostname:
        raise ValueError("the link has no host name")
    if "@" in parts.netloc:
        # https://trusted.example@evil.example reads as one site and goes to another.
        raise ValueError("a link cannot contain a user name or password")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", without_tracking(parts.query), ""))


def without_tracking(query: str) -> str:
    """The query without tracking parameters; the others byte for byte, in their order."""
    kept = [pair for pair in query.split("&") if not is_tracking(pair.split("=", 1)[0])]
    return "&".join(kept)


def is_tracking(name: str) -> bool:
    name = unquote_plus(name).strip().lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)
