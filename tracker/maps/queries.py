"""Read functions for the response map: a fixed number of queries, however big the dispute.

A map page draws the claims of one timeline page (the same `?after=` position), so a large
dispute has as many map pages as timeline pages, each of a bounded size.
"""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.db import db
from tracker.disputes import queries as timeline
from tracker.disputes.cards import ANSWERER, TARGET
from tracker.models import Claim, Dispute, Relation, Response, Statement
from tracker.shown import RESPONSE_SHOWN, visible_claim

# Beyond these a page's map would pass 1 MB; what is left out is counted on the page.
MAX_RESPONSES = 600
MAX_ELSEWHERE = 50


@dataclass(frozen=True)
class Answer:
    claim_id: int
    target_id: int
    relation: Relation


@dataclass
class MapPage:
    claims: list[Claim]  # the timeline page's claims, in reading order, with statement and speaker
    elsewhere: list[Claim]  # claims of other pages that claims of this page answer
    answers: list[Answer]  # responses made by this page's claims, to claims of this page or `elsewhere`
    answered_elsewhere: Counter  # claim id -> responses to it from claims of other pages
    left_out: int  # responses made here that are not drawn (over the limits above)
    cursor: timeline.Cursor | None
    next_cursor: timeline.Cursor | None


# Built once (aliases and EXISTS cost more to build than to run), the page's claim ids bound per call.
PAGE_IDS = sa.bindparam("ids", expanding=True)
# Responses made by the page's claims to claims readers see, and how many in all.
MADE = (
    sa.select(Response.claim_id, Response.target_id, Response.relation, sa.func.count().over().label("total"))
    .join(TARGET, TARGET.id == Response.target_id)
    .where(Response.claim_id.in_(PAGE_IDS), RESPONSE_SHOWN, visible_claim(TARGET))
    .order_by(Response.id).limit(MAX_RESPONSES + 1)
)
ANSWERED_FROM_ELSEWHERE = (
    sa.select(Response.target_id, sa.func.count())
    .join(ANSWERER, ANSWERER.id == Response.claim_id)
    .where(Response.target_id.in_(PAGE_IDS), Response.claim_id.not_in(PAGE_IDS), RESPONSE_SHOWN,
           visible_claim(ANSWERER))
    .group_by(Response.target_id)
)


def map_page(dispute: Dispute, cursor: timeline.Cursor | None) -> MapPage:
    """The claims of the timeline page at `cursor` and the responses touching them.

    Raises ValueError for a cursor that is no position in this dispute's timeline.
    """
    page = timeline.timeline_page(Statement.dispute_id == dispute.id, timeline.Filters(), cursor)
    claims = [claim for _, claims in page.statements for claim in claims]
    ids = {claim.id for claim in claims}
    made = list(db.session.execute(MADE, {"ids": list(ids)})) if ids else []
    elsewhere = other_claims([row.target_id for row in made if row.target_id not in ids])
    drawn = ids | {claim.id for claim in elsewhere}
    answers = [Answer(row.claim_id, row.target_id, row.relation) for row in made[:MAX_RESPONSES]
               if row.target_id in drawn]
    left_out = (made[0].total if made else 0) - len(answers)
    return MapPage(claims, elsewhere, answers, answered_from_elsewhere(ids), left_out, cursor, page.next_cursor)


def other_claims(ids: list[int]) -> list[Claim]:
    """The first MAX_ELSEWHERE of these claims (in the order given), with statement and speaker."""
    ids = list(dict.fromkeys(ids))[:MAX_ELSEWHERE]
    if not ids:
        return []
    query = sa.select(Claim).where(Claim.id.in_(ids)).options(joinedload(Claim.statement).joinedload(Statement.speaker))
    found = {claim.id: claim for claim in db.session.scalars(query)}
    return [found[i] for i in ids if i in found]


def answered_from_elsewhere(ids: set[int]) -> Counter:
    """How many shown responses each of these claims gets from visible claims not among them."""
    if not ids:
        return Counter()
    return Counter(dict(db.session.execute(ANSWERED_FROM_ELSEWHERE, {"ids": list(ids)}).all()))
