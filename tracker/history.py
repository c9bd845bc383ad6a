"""The history that loses nothing: each change is a Revision holding the row before and after."""

import datetime as dt
import enum
from collections import Counter
from functools import cache
from typing import Any

import sqlalchemy as sa

from .db import db
from .models import (
    Actor,
    Claim,
    ClaimTag,
    Dispute,
    DisputeTag,
    Evidence,
    Response,
    Revision,
    Statement,
    StatementAnswer,
    User,
    Verdict,
    VerdictEvidence,
)

# The objects editors change, by the name their revisions use.
EDITABLE: dict[str, type] = {
    "dispute": Dispute, "statement": Statement, "claim": Claim, "response": Response, "evidence": Evidence,
    "verdict": Verdict, "actor": Actor, "user": User,
}
# Bookkeeping, not content: never shown as a change, never reverted. A password hash is
# never stored in a revision, nor shown on a page.
SKIPPED = {"id", "version", "created_at", "updated_at", "password_hash", "has_text"}


# Lists that are part of an object's content: how to read each as plain values, and how to set it back.
LISTS: dict[type, dict[str, tuple]] = {
    Dispute: {"tags": (lambda o: o.tag_names, lambda o, names: setattr(o, "tags", [DisputeTag(name=n) for n in names]))},
    Claim: {"tags": (lambda o: o.tag_names, lambda o, names: setattr(o, "tags", [ClaimTag(name=n) for n in names]))},
    Statement: {"answers": (
        lambda o: sorted(a.answered_id for a in o.answers),
        lambda o, ids: setattr(o, "answers", [StatementAnswer(answered_id=i, dispute_id=o.dispute_id) for i in ids]),
    )},
    Verdict: {"evidence": (
        lambda o: sorted(link.evidence_id for link in o.evidence_links),
        lambda o, ids: setattr(o, "evidence_links", [VerdictEvidence(evidence_id=i, claim_id=o.claim_id) for i in ids]),
    )},
}


def object_type(obj: Any) -> str:
    return next(name for name, model in EDITABLE.items() if isinstance(obj, model))


def snapshot(obj: Any) -> dict:
    """The object's content as plain JSON values."""
    data = {key: plain(getattr(obj, key)) for key in content_columns(type(obj))}
    for key, (read, _) in LISTS.get(type(obj), {}).items():
        data[key] = read(obj)
    return data


@cache
def content_columns(model: type) -> tuple[str, ...]:
    """The attributes of a model's columns that a snapshot holds (asked once per model: imports take thousands)."""
    return tuple(attr.key for attr in sa.inspect(model).column_attrs if attr.key not in SKIPPED)


def plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def record(action: str, obj: Any, before: dict | None, by, reason: str | None = None) -> Revision:
    """Add a revision of `obj` (flushed, so new objects have their id) by `by` (a core.By).

    Flushed every time: the order of a change's steps (a link deleted before its evidence moves) is kept."""
    db.session.flush()
    revision = Revision(
        action=action, object_type=object_type(obj), object_id=obj.id, before=before, after=snapshot(obj),
        reason=reason, user_id=by.user_id, source=by.source,
    )
    db.session.add(revision)
    db.session.info.setdefault("revisions", Counter())[revision.object_type] += 1
    return revision


def record_created(objs: list, by) -> None:
    """record("create", ...) for many new objects at once: one flush, and one INSERT of all their revisions."""
    db.session.flush()
    rows = [{"action": "create", "object_type": object_type(obj), "object_id": obj.id, "before": None,
             "after": snapshot(obj), "reason": None, "user_id": by.user_id, "source": by.source} for obj in objs]
    if rows:
        # The table, not the model: plain rows need none of the ORM's bulk machinery (a third of the cost).
        db.session.execute(sa.insert(Revision.__table__), rows)
        db.session.info.setdefault("revisions", Counter()).update(row["object_type"] for row in rows)


def recorded() -> Counter:
    """How many revisions this session has recorded, by kind of object (an import compares before and after)."""
    return Counter(db.session.info.get("revisions", {}))


def changes(revision: Revision) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field the revision changed."""
    before, after = revision.before or {}, revision.after or {}
    return [(key, before.get(key), after.get(key)) for key in after if before.get(key) != after.get(key)]


# Fields holding ids (or lists of ids), and what they point to: a history shows names, not numbers.
REFERENCES: dict[str, tuple[type, Any]] = {
    "dispute_id": (Dispute, Dispute.title), "statement_id": (Statement, Statement.title),
    "reported_in_id": (Statement, Statement.title), "answers": (Statement, Statement.title),
    "speaker_id": (Actor, Actor.name), "claim_id": (Claim, Claim.summary), "target_id": (Claim, Claim.summary),
    "merged_into_id": (Claim, Claim.summary), "evidence": (Evidence, Evidence.title),
    "submitted_by_id": (User, User.name), "reviewed_by_id": (User, User.name), "added_by_id": (User, User.name),
    "set_by_id": (User, User.name),
}


def readable_changes(revisions: list[Revision]):
    """`changes` with ids replaced by what they name, looked up for a whole page at once (a query per kind)."""
    wanted: dict[str, set[int]] = {}
    for revision in revisions:
        for key, before, after in changes(revision):
            if key in REFERENCES:
                for value in (before, after):
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(key, set()).update(i for i in ids if isinstance(i, int))
    names: dict[tuple[type, int], str] = {}
    by_model: dict[tuple[type, Any], set[int]] = {}
    for key, ids in wanted.items():
        by_model.setdefault(REFERENCES[key], set()).update(ids)
    for (model, label), ids in by_model.items():
        for id_, name in db.session.execute(sa.select(model.id, label).where(model.id.in_(ids))):
            names[(model, id_)] = name

    def name(key: str, value: Any) -> Any:
        if key not in REFERENCES or value is None:
            return value
        model = REFERENCES[key][0]
        if isinstance(value, list):
            return [names.get((model, i), f"#{i}") for i in value]
        return names.get((model, value), f"#{value}")

    return lambda revision: [(key.removesuffix("_id"), name(key, before), name(key, after))
                             for key, before, after in changes(revision)]


def restore(obj: Any, data: dict) -> None:
    """Set the object's content back to a snapshot."""
    mapper = sa.inspect(obj).mapper
    lists = LISTS.get(type(obj), {})
    for key, value in data.items():
        if key in lists:
            read, write = lists[key]
            if read(obj) != value:
                write(obj, value)
            continue
        column = mapper.columns[key]
        setattr(obj, key, typed(column.type, value))


def typed(column_type: sa.types.TypeEngine, value: Any) -> Any:
    """A snapshot value back in the column's Python type."""
    if value is None:
        return None
    if isinstance(column_type, sa.Enum) and column_type.enum_class:
        return column_type.enum_class(value)
    if isinstance(column_type, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, sa.Date):
        return dt.date.fromisoformat(value)
    return value
