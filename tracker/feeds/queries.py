"""What a feed holds: the latest statements, verdicts and corrections readers see, in one scope.

Each kind is one query of at most LATEST rows, whatever the site's size; the three lists are then
merged by time and cut to LATEST again.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin

import sqlalchemy as sa
from flask import request, url_for
from sqlalchemy.orm import contains_eager, defer

from tracker.db import db, in_utc
from tracker.editor.corrections import with_links
from tracker.models import Actor, Claim, Correction, Dispute, Revision, Statement, Verdict
from tracker.shown import CLAIM_SHOWN, LIVE, STATEMENT_SHOWN, VERDICT_SHOWN

LATEST = 50


@dataclass
class Scope:
    """The whole site, one dispute, or one actor's statements."""

    dispute: Dispute | None = None
    actor: Actor | None = None

    def statements(self) -> sa.ColumnElement[bool]:
        if self.dispute is not None:
            return Statement.dispute_id == self.dispute.id
        if self.actor is not None:
            return Statement.speaker_id == self.actor.id
        return sa.true()

    def corrections(self) -> sa.ColumnElement[bool]:
        """Corrections of the statements in scope, of their claims, and of those claims' verdicts."""
        if self.dispute is not None:
            return Correction.dispute_id == self.dispute.id
        if self.actor is None:
            return sa.true()
        statements = sa.select(Statement.id).where(self.statements())
        claims = sa.select(Claim.id).where(Claim.statement_id.in_(statements))
        verdicts = sa.select(Verdict.id).where(Verdict.claim_id.in_(claims))
        return sa.or_(*(sa.and_(Correction.object_type == kind, Correction.object_id.in_(ids))
                        for kind, ids in (("statement", statements), ("claim", claims), ("verdict", verdicts))))


@dataclass
class Entry:
    kind: str  # statement, verdict, correction: with the row id, what the entry's id is made of
    row_id: int
    title: str
    link: str
    updated: dt.datetime
    summary: str


def latest(scope: Scope) -> list[Entry]:
    """The LATEST newest entries in the scope, newest first."""
    entries = statements(scope) + verdicts(scope) + corrections(scope)
    return sorted(entries, key=lambda e: (e.updated, e.kind, e.row_id), reverse=True)[:LATEST]


def revision_time(function, kind: str, row_id) -> sa.ScalarSelect:
    """When the row was first (min) or last (max) changed, from its revisions."""
    return (sa.select(function(Revision.created_at))
            .where(Revision.object_type == kind, Revision.object_id == row_id).scalar_subquery())


def statements(scope: Scope) -> list[Entry]:
    """The newest statements (the newest rows: they have no date of their own for when they came in)."""
    query = (
        sa.select(Statement, revision_time(sa.func.max, "statement", Statement.id))
        .join(Dispute, Dispute.id == Statement.dispute_id)
        .join(Actor, Actor.id == Statement.speaker_id)
        .where(STATEMENT_SHOWN, LIVE, scope.statements())
        .options(contains_eager(Statement.dispute), contains_eager(Statement.speaker), defer(Statement.text))
        .order_by(Statement.id.desc()).limit(LATEST)
    )
    entries = []
    for statement, changed in db.session.execute(query):
        where = f", {statement.venue}" if statement.venue else ""
        entries.append(Entry(
            "statement", statement.id, f"{statement.speaker.name}: {statement.title}",
            url_for("statements.detail", dispute_slug=statement.dispute.slug, slug=statement.slug, _external=True),
            in_utc(changed or statement.dispute.created_at),
            f"{statement.kind.label.capitalize()} by {statement.speaker.name}, {statement.date_label}{where}. "
            f"In the dispute “{statement.dispute.title}”.",
        ))
    return entries


def verdicts(scope: Scope) -> list[Entry]:
    query = (
        sa.select(Verdict.id, Verdict.rating, Verdict.explanation, Verdict.set_at, Claim.slug, Claim.summary,
                  Dispute.slug.label("dispute_slug"))
        .join(Claim, Claim.id == Verdict.claim_id)
        .join(Statement, Statement.id == Claim.statement_id)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .where(VERDICT_SHOWN, CLAIM_SHOWN, STATEMENT_SHOWN, LIVE, scope.statements())
        .order_by(Verdict.set_at.desc(), Verdict.id.desc()).limit(LATEST)
    )
    return [Entry("verdict", row.id, f"Verdict: {row.rating.label}: {row.summary}",
                  url_for("claims.detail", dispute_slug=row.dispute_slug, slug=row.slug, _external=True),
                  in_utc(row.set_at), row.explanation)
            for row in db.session.execute(query)]


def corrections(scope: Scope) -> list[Entry]:
    """The newest corrections, linked to what they corrected while readers see it (else to /corrections)."""
    query = (
        sa.select(Correction, Dispute).join(Dispute, Dispute.id == Correction.dispute_id)
        .where(LIVE, scope.corrections())
        .order_by(Correction.created_at.desc(), Correction.id.desc()).limit(LATEST)
    )
    everywhere = url_for("editor.corrections", _external=True)
    return [Entry("correction", found.correction.id, f"{found.correction.kind.value.capitalize()} to {found.label}",
                  urljoin(request.url_root, found.link) if found.link else everywhere,
                  in_utc(found.correction.created_at), found.correction.reason)
            for found in with_links(list(db.session.execute(query)))]

