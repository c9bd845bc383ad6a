"""Evidence: links that support, refute or give context to a claim; a contributor's wait for review."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker import history, rules
from tracker.db import db
from tracker.models import Claim, Evidence, ReviewStatus, Role, Stance

from . import edits
from .by import By
from .edits import CHUNK, Checks, assign, record_edit
from .errors import Invalid, Taken


class DuplicateLink(Taken):
    """The claim already has this link: `existing` is the item that has it (in any state)."""

    def __init__(self, existing: Evidence):
        super().__init__("url", "this link is already on this claim")
        self.existing = existing


def add_evidence(claim: Claim, *, url: str, title: str, stance: Stance | str, publisher: str | None = None,
                 date: dt.date | str | None = None, excerpt: str | None = None, archived_url: str | None = None,
                 by: By, review: ReviewStatus | None = None) -> Evidence:
    """Hang a link on the claim: an editor's is approved, a contributor's waits (`review` sets another state,
    for those who may: an import). `archived_url`: an archived copy of the page (a Web Archive address)."""
    return add_many_evidence([dict(claim=claim, url=url, title=title, stance=stance, publisher=publisher, date=date,
                                   excerpt=excerpt, archived_url=archived_url, review=review)], by=by)[0]


def add_many_evidence(items: list[dict], *, by: By) -> list[Evidence]:
    """Links, each checked as add_evidence checks one (its keyword arguments in a dict), inserted together.

    DuplicateLink (or Invalid) at the first item refused; a link another writer added meanwhile meets
    the unique key, and is reported the same way.
    """
    by.require(Role.contributor)
    if not items:
        return []  # an INSERT of no rows would insert one row of defaults
    rows, claims = [], []
    for item in items:
        claim = item["claim"]
        values = evidence_values(item["url"], item["title"], item["stance"], item.get("publisher"), item.get("date"),
                                 item.get("excerpt"), item.get("archived_url"))
        review = item.get("review")
        if review is not None and review is not ReviewStatus.approved:
            by.require(Role.editor)
        else:
            review = ReviewStatus.approved if by.can(Role.editor) else ReviewStatus.pending
        rows.append({**values, "claim_id": claim.id, "added_by_id": by.user_id, "review": review})
        claims.append(claim)
    stored = linked([row["claim_id"] for row in rows])
    for claim, row in zip(claims, rows):
        if (claim.id, row["url"]) in stored:
            refuse_duplicate(claim, None, row["url"])  # DuplicateLink, naming the item stored with it
            raise Invalid("url", "this link is given twice for this claim")
        stored.add((claim.id, row["url"]))
    try:
        with db.session.begin_nested():
            # Matched back by their unique key: asking the database to keep the order would insert row by row.
            made = {(e.claim_id, e.url): e for e in db.session.scalars(sa.insert(Evidence).returning(Evidence), rows)}
    except IntegrityError:
        for claim, row in zip(claims, rows):
            refuse_duplicate(claim, None, row["url"])
        raise
    items = [made[row["claim_id"], row["url"]] for row in rows]
    history.record_created(items, by)
    return items


def linked(claim_ids: list[int]) -> set[tuple[int, str]]:
    """(claim id, url) of every item those claims have, in any state."""
    found: set[tuple[int, str]] = set()
    ids = sorted(set(claim_ids))
    for i in range(0, len(ids), CHUNK):
        query = sa.select(Evidence.claim_id, Evidence.url).where(Evidence.claim_id.in_(ids[i:i + CHUNK]))
        found.update((claim_id, url) for claim_id, url in db.session.execute(query))
    return found


def edit_evidence(item: Evidence, *, url: str, title: str, stance: Stance | str, publisher: str | None = None,
                  date: dt.date | str | None = None, excerpt: str | None = None, archived_url: str | None = None,
                  by: By, version: int | None = None) -> Evidence:
    """Change an item still at `version` (None: no check)."""
    by.require(Role.editor)
    values = evidence_values(url, title, stance, publisher, date, excerpt, archived_url)
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


def evidence_values(url, title, stance, publisher, date, excerpt, archived_url=None) -> dict:
    check = Checks()
    values = {
        "url": check("url", rules.link, url),
        "title": check("title", rules.one_line, title, rules.LIMITS["title"], required=True),
        "stance": check("stance", rules.choice, stance, Stance),
        "publisher": check("publisher", rules.one_line, publisher, rules.LIMITS["publisher"]),
        "date": check("date", rules.day, date),
        "excerpt": check("excerpt", rules.free_text, excerpt, rules.LIMITS["excerpt"]),
        "archived_url": check("archived_url", rules.archived_copy, archived_url),
    }
    check.done()
    return values


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
