"""Writing a dispute as a bundle: by default only what readers see; with `everything`, the editorial state too."""

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import tomli_w
from sqlalchemy.orm import selectinload

from tracker import rules, shown
from tracker.db import db
from tracker.models import Claim, DatePrecision, Dispute, Evidence, ReviewStatus, Statement

from .read import BUNDLE_FILE
from .verdicts import verdict_entries


def export_bundle(dispute: Dispute, folder: Path, *, everything: bool = False) -> Path:
    """Write `dispute` as a bundle into `folder`: dispute.toml and one text file per statement.

    By default the bundle holds what readers see, and nothing else: no pending, rejected,
    deleted or merged claim, no hidden evidence or statement. With `everything`, it holds every
    row, with its review, deletion and merge state, so that importing it restores them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    statements = [s for s in db.session.scalars(
        sa.select(Statement).where(Statement.dispute_id == dispute.id).order_by(Statement.date, Statement.id)
        .options(selectinload(Statement.speaker), selectinload(Statement.answers))
    ) if everything or shown.statement_is_shown(s)]
    slugs = {s.id: s.slug for s in statements}
    claims = [c for c in db.session.scalars(
        sa.select(Claim).where(Claim.dispute_id == dispute.id).order_by(Claim.id)
        .options(selectinload(Claim.tags), selectinload(Claim.responses), selectinload(Claim.evidence))
    ) if everything or (shown.claim_is_shown(c) and c.statement_id in slugs)]
    claim_slugs = {c.id: c.slug for c in claims}
    actors = {s.speaker.slug: s.speaker for s in statements}

    data: dict[str, Any] = {"dispute": drop_empty({
        "slug": dispute.slug, "title": dispute.title, "summary": dispute.summary,
        "status": rules.label(dispute.status), "tags": dispute.tag_names,
        **(state_of(dispute) if everything else {}),
    })}
    data["actors"] = [drop_empty({"slug": a.slug, "name": a.name, "kind": rules.label(a.kind), "role": a.role,
                                  "country": a.country}) for a in actors.values()]
    data["statements"] = [statement_entry(s, slugs, folder, everything) for s in statements]
    data["claims"] = [claim_entry(c, slugs, claim_slugs, everything) for c in claims]
    data["evidence"] = [
        drop_empty({"claim": c.slug, "url": e.url, "archived": e.archived_url, "title": e.title, "publisher": e.publisher, "date": e.date,
                    "excerpt": e.excerpt, "stance": rules.label(e.stance), **(state_of(e) if everything else {})})
        for c in claims for e in c.evidence if everything or shown.evidence_is_shown(e)
    ]
    data["verdicts"] = verdict_entries(dispute, claims, everything)
    path = folder / BUNDLE_FILE
    path.write_text(tomli_w.dumps({k: v for k, v in data.items() if v}, multiline_strings=True), encoding="utf-8")
    return path


def statement_entry(s: Statement, slugs: dict[int, str], folder: Path, everything: bool) -> dict:
    entry = {"slug": s.slug, "actor": s.speaker.slug, "title": s.title, "kind": rules.label(s.kind),
             "date": bundle_date(s.date, s.date_precision) if s.date else None,
             "venue": s.venue, "source_url": s.source_url, "language": s.language,
             "responds_to": [slugs[a.answered_id] for a in s.answers if a.answered_id in slugs],
             **(state_of(s) if everything else {})}
    if s.text is not None:
        entry["text_file"] = f"{s.slug}.txt"
        (folder / entry["text_file"]).write_bytes(s.text.encode("utf-8"))
    return drop_empty(entry)


def claim_entry(c: Claim, slugs: dict[int, str], claim_slugs: dict[int, str], everything: bool) -> dict:
    entry = {"slug": c.slug, "statement": slugs[c.statement_id], "summary": c.summary, "kind": rules.label(c.kind)}
    if c.reconstructed:
        entry["reconstructed"] = True
    # A claim reported in a statement readers no longer see keeps its wording, not the hidden words.
    if c.quote_exact is not None and (not c.reconstructed or c.reported_in_id in slugs):
        if c.reconstructed:
            entry["reported_in"] = slugs[c.reported_in_id]
        entry.update(quote=c.quote_exact, prefix=c.quote_prefix, suffix=c.quote_suffix)
    if c.tags:
        entry["tags"] = c.tag_names
    responses = [r for r in c.responses if r.target_id in claim_slugs and (everything or r.deleted_at is None)]
    relations = {r.relation for r in responses}
    if len(relations) == 1 and not any(r.deleted_at for r in responses):
        entry["responds_to"] = [claim_slugs[r.target_id] for r in responses]
        entry["relation"] = rules.label(relations.pop())
    elif responses:
        entry["responds_to"] = [drop_empty({"claim": claim_slugs[r.target_id], "relation": rules.label(r.relation),
                                            "deleted_at": in_utc(r.deleted_at)}) for r in responses]
    if everything:
        entry.update(state_of(c))
        if c.merged_into_id is not None:
            entry["merged_into"] = claim_slugs[c.merged_into_id]
    return drop_empty(entry)


def state_of(row) -> dict:
    """A row's review and deletion, where they are not the defaults (approved, shown)."""
    state = {"deleted_at": in_utc(row.deleted_at)}
    if isinstance(row, (Claim, Evidence)) and (row.review is not ReviewStatus.approved or row.reviewed_at):
        state.update(review=row.review.value, review_reason=row.review_reason, reviewed_at=in_utc(row.reviewed_at))
    return state


def in_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time with its offset (SQLite gives back naive times, stored in UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def bundle_date(date: dt.date, precision: DatePrecision) -> dt.date | str:
    if precision is DatePrecision.day:
        return date
    return date.strftime("%Y-%m" if precision is DatePrecision.month else "%Y")


def drop_empty(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if v not in (None, "", [])}
