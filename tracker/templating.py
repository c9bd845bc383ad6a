"""Template filters: how values read on a page."""

import datetime as dt

from flask import Flask, request, url_for

from .models import Role
from .rules import SLUG


def init_app(app: Flask) -> None:
    app.add_template_filter(day)
    app.add_template_filter(shown)
    app.jinja_env.globals["Role"] = Role  # for current_user.can(Role.editor)
    app.jinja_env.globals["slug_url"] = slug_url


def day(value: dt.date) -> str:
    """A date as people read it: "22 January 2020"."""
    return f"{value.day} {value:%B %Y}"


def shown(value) -> str:
    """A stored value as a history or conflict table shows it: lists joined, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return value


def slug_url(endpoint: str, slug: str, **values) -> str:
    """url_for(endpoint, slug=slug, **values) for an address ending in the slug, the same string, cheaper.

    A page links a hundred claims or statements, and url_for per link cost a tenth of the page: the
    address up to the slug is built once a request, and the slug appended. A slug is lower-case
    letters, digits and hyphens (rules.SLUG), nothing url_for would quote; anything else goes through url_for.
    """
    if not SLUG.match(slug):
        return url_for(endpoint, slug=slug, **values)
    prefixes = request.environ.setdefault("tracker.slug_url_prefixes", {})  # this request's only
    key = (endpoint, *values.items())
    prefix = prefixes.get(key)
    if prefix is None:
        address = url_for(endpoint, slug="-", **values)
        prefix = prefixes[key] = address[:-1] if address.endswith("/-") else ""
    return prefix + slug if prefix else url_for(endpoint, slug=slug, **values)
