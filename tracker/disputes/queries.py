"""Read functions for the dispute pages; each loads everything its page walks."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload, load_only, selectinload

from tracker.db import db
from tracker.models import (
    Actor,
    Claim,
    ClaimKind,
    ClaimTag,
    Dispute,
    DisputeStatus,
    DisputeTag,
    Evidence,
    Relation,
    Response,
    Stance,
    Statement,
    StatementAnswer,
    Verdict,
)
from tracker.paging import keyset_page, parse_part
from tracker.shown import CLAIM_SHOWN, EVIDENCE_SHOWN, LIVE, RESPONSE_SHOWN, STATEMENT_SHOWN, visible_claim

# A timeline page ends after this many statements or this many claims, whichever
# comes first; 10,000 claims rendered whole are about 10 MB of HTML.
PAGE_STATEMENTS = 25
PAGE_CLAIMS = 150
DISPUTES_PER_PAGE = 20
# Undated statements come last.
LAST_DAY = dt.date(9999, 12, 31)
# What a link to a statement needs (not its text, which may be long).
LINK_COLUMNS = (Statement.id, Statement.slug, Statement.title)
# What a claim card needs.
CARD_COLUMNS = (Claim.id, Claim.dispute_id, Claim.statement_id, Claim.slug, Claim.summary, Claim.kind,
                Claim.reconstructed, Claim.reported_in_id, Claim.quote_exact)


# The other end of a response, made once: an alias copies every column of Claim, per call if made per call.
OTHER_CLAIM = sa.orm.aliased(Claim, name="other_claim")
ANSWERER = sa.orm.aliased(Claim, name="answerer")
TARGET = sa.orm.aliased(Claim, name="target")


def shown_response_between(near, far) -> sa.ColumnElement[bool]:
    """A shown response from claim `near` to claim `far` (columns), whose far end readers see."""
    return sa.exists().where(near, RESPONSE_SHOWN, OTHER_CLAIM.id == far, visible_claim(OTHER_CLAIM))


def statement_order():
    return (sa.func.coalesce(Statement.date, LAST_DAY), Statement.id)


def claim_order():
    return (sa.func.coalesce(Claim.quote_start, 2**31 - 1), Claim.id)


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
class ClaimFacts:
    """What a claim card shows beyond the claim's own row, loaded for a whole page at once."""

    answered_by: Counter = field(default_factory=Counter)  # claim id -> answers
    evidence: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))  # id -> stance counts
    # claim id -> rows (relation, id, slug, summary) of the claims it answers
    answers: dict[int, list] = field(default_factory=lambda: defaultdict(list))

    def stances(self, claim_id: int) -> list[tuple[Stance, int]]:
        """Evidence counts of a claim, in the order of the stances (supports, refutes, context)."""
        counts = self.evidence.get(claim_id, {})
        return [(stance, counts[stance]) for stance in Stance if counts.get(stance)]


@dataclass
class TimelinePage:
    statements: list[tuple[Statement, list[Claim]]]
    facts: ClaimFacts
    next_cursor: Cursor | None
    continues: bool  # the first statement started on an earlier page

    @property
    def claim_ids(self) -> set[int]:
        """The claims on this page: links to them jump within the page."""
        return {claim.id for _, claims in self.statements for claim in claims}




def dispute_by_slug(slug: str) -> Dispute | None:
    query = sa.select(Dispute).where(Dispute.slug == slug, LIVE).options(selectinload(Dispute.tags))
    return db.session.scalar(query)


def deleted_dispute_id(slug: str) -> int | None:
    return db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == slug, Dispute.deleted_at.is_not(None)))


def actor_by_slug(slug: str) -> Actor | None:
    return db.session.scalar(sa.select(Actor).where(Actor.slug == slug))


def dispute_actors(dispute: Dispute) -> list[Actor]:
    """The speakers of a dispute, in the order they first speak: the timeline's lanes."""
    first = (
        sa.select(
            Statement.speaker_id,
            sa.func.min(sa.func.coalesce(Statement.date, LAST_DAY)).label("day"),
            sa.func.min(Statement.id).label("id"),  # same day: who was recorded first
        )
        .where(Statement.dispute_id == dispute.id, STATEMENT_SHOWN)
        .group_by(Statement.speaker_id)
        .subquery()
    )
    query = sa.select(Actor).join(first, first.c.speaker_id == Actor.id).order_by(first.c.day, first.c.id)
    return list(db.session.scalars(query))


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


