"""Evidence: links that support, refute or give context to a claim; a contributor's wait for review."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import history, rules
from tracker.db import db
from tracker.models import Claim, Evidence, ReviewStatus, Role, Stance

from . import edits
from .by import By
from .edits import assign, checked, record_edit
from .errors import Taken


class DuplicateLink(Taken):
    """The claim already has this link: `existing` is the item that has it (in any state)."""

    def __init__(self, existing: Evidence):
        super().__init__("url", "this link is already on this claim")
        self.existing = existing


def add_evidence(claim: Claim, *, url: str, title: str, stance: Stance | str, publisher: str | None = None,
                 date: dt.date | str | None = None, excerpt: str | None = None, by: By,
                 review: ReviewStatus | None = None) -> Evidence:
    """Hang a link on the claim: an editor's is approved, a contributor's waits (`review` sets another state,
    for those who may: an import)."""
    by.require(Role.contributor)
    values = evidence_values(url, title, stance, publisher, date, excerpt)
    refuse_duplicate(claim, None, values["url"])
    item = Evidence(claim_id=claim.id, added_by_id=by.user_id, **values)
    if review is not None and review is not ReviewStatus.approved:
        by.require(Role.editor)
        item.review = review
    else:
        item.review = ReviewStatus.approved if by.can(Role.editor) else ReviewStatus.pending
    db.session.add(item)
    flush_checking_link(claim, item, values["url"])
    history.record("create", item, None, by)
    return item


def edit_evidence(item: Evidence, *, url: str, title: str, stance: Stance | str, publisher: str | None = None,
                  date: dt.date | str | None = None, excerpt: str | None = None, by: By,
                  version: int | None = None) -> Evidence:
    """Change an item still at `version` (None: no check)."""
    by.require(Role.editor)
    values = evidence_values(url, title, stance, publisher, date, excerpt)
    claim = item.claim
    moved = values["url"] != item.url  # only a new link can clash with another item's
    if moved:
        refuse_duplicate(claim, item, values["url"])
    before = edits.loaded_at(item, version)
    assign(item, values)
    if moved:
        flush_checking_link(claim, item, values["url"])
    record_edit(item, before, by, dispute_id=claim.dispute_id, published=False)
    return item


def evidence_values(url, title, stance, publisher, date, excerpt) -> dict:
    return {
        "url": checked("url", rules.link, url),
        "title": checked("title", rules.one_line, title, rules.LIMITS["title"], required=True),
        "stance": checked("stance", rules.choice, stance, Stance),
        "publisher": checked("publisher", rules.one_line, publisher, rules.LIMITS["publisher"]),
        "date": checked("date", rules.day, date),
        "excerpt": checked("excerpt", rules.free_text, excerpt, rules.LIMITS["excerpt"]),
    }


def refuse_duplicate(claim: Claim, item: Evidence | None, url: str) -> None:
    """DuplicateLink when another item of the claim (in any state) has the link."""
    query = sa.select(Evidence).where(Evidence.claim_id == claim.id, Evidence.url == url)
    if item is not None and item.id is not None:
        query = query.where(Evidence.id != item.id)
    with db.session.no_autoflush:  # the item being saved may be the one that clashed
        existing = db.session.scalar(query)
    if existing is not None:
        raise DuplicateLink(existing)


def flush_checking_link(claim: Claim, item: Evidence, url: str) -> None:
    """Write the item now: a concurrent save of the same link meets the unique key, and is told so."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        refuse_duplicate(claim, item if item.id is not None else None, url)
        raise
