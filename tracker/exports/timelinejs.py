"""A dispute as TimelineJS JSON: one event per dated statement, grouped by speaker, dated as precisely as known.

TimelineJS shows headlines and texts as HTML, so every stored text is escaped here. A statement
without a date has no place on a timeline and is left out.
"""

from flask import url_for
from markupsafe import Markup, escape

from tracker.models import DatePrecision, Dispute

from . import queries


def document(dispute: Dispute) -> dict:
    counts = queries.claims_per_statement(dispute)
    events = []
    for statement in queries.statements(dispute):
        if statement.date is None:
            continue
        page = url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug, _external=True)
        claims = counts.get(statement.id, 0)
        text = Markup("<p>{} by {}, {}{}.</p><p><a href=\"{}\">The statement on the tracker</a>, {} {}.</p>").format(
            statement.kind.label.capitalize(), statement.speaker.name, statement.date_label,
            f", {statement.venue}" if statement.venue else "", page, claims, "claim" if claims == 1 else "claims")
        if statement.source_url:
            text += Markup('<p><a href="{}">The source</a></p>').format(statement.source_url)
        events.append({
            "unique_id": f"statement-{statement.id}",
            "start_date": start_date(statement),
            "text": {"headline": str(escape(statement.title)), "text": str(text)},
            "group": str(escape(statement.speaker.name)),
        })
    intro = "".join(str(Markup("<p>{}</p>").format(p)) for p in dispute.summary.split("\n\n") if p.strip())
    return {"title": {"text": {"headline": str(escape(dispute.title)), "text": intro}}, "events": events}


def start_date(statement) -> dict:
    """The date with the parts that are known: a year, a month, or a day."""
    date, precision = statement.date, statement.date_precision
    found = {"year": date.year}
    if precision in (DatePrecision.month, DatePrecision.day):
        found["month"] = date.month
    if precision is DatePrecision.day:
        found["day"] = date.day
    found["display_date"] = statement.date_label
    return found
