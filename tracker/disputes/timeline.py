"""The timeline: statements in reading order (order.py), a page at a time, each with its claims.

The reading order of a dispute is worked out from its statements' dates and who answers whom
(two light queries); a page then loads its statements and claims whole. A page holds at most
PAGE_STATEMENTS statements and PAGE_CLAIMS claims, whichever comes first: 10,000 claims rendered
whole are about 10 MB of HTML.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload, load_only, selectinload

from tracker.db import db
from tracker.models import (
    Actor, Claim, ClaimTag, Dispute, Evidence, Relation, Response, Stance, Statement, StatementAnswer, Verdict,
)
from tracker.paging import parse_part
from tracker.shown import CLAIM_SHOWN, EVIDENCE_SHOWN, RESPONSE_SHOWN, STATEMENT_SHOWN, claim_shown

from .cards import ANSWERER, LINK_COLUMNS, TARGET, ClaimFacts, claim_facts, shown_response_between
from .cards import STATEMENT_LINK_OPTIONS
from .order import NO_POSITION, Moment, claim_order, reading_order

PAGE_STATEMENTS = 25
PAGE_CLAIMS = 150


@dataclass
class Filters:
    """What the reader narrowed the timeline to; None means everything."""

    actor: Actor | None = None
    relation: Relation | None = None
    stance: Stance | None = None
    tag: str | None = None

    @property
    def narrows_claims(self) -> bool:
        return self.relation is not None or self.stance is not None or self.tag is not None

    @property
    def narrows(self) -> bool:
        return self.actor is not None or self.narrows_claims


@dataclass
class Cursor:
    """Where a page starts: after this statement, or inside it after this claim."""

    statement_id: int
    claim_id: int | None = None

    def __str__(self) -> str:
        return f"{self.statement_id}.{self.claim_id}" if self.claim_id else str(self.statement_id)

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """Raises ValueError for anything but "12" or "12.34"."""
        statement, _, claim = text.partition(".")
        return cls(parse_part(statement, int), parse_part(claim, int) if claim else None)


@dataclass
class ReadingOrder:
    """The statements readers see, in the order they read them."""

    moments: list[Moment]
    position: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.position = {moment.id: i for i, moment in enumerate(self.moments)}

    def speaker_ids(self, among: set[int] | None = None) -> list[int]:
        """Who speaks (in the statements `among`, if given), in the order they first speak."""
        return list(dict.fromkeys(m.speaker_id for m in self.moments if among is None or m.id in among))


@dataclass
class TimelinePage:
    statements: list[tuple[Statement, list[Claim]]]
    facts: ClaimFacts
    next_cursor: Cursor | None
    continues: bool  # the first statement started on an earlier page
    # Who speaks in the statements the filters let through, on any page, in the order they first speak.
    speaker_ids: list[int] = field(default_factory=list)

    @property
    def claim_ids(self) -> set[int]:
        """The claims on this page: links to them jump within the page."""
        return {claim.id for _, claims in self.statements for claim in claims}


def in_dispute(dispute: Dispute) -> sa.ColumnElement[bool]:
    return Statement.dispute_id == dispute.id


def load_reading_order(where) -> ReadingOrder:
    """The statements readers see among those meeting `where`, in reading order: two queries.

    A statement answers another when it says so, or when one of its claims answers a claim of the other.
    """
    shown = sa.select(Statement.id).where(where, STATEMENT_SHOWN)
    moments = db.session.execute(
        sa.select(Statement.id, Statement.date, Statement.speaker_id).where(where, STATEMENT_SHOWN)).all()
    by_claims = (
        sa.select(ANSWERER.statement_id, TARGET.statement_id)
        .select_from(Response)
        .join(ANSWERER, ANSWERER.id == Response.claim_id)
        .join(TARGET, TARGET.id == Response.target_id)
        .where(ANSWERER.statement_id.in_(shown), RESPONSE_SHOWN, claim_shown(ANSWERER), claim_shown(TARGET))
    )
    said = (sa.select(StatementAnswer.statement_id, StatementAnswer.answered_id)
            .where(StatementAnswer.statement_id.in_(shown)))
    replies = db.session.execute(sa.union(by_claims, said)).all()
    return ReadingOrder(reading_order([Moment(*row) for row in moments], replies))


def speakers(order: ReadingOrder) -> list[Actor]:
    """Everyone who speaks, in the order they first speak: the timeline's lanes."""
    ids = order.speaker_ids()
    found = {actor.id: actor for actor in db.session.scalars(sa.select(Actor).where(Actor.id.in_(ids)))}
    return [found[i] for i in ids]


def claim_filter(filters: Filters):
    """The WHERE clause a claim must meet under the reader's filters."""
    conditions = []
    if filters.relation is not None:
        conditions.append(shown_response_between(
            sa.and_(Response.claim_id == Claim.id, Response.relation == filters.relation), Response.target_id))
    if filters.stance is not None:
        conditions.append(
            sa.exists().where(Evidence.claim_id == Claim.id, Evidence.stance == filters.stance, EVIDENCE_SHOWN)
        )
    if filters.tag is not None:
        conditions.append(sa.exists().where(ClaimTag.claim_id == Claim.id, ClaimTag.name == filters.tag))
    return sa.and_(sa.true(), *conditions)


