"""Public corrections: the site-wide list of dated notes on changed published wording."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template, request, url_for

from tracker.db import db
from tracker.models import Claim, Correction, Dispute, Statement, Verdict
from tracker.paging import cursor_text, keyset_page, parse_cursor
from tracker.shown import LIVE, STATEMENT_SHOWN, VERDICT_SHOWN, visible_claim

from .blueprint import bp

PER_PAGE = 50
# What each kind of corrected object is called when readers no longer see it.
HIDDEN_LABELS = {"claim": "a claim", "statement": "a statement's text", "verdict": "a verdict"}


@dataclass
class Entry:
    correction: Correction
    dispute: Dispute
    label: str
    link: str | None  # None when readers no longer see the corrected object


@bp.route("/corrections")
def corrections():
    after = parse_cursor(request.args.get("after"), (dt.datetime, int), "corrections")
    rows, next_key = corrections_page(after)
    entries = with_links(rows)
    return render_template("editor/corrections.html", entries=entries, next_key=cursor_text(next_key))


def corrections_page(after: tuple | None) -> tuple[list[tuple[Correction, Dispute]], tuple | None]:
    """A page of corrections in live disputes, newest first (keyset on created_at, id), and where the next starts."""
    query = sa.select(Correction, Dispute).join(Dispute, Dispute.id == Correction.dispute_id).where(LIVE)
    return keyset_page(query, (Correction.created_at, Correction.id), after, PER_PAGE,
                       key=lambda row: (row[0].created_at, row[0].id))


def with_links(rows: list[tuple[Correction, Dispute]]) -> list[Entry]:
    """Each correction with a link to what it corrected, if readers see it: one query per kind of object
    (all three run for any page, so the count stays the same whatever the page holds)."""
    if not rows:
        return []
    ids: dict[str, set[int]] = {"claim": set(), "statement": set(), "verdict": set()}
    for correction, _ in rows:
        ids.setdefault(correction.object_type, set()).add(correction.object_id)
    shown: dict[tuple[str, int], tuple] = {}  # (type, id) -> (label, endpoint, slug, anchor)
    claims = sa.select(Claim.id, Claim.slug, Claim.summary).where(Claim.id.in_(ids["claim"]), visible_claim())
    for row in db.session.execute(claims):
        shown["claim", row.id] = (f"the claim “{row.summary}”", "claims.detail", row.slug, None)
    statements = sa.select(Statement.id, Statement.slug, Statement.title).where(
        Statement.id.in_(ids["statement"]), STATEMENT_SHOWN)
    for row in db.session.execute(statements):
        shown["statement", row.id] = (f"the text of “{row.title}”", "statements.detail", row.slug, None)
    verdicts = (
        sa.select(Verdict.id, Claim.slug, Claim.summary).join(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.id.in_(ids["verdict"]), VERDICT_SHOWN, visible_claim())
    )
    for row in db.session.execute(verdicts):
        shown["verdict", row.id] = (f"the verdict on “{row.summary}”", "claims.detail", row.slug, "verdict")
    entries = []
    for correction, dispute in rows:
        found = shown.get((correction.object_type, correction.object_id))
        if found is None:
            label = HIDDEN_LABELS.get(correction.object_type, f"a {correction.object_type}")
            entries.append(Entry(correction, dispute, label, None))
            continue
        label, endpoint, slug, anchor = found
        link = url_for(endpoint, dispute_slug=dispute.slug, slug=slug, _anchor=anchor)
        entries.append(Entry(correction, dispute, label, link))
    return entries
