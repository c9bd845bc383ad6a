"""The feeds' addresses, and the links every page gives to its feeds."""

import datetime as dt

from flask import Blueprint, abort, current_app, request, url_for
from jinja2 import pass_context

from tracker.db import in_utc
from tracker.disputes.queries import actor_by_slug, dispute_by_slug
from tracker.models import Actor, Dispute
from tracker.settings import publisher_url

from . import atom, queries
from .queries import Scope

bp = Blueprint("feeds", __name__)

ATOM_TYPE = "application/atom+xml; charset=utf-8"
# The feed a page of a dispute links (with the site's): pages of these blueprints given a `dispute`.
DISPUTE_PAGES = frozenset({"disputes", "statements", "claims", "maps"})
SITE_TITLE = "Tracker: new statements, verdicts and corrections"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@bp.route("/feed.atom")
def site():
    return answer("site", SITE_TITLE, url_for("disputes.index", _external=True), Scope(), EPOCH)


@bp.route("/disputes/<slug>/feed.atom")
def dispute(slug: str):
    found = dispute_by_slug(slug) or abort(404)
    return answer(f"dispute-{found.id}", f"{found.title}: new statements, verdicts and corrections",
                  url_for("disputes.timeline", slug=found.slug, _external=True), Scope(dispute=found),
                  found.created_at)


@bp.route("/actors/<slug>/feed.atom")
def actor(slug: str):
    found = actor_by_slug(slug) or abort(404)
    return answer(f"actor-{found.id}", f"{found.name}: new statements, verdicts and corrections",
                  url_for("actors.detail", slug=found.slug, _external=True), Scope(actor=found), EPOCH)


def answer(name: str, title: str, page_link: str, scope: Scope, quiet_since: dt.datetime):
    publisher = (current_app.config["PUBLISHER_NAME"], publisher_url())
    document = atom.feed(root=publisher_url(), name=name, title=title, self_link=request.base_url,
                         page_link=page_link, author=publisher, entries=queries.latest(scope),
                         quiet_since=in_utc(quiet_since))
    return current_app.response_class(document, content_type=ATOM_TYPE)


@bp.app_template_global()
@pass_context
def alternate_feeds(context) -> list[tuple[str, str]]:
    """(title, address) of the feeds a page links in its head: the site's, and its dispute's or actor's."""
    feeds = [(SITE_TITLE, url_for("feeds.site"))]
    dispute, actor = context.get("dispute"), context.get("actor")
    if request.blueprint in DISPUTE_PAGES and isinstance(dispute, Dispute) and dispute.deleted_at is None:
        feeds.append((f"{dispute.title}: news of this dispute", url_for("feeds.dispute", slug=dispute.slug)))
    if request.endpoint == "actors.detail" and isinstance(actor, Actor):
        feeds.append((f"{actor.name}: news of their statements", url_for("feeds.actor", slug=actor.slug)))
    return feeds