def matching_statements(where, filters: Filters) -> set[int] | None:
    """The ids of the statements the filters let through (None: all of them)."""
    if not filters.narrows:
        return None
    query = sa.select(Statement.id).where(where, STATEMENT_SHOWN)
    if filters.actor is not None:
        query = query.where(Statement.speaker_id == filters.actor.id)
    if filters.narrows_claims:
        query = query.where(sa.exists().where(Claim.statement_id == Statement.id, CLAIM_SHOWN, claim_filter(filters)))
    return set(db.session.scalars(query))


def timeline_page(where, filters: Filters, cursor: Cursor | None, order: ReadingOrder | None = None) -> TimelinePage:
    """One page of the statements meeting `where` (and the filters), in reading order, with their claims.

    A page starts after a statement (its place in the reading order), or inside a statement too long
    for one page after a claim (quote position, id). Raises ValueError for a cursor naming neither.
    """
    if order is None:
        order = load_reading_order(where)
    matching = matching_statements(where, filters)
    start = 0
    if cursor is not None:
        if cursor.statement_id not in order.position:
            raise ValueError("unknown statement")
        start = order.position[cursor.statement_id] + (0 if cursor.claim_id else 1)
    window = [m.id for m in order.moments[start:] if matching is None or m.id in matching][: PAGE_STATEMENTS + 1]
    more_statements = len(window) > PAGE_STATEMENTS
    window = window[:PAGE_STATEMENTS]
    claims = page_claims(window, filters, cursor)
    more_claims = len(claims) > PAGE_CLAIMS
    claims = claims[:PAGE_CLAIMS]
    if more_claims:  # the page ends inside this statement: the later ones are not loaded
        window = window[: window.index(claims[-1].statement_id) + 1]
    rows = page_statements(window)

    by_statement: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_statement[claim.statement_id].append(claim)
    page, next_cursor = [], None
    for statement in rows:
        page.append((statement, by_statement.get(statement.id, [])))
        if more_claims and statement.id == claims[-1].statement_id:
            next_cursor = Cursor(statement.id, claims[-1].id)
            break
    else:
        if more_statements:
            next_cursor = Cursor(rows[-1].id)
    return TimelinePage(page, claim_facts(claims), next_cursor, continues=bool(cursor and cursor.claim_id),
                        speaker_ids=order.speaker_ids(matching))


# Loader options and statements built once: building them cost more than running them.
PAGE_STATEMENTS_QUERY = sa.select(Statement).where(Statement.id.in_(sa.bindparam("ids", expanding=True))).options(
    # Many-to-one rows ride along in the same query; lists come in one query each.
    defer(Statement.text),
    joinedload(Statement.dispute),
    joinedload(Statement.speaker),
    *STATEMENT_LINK_OPTIONS,
)
CARD_OPTIONS = (
    # Not the timestamps, which cost a parse per row on SQLite; the other columns cost less loaded than
    # left unloaded (an unloaded column costs a callable per object).
    defer(Claim.created_at), defer(Claim.reviewed_at), defer(Claim.deleted_at),
    joinedload(Claim.reported_in).load_only(*LINK_COLUMNS),
    joinedload(Claim.verdict).load_only(Verdict.rating),
    selectinload(Claim.tags),
)


def page_statements(ids: list[int]) -> list[Statement]:
    """These statements, in this order, with what their cards show (not their texts)."""
    if not ids:
        return []
    found = {statement.id: statement for statement in db.session.scalars(PAGE_STATEMENTS_QUERY, {"ids": ids})}
    return [found[i] for i in ids]


def page_claims(statement_ids: list[int], filters: Filters, cursor: Cursor | None) -> list[Claim]:
    """The claims of these statements (in this order), each statement's in text order: one more than a page holds."""
    if not statement_ids:
        return []
    place = sa.case({statement_id: i for i, statement_id in enumerate(statement_ids)}, value=Claim.statement_id)
    query = (
        sa.select(Claim)
        .where(Claim.statement_id.in_(statement_ids), CLAIM_SHOWN, claim_filter(filters))
        .order_by(place, *claim_order())
        .limit(PAGE_CLAIMS + 1)
        .options(*CARD_OPTIONS)
    )
    if cursor is not None and cursor.claim_id is not None:
        resume = db.session.get(Claim, cursor.claim_id)
        if resume is None or resume.statement_id != cursor.statement_id:
            raise ValueError("unknown claim")
        resume_key = sa.tuple_(sa.literal(resume.quote_start if resume.quote_start is not None else NO_POSITION),
                               sa.literal(resume.id))
        query = query.where(
            sa.or_(Claim.statement_id != cursor.statement_id, sa.tuple_(*claim_order()) > resume_key)
        )
    return list(db.session.scalars(query))
