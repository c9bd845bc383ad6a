"""Link checks: what the link checker found about each evidence link and statement source.

A check result is an observation of someone else's site, not a change to the record: nobody wrote it,
there is nothing to undo or correct, and a nightly run would bury every claim's history under
machine entries. So it writes no revision. The page caches still see it: caching.validators reads the
newest check's time into every reader page's ETag.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.db import db
from tracker.models import Evidence, LinkCheck, Statement

from .errors import Invalid

COLUMNS = ("url", "status", "error", "redirects", "final_url", "content_type", "checked_at")


def record_link_checks(checks: list[dict]) -> None:
    """Store each check as its link's latest, replacing the one before (one statement per kind of link).

    Each dict names its link (`evidence_id` or `statement_id`) and holds the LinkCheck columns. A link
    deleted for good since it was checked is skipped: there is nothing left to say it about.
    """
    rows = [check_row(check) for check in checks]
    for key, model in (("evidence_id", Evidence), ("statement_id", Statement)):
        ids = {row[key] for row in rows if row[key] is not None}
        if ids:
            existing = set(db.session.scalars(sa.select(model.id).where(model.id.in_(ids))))
            kept = [row for row in rows if row[key] in existing]
            if kept:
                db.session.execute(upsert(key, kept))


def check_row(check: dict) -> dict:
    if (check.get("evidence_id") is None) == (check.get("statement_id") is None):
        raise Invalid("link", "a check is of one evidence link or one statement source")
    if not check.get("url"):
        raise Invalid("url", "a check names the address it checked")
    return {"evidence_id": check.get("evidence_id"), "statement_id": check.get("statement_id"),
            **{column: check.get(column) for column in COLUMNS}, "redirects": list(check.get("redirects") or [])}


def upsert(key: str, rows: list[dict]):
    """INSERT ... ON CONFLICT (key) DO UPDATE: the same statement on SQLite and PostgreSQL."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LinkCheck).values(rows)
    return statement.on_conflict_do_update(
        index_elements=[key], set_={column: statement.excluded[column] for column in COLUMNS})
