"""Statements: stored verbatim; when a text changes, every claim quoted in it is anchored again."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from tracker import history, rules, shown
from tracker.anchoring import Anchor
from tracker.db import db
from tracker.models import Actor, Dispute, Role, Statement, StatementAnswer, StatementKind

from . import edits, slugs
from .anchors import anchored_claims, move_anchors
from .by import By
from .edits import CorrectionNote, Checks, assign, checked, record_edit
from .errors import Invalid


def save_statement(dispute: Dispute, statement: Statement | None, *, title: str, speaker: Actor | None,
                   kind: StatementKind | str, slug: str | None = None, date=None, venue: str | None = None,
                   source_url: str | None = None, language: str | None = None, text: str | None = None,
                   answers: Iterable[int] = (), by: By, version: int | None = None,
                   correction: CorrectionNote | None = None, anchors: dict[int, Anchor] | None = None) -> Statement:
    """Create a statement, or update it if it is still at `version` (None: no check).

    `date` is a day, a month ("2020-01") or a year ("2020"). A changed text moves the anchors of
    every claim quoted in it (`anchors` gives some already found); if a quote is no longer in the
    text, nothing is saved and the "text" field names those claims.
    """
    by.require(Role.editor)
    if speaker is None:
        raise Invalid("speaker", "choose the speaker in the list, or type a new speaker's name below it")
    check = Checks()
    day, precision = check("date", rules.partial_date, date) or (None, None)
    values = {
        "title": check("title", rules.one_line, title, rules.LIMITS["title"], required=True),
        "kind": check("kind", rules.choice, kind, StatementKind),
        "date": day, "date_precision": precision,
        "venue": check("venue", rules.one_line, venue, rules.LIMITS["venue"]),
        "source_url": check("source_url", rules.link, source_url, required=False),
        "language": check("language", rules.language, language),
        "text": check("text", rules.verbatim, text),
    }
    check.done()
    before = edits.loaded_at(statement, version) if statement is not None else None
    others = sa.select(Statement.slug).where(Statement.dispute_id == dispute.id)
    if statement is not None:
        others = others.where(Statement.id != statement.id)
    values["slug"] = slugs.pick(slug, values["title"], "statement", others, Statement.slug, "statement of this dispute",
                                own=statement.slug if statement is not None else None)
    answered = checked_answers(dispute, statement, answers)
    claims = anchored_claims(statement) if statement is not None else []
    # Shown claims quote this text to readers: changing it is then a change of published wording.
    published = statement is not None and shown.statement_is_shown(statement) and any(map(shown.claim_is_shown, claims))
    if statement is None:
        statement = Statement(dispute_id=dispute.id)
        db.session.add(statement)
    text_changed = before is not None and values["text"] != statement.text
    statement.speaker = speaker
    assign(statement, values)
    set_answers(statement, answered)
    if before is None:
        history.record("create", statement, None, by)
        return statement
    if text_changed:
        move_anchors(statement, claims, by, anchors)
    record_edit(statement, before, by, dispute_id=dispute.id, published=published, correction=correction)
    return statement


def checked_answers(dispute: Dispute, statement: Statement | None, ids: Iterable[int]) -> list[int]:
    """The statements answered: other statements of the same dispute (Invalid on "answers" otherwise)."""
    wanted = checked("answers", rules.row_ids, list(ids))
    if statement is not None and statement.id in wanted:
        raise Invalid("answers", "a statement cannot answer itself")
    found = set(db.session.scalars(
        sa.select(Statement.id).where(Statement.id.in_(wanted), Statement.dispute_id == dispute.id)))
    if len(found) != len(wanted):
        raise Invalid("answers", "choose statements of this dispute")
    return wanted


def set_answers(statement: Statement, ids: list[int]) -> None:
    """Keep the answers still wanted, drop the others, add the new ones."""
    wanted = set(ids)
    if statement.id is not None and wanted != {a.answered_id for a in statement.answers}:
        flag_modified(statement, "slug")  # the answers are rows of their own: the statement's version must still move
    for answer in [a for a in statement.answers if a.answered_id not in wanted]:
        statement.answers.remove(answer)
    have = {a.answered_id for a in statement.answers}
    for answered_id in sorted(wanted - have):
        statement.answers.append(StatementAnswer(answered_id=answered_id, dispute_id=statement.dispute_id))
