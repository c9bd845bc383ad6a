"""The list of disputes: the newest events first, each with its own span of dates."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.models import Claim, DatePrecision, Dispute, DisputeStatus, DisputeTag, Statement
from tracker.models.statement import ISO_LENGTH, format_date
from tracker.paging import keyset_page
from tracker.shown import CLAIM_SHOWN, LIVE, STATEMENT_SHOWN

DISPUTES_PER_PAGE = 20
# Disputes with no dated statement come after every dated one.
NO_DATE = dt.date(1, 1, 1)


@dataclass(frozen=True)
class IndexRow:
    dispute: Dispute
    statements: int
    claims: int
    first: str | None  # the earliest statement's date as read ("January 2020"), None when none is dated
    first_iso: str | None
    last: str | None
    last_iso: str | None


def dated_end(latest: bool):
    """The date and precision of the dispute's earliest (or latest) dated statement, as two subqueries.

    At equal dates the coarser precision is taken: "June 2022" reaches further than "1 June 2022"."""
    order = (Statement.date.desc() if latest else Statement.date, Statement.date_precision.desc())
    where = (Statement.dispute_id == Dispute.id, STATEMENT_SHOWN, Statement.date.is_not(None))
    return [sa.select(column).where(*where).order_by(*order).limit(1).scalar_subquery()
            for column in (Statement.date, Statement.date_precision)]


def disputes_index(text: str, tag: str | None, status: DisputeStatus | None, after: tuple | None):
    """A page of disputes, the latest statement first, with their statement and claim counts.

    Returns (rows, next): IndexRow items, and the (latest date, id) key to continue after,
    or None on the last page.
    """
    last_date, _ = dated_end(latest=True)
    newest = sa.func.coalesce(last_date, NO_DATE).label("newest")
    query = sa.select(Dispute, newest).options(selectinload(Dispute.tags)).where(LIVE)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(Dispute.title.ilike(pattern, escape="\\"), Dispute.summary.ilike(pattern, escape="\\")))
    if tag:
        query = query.where(sa.exists().where(DisputeTag.dispute_id == Dispute.id, DisputeTag.name == tag))
    if status is not None:
        query = query.where(Dispute.status == status)
    rows, next_key = keyset_page(query, (newest, Dispute.id), after, DISPUTES_PER_PAGE,
                                 key=lambda row: (as_date(row[1]), row[0].id))
    facts = page_facts([row[0].id for row in rows])
    return [index_row(row[0], *facts[row[0].id]) for row in rows], next_key


def page_facts(ids: list[int]) -> dict[int, tuple]:
    """Each dispute's statement and claim counts and the ends of its dates, for the page's disputes only:
    counted in the page's query, they were counted for every dispute before the page was cut (SQLite
    computes every column before sorting), a million claims looked at to show twenty disputes."""
    statements = (
        sa.select(sa.func.count(Statement.id)).where(Statement.dispute_id == Dispute.id, STATEMENT_SHOWN)
        .scalar_subquery()
    )
    claims = (
        sa.select(sa.func.count(Claim.id)).join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.dispute_id == Dispute.id, CLAIM_SHOWN, STATEMENT_SHOWN).scalar_subquery()
    )
    query = sa.select(Dispute.id, statements, claims, *dated_end(latest=False), *dated_end(latest=True)).where(
        Dispute.id.in_(ids))
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def index_row(dispute, statements, claims, first_date, first_precision, last_date, last_precision) -> IndexRow:
    first, last = end(first_date, first_precision), end(last_date, last_precision)
    return IndexRow(dispute, statements, claims, *first, *last)


def end(date, precision) -> tuple[str | None, str | None]:
    """A statement date as read and in ISO form cut to its precision, or (None, None)."""
    if date is None:
        return None, None
    date, precision = as_date(date), DatePrecision(precision)
    return format_date(date, precision), date.isoformat()[:ISO_LENGTH[precision]]


def as_date(value) -> dt.date:
    """Scalar subqueries come back untyped on SQLite: a date is then its ISO text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def all_tags() -> list[str]:
    query = sa.select(DisputeTag.name).join(Dispute).where(LIVE).distinct().order_by(DisputeTag.name)
    return list(db.session.scalars(query))
