"""Links: only http and https, in one normal form."""

from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(value: str) -> str:
    """The URL with scheme and host lower-cased and a default port dropped.

    Raises ValueError with a reader's message for anything but an absolute
    http(s) URL: `javascript:`, `data:`, relative paths, spaces, no host,
    a user name.
    """
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 for c in value):
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
    return urlunsplit((scheme, host, parts.path or "/", parts.query, parts.fragment))