def timeline_page(where, filters: Filters, cursor: Cursor | None) -> TimelinePage:
    """One page of statements (those meeting `where`) with their claims, in date order.

    Keyset pagination on (date, id) for statements and (quote position, id) for
    the claims of a statement too long to fit on one page.
    """
    statements = (
        sa.select(Statement).where(where, STATEMENT_SHOWN).order_by(*statement_order()).limit(PAGE_STATEMENTS + 1)
    )
    if filters.actor is not None:
        statements = statements.where(Statement.speaker_id == filters.actor.id)
    if filters.narrows_claims:
        statements = statements.where(
            sa.exists().where(Claim.statement_id == Statement.id, CLAIM_SHOWN, claim_filter(filters))
        )
    anchor = None
    if cursor is not None:
        anchor = db.session.get(Statement, cursor.statement_id)
        if anchor is None:
            raise ValueError("unknown statement")
        key = sa.tuple_(*statement_order())
        anchor_key = sa.tuple_(sa.literal(anchor.date or LAST_DAY, sa.Date), sa.literal(anchor.id))
        statements = statements.where(key >= anchor_key if cursor.claim_id else key > anchor_key)
    rows = list(
        db.session.scalars(
            # Many-to-one rows ride along in the same query; lists come in one query each.
            statements.options(
                defer(Statement.text),
                joinedload(Statement.dispute),
                joinedload(Statement.speaker),
                *statement_link_options(),
            )
        )
    )
    more_statements = len(rows) > PAGE_STATEMENTS
    rows = rows[:PAGE_STATEMENTS]
    claims = page_claims([s.id for s in rows], filters, cursor)
    more_claims = len(claims) > PAGE_CLAIMS
    claims = claims[:PAGE_CLAIMS]

    by_statement: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_statement[claim.statement_id].append(claim)
    page, next_cursor = [], None
    for statement in rows:
        page.append((statement, by_statement.get(statement.id, [])))
        if more_claims and claims and statement.id == claims[-1].statement_id:
            next_cursor = Cursor(statement.id, claims[-1].id)
            break
    else:
        if more_statements:
            next_cursor = Cursor(rows[-1].id)
    return TimelinePage(page, claim_facts(claims), next_cursor, continues=bool(cursor and cursor.claim_id))


def statement_link_options() -> list:
    """Load a statement's answers both ways, only those to statements readers see."""
    return [
        selectinload(Statement.answers.and_(StatementAnswer.answered.has(STATEMENT_SHOWN)))
        .joinedload(StatementAnswer.answered).load_only(*LINK_COLUMNS),
        selectinload(Statement.answered_by.and_(StatementAnswer.statement.has(STATEMENT_SHOWN)))
        .joinedload(StatementAnswer.statement).load_only(*LINK_COLUMNS),
    ]


def page_claims(statement_ids: list[int], filters: Filters, cursor: Cursor | None) -> list[Claim]:
    """The claims of these statements in reading order, one more than a page holds."""
    if not statement_ids:
        return []
    query = (
        sa.select(Claim)
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.statement_id.in_(statement_ids), CLAIM_SHOWN, STATEMENT_SHOWN, claim_filter(filters))
        .order_by(*statement_order(), *claim_order())
        .limit(PAGE_CLAIMS + 1)
        .options(
            # Only what a claim card shows: timestamps cost a parse per row on SQLite.
            load_only(*CARD_COLUMNS),
            joinedload(Claim.reported_in).load_only(*LINK_COLUMNS),
            joinedload(Claim.verdict).load_only(Verdict.rating),
            selectinload(Claim.tags),
        )
    )
    if cursor is not None and cursor.claim_id is not None:
        resume = db.session.get(Claim, cursor.claim_id)
        if resume is None or resume.statement_id != cursor.statement_id:
            raise ValueError("unknown claim")
        resume_key = sa.tuple_(sa.literal(resume.quote_start if resume.quote_start is not None else 2**31 - 1),
                               sa.literal(resume.id))
        query = query.where(
            sa.or_(Claim.statement_id != cursor.statement_id, sa.tuple_(*claim_order()) > resume_key)
        )
    return list(db.session.scalars(query))


def claim_facts(claims: list[Claim]) -> ClaimFacts:
    """What each claim answers, how many claims answer it, and its evidence by stance: three queries.

    Only what readers see: shown responses whose other end is a shown claim, shown evidence.
    Plain rows rather than Response objects: a page of claim cards reads them only.
    """
    facts = ClaimFacts()
    ids = [c.id for c in claims]
    if not ids:
        return facts
    target = TARGET
    links = (
        sa.select(Response.claim_id, Response.relation, target.id, target.slug, target.summary)
        .join(target, target.id == Response.target_id)
        .where(Response.claim_id.in_(ids), RESPONSE_SHOWN, visible_claim(target))
        .order_by(Response.id)
    )
    for row in db.session.execute(links):
        facts.answers[row.claim_id].append(row)
    answerer = ANSWERER
    answers = (
        sa.select(Response.target_id, sa.func.count())
        .join(answerer, answerer.id == Response.claim_id)
        .where(Response.target_id.in_(ids), RESPONSE_SHOWN, visible_claim(answerer))
        .group_by(Response.target_id)
    )
    facts.answered_by.update(dict(db.session.execute(answers).all()))
    evidence = (
        sa.select(Evidence.claim_id, Evidence.stance, sa.func.count())
        .where(Evidence.claim_id.in_(ids), EVIDENCE_SHOWN)
        .group_by(Evidence.claim_id, Evidence.stance)
    )
    for claim_id, stance, count in db.session.execute(evidence):
        facts.evidence[claim_id][stance] = count
    return facts


def unanswered_accusation() -> sa.ColumnElement[bool]:
    """A shown accusation claim no response addresses yet.

    An accusation answered only by claims readers do not see is still unanswered.
    """
    return sa.and_(
        Claim.kind == ClaimKind.accusation,
        CLAIM_SHOWN,
        ~shown_response_between(Response.target_id == Claim.id, Response.claim_id),
    )


def unanswered_accusations(dispute: Dispute, limit: int = 50) -> tuple[list[Claim], int]:
    """Accusation claims no response addresses yet (the first `limit`), and how many in all."""
    where = sa.and_(Claim.dispute_id == dispute.id, unanswered_accusation(), STATEMENT_SHOWN)
    query = (
        sa.select(Claim, sa.func.count().over().label("total"))
        .join(Claim.statement)
        .where(where)
        .order_by(*statement_order(), *claim_order())
        .limit(limit)
        .options(sa.orm.contains_eager(Claim.statement))
    )
    rows = db.session.execute(query).all()
    return [claim for claim, _ in rows], rows[0].total if rows else 0


def disputes_index(text: str, tag: str | None, status: DisputeStatus | None, after: tuple | None):
    """A page of disputes, latest activity first, with their statement and claim counts.

    Returns (rows, next) where rows are (dispute, statements, claims) and next is the
    (updated_at, id) key to continue after, or None on the last page.
    """
    statements = (
        sa.select(sa.func.count(Statement.id)).where(Statement.dispute_id == Dispute.id, STATEMENT_SHOWN)
        .scalar_subquery()
    )
    claims = (
        sa.select(sa.func.count(Claim.id)).join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.dispute_id == Dispute.id, CLAIM_SHOWN, STATEMENT_SHOWN).scalar_subquery()
    )
    query = sa.select(Dispute, statements, claims).options(selectinload(Dispute.tags)).where(LIVE)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(Dispute.title.ilike(pattern, escape="\\"), Dispute.summary.ilike(pattern, escape="\\")))
    if tag:
        query = query.where(sa.exists().where(DisputeTag.dispute_id == Dispute.id, DisputeTag.name == tag))
    if status is not None:
        query = query.where(Dispute.status == status)
    return keyset_page(query, (Dispute.updated_at, Dispute.id), after, DISPUTES_PER_PAGE,
                       key=lambda row: (row[0].updated_at, row[0].id))


def all_tags() -> list[str]:
    query = sa.select(DisputeTag.name).join(Dispute).where(LIVE).distinct().order_by(DisputeTag.name)
    return list(db.session.scalars(query))


def claim_tags(dispute: Dispute) -> list[str]:
    """The topics the dispute's claims are tagged with."""
    query = (
        sa.select(ClaimTag.name).join(Claim, Claim.id == ClaimTag.claim_id)
        .where(Claim.dispute_id == dispute.id, visible_claim()).distinct().order_by(ClaimTag.name)
    )
    return list(db.session.scalars(query))


def statement_pair(dispute: Dispute, left_slug: str | None, right_slug: str | None):
    """Two statements to set side by side: the ones named, or the first answered one and its first answer."""
    statements = {
        s.slug: s
        for s in db.session.scalars(
            sa.select(Statement).where(Statement.dispute_id == dispute.id, STATEMENT_SHOWN).order_by(*statement_order())
            .options(selectinload(Statement.speaker),
                     selectinload(Statement.answered_by.and_(StatementAnswer.statement.has(STATEMENT_SHOWN))))
        )
    }
    left = statements.get(left_slug) if left_slug else next((s for s in statements.values() if s.answered_by), None)
    right = statements.get(right_slug) if right_slug else None
    if right is None and left is not None and not right_slug and left.answered_by:
        first_answer = left.answered_by[0].statement_id
        right = next(s for s in statements.values() if s.id == first_answer)
    return list(statements.values()), left, right


def side_by_side(left: Statement, right: Statement):
    """Rows of (left claim, [(relation, right claim)]) and the right claims answering nothing on the left."""
    left_claims = list(
        db.session.scalars(sa.select(Claim).where(Claim.statement_id == left.id, CLAIM_SHOWN).order_by(*claim_order()))
    )
    right_claims = list(
        db.session.scalars(
            sa.select(Claim).where(Claim.statement_id == right.id, CLAIM_SHOWN).order_by(*claim_order())
            .options(selectinload(Claim.responses.and_(RESPONSE_SHOWN)))
        )
    )
    answers: dict[int, list] = defaultdict(list)
    linked = set()
    left_ids = {c.id for c in left_claims}
    for claim in right_claims:
        for response in claim.responses:
            if response.target_id in left_ids:
                answers[response.target_id].append((response.relation, claim))
                linked.add(claim.id)
    rows = [(claim, answers.get(claim.id, [])) for claim in left_claims]
    return rows, [c for c in right_claims if c.id not in linked]
