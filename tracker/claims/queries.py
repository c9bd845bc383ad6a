"""Read functions for the claim page: the claim, its thread both ways, its evidence."""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from tracker.db import db
from tracker.models import Claim, Correction, Dispute, LinkCheck, Relation, Response, Statement, Verdict
from tracker.shown import LIVE, RESPONSE_SHOWN, visible_claim

# A thread larger than this is cut, and the page says how much is left out.
THREAD_LIMIT = 300
# Deeper than this, nesting stops being readable: the branch links on instead.
THREAD_DEPTH = 12


@dataclass
class Thread:
    """Claims linked by responses, as edges from each claim to its neighbours."""

    claims: dict[int, Claim] = field(default_factory=dict)
    edges: dict[int, list[tuple[Relation, int]]] = field(default_factory=lambda: defaultdict(list))
    cut: bool = False  # more responses exist than were loaded

    def branches(self, claim_id: int, seen: frozenset = frozenset()) -> list:
        """(relation, claim, its branches, goes deeper) for each neighbour.

        A claim met again on the same path is not followed (responses may form a
        cycle), and below THREAD_DEPTH levels a branch is only flagged as going on.
        """
        result = []
        for relation, other in self.edges.get(claim_id, []):
            if other in seen or other not in self.claims:
                continue
            path = seen | {claim_id}
            deeper = len(path) >= THREAD_DEPTH
            sub = [] if deeper else self.branches(other, path)
            result.append((relation, self.claims[other], sub, deeper and bool(self.edges.get(other))))
        return result


def claim_by_slugs(dispute_slug: str, slug: str) -> Claim | None:
    """The claim at this address in a live dispute, shown or not: the page says why it is not shown."""
    query = (
        sa.select(Claim)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .where(Dispute.slug == dispute_slug, LIVE, Claim.slug == slug)
        .options(
            selectinload(Claim.statement).selectinload(Statement.speaker),
            selectinload(Claim.statement).selectinload(Statement.dispute),
            selectinload(Claim.reported_in),
            selectinload(Claim.shown_evidence),
            selectinload(Claim.tags),
            selectinload(Claim.verdict).selectinload(Verdict.evidence),
            # The editor's list of ties (templates/claims/_claim_actions.html): its targets in one query.
            selectinload(Claim.responses.and_(Response.deleted_at.is_(None))).joinedload(Response.target),
        )
    )
    return db.session.scalar(query)


def walk_statement(upward: bool) -> sa.Select:
    """The recursive query of `thread`, built once per direction: the claim is a bound parameter.

    UNION (not UNION ALL) drops repeated rows, so a cycle of responses ends the recursion
    instead of looping. It walks only through shown responses to claims readers see.
    """
    near, far = (Response.claim_id, Response.target_id) if upward else (Response.target_id, Response.claim_id)
    reached = aliased(Claim)
    walk = (
        sa.select(Response.id, near.label("near"), far.label("far"), Response.relation)
        .join(reached, reached.id == far)
        .where(near == sa.bindparam("claim_id"), RESPONSE_SHOWN, visible_claim(reached))
    )
    walk = walk.cte("walk", recursive=True)
    step = aliased(Response)
    step_reached = aliased(Claim)
    step_near, step_far = (step.claim_id, step.target_id) if upward else (step.target_id, step.claim_id)
    walk = walk.union(
        sa.select(step.id, step_near, step_far, step.relation)
        .join(walk, step_near == walk.c.far)
        .join(step_reached, step_reached.id == step_far)
        .where(step.deleted_at.is_(None), visible_claim(step_reached))
    )
    return sa.select(walk).order_by(walk.c.id).limit(THREAD_LIMIT + 1)


# Building these aliased, recursive statements cost more than running them: they are built once.
WALKS = {upward: walk_statement(upward) for upward in (True, False)}


def thread(claim: Claim, upward: bool) -> Thread:
    """What the claim answers up to the root accusations (upward), or everything answering it, nested:
    one recursive query whatever the depth."""
    rows = db.session.execute(WALKS[upward], {"claim_id": claim.id}).all()
    result = Thread(cut=len(rows) > THREAD_LIMIT)
    for _id, near_id, far_id, relation in rows[:THREAD_LIMIT]:
        result.edges[near_id].append((relation, far_id))
    ids = {far for edges in result.edges.values() for _, far in edges}
    if ids:
        loaded = db.session.scalars(
            sa.select(Claim).where(Claim.id.in_(ids)).options(
                selectinload(Claim.statement).selectinload(Statement.speaker),
                selectinload(Claim.reported_in),
                selectinload(Claim.verdict),
            )
        )
        result.claims = {c.id: c for c in loaded}
    return result


def survivor_slug(claim: Claim) -> str | None:
    """The slug of the claim a merged duplicate went into (its address redirects there)."""
    return db.session.scalar(sa.select(Claim.slug).where(Claim.id == claim.merged_into_id))


def corrections_of(claim: Claim) -> list[Correction]:
    """The public corrections of the claim, of its verdict and of the text its quote is in, newest first."""
    objects = [sa.and_(Correction.object_type == "claim", Correction.object_id == claim.id)]
    if claim.verdict is not None:
        objects.append(sa.and_(Correction.object_type == "verdict", Correction.object_id == claim.verdict.id))
    host = claim.reported_in_id if claim.reconstructed else claim.statement_id
    if claim.quote_exact is not None and host is not None:
        objects.append(sa.and_(Correction.object_type == "statement", Correction.object_id == host))
    query = sa.select(Correction).where(sa.or_(*objects)).order_by(Correction.created_at.desc(), Correction.id.desc())
    return list(db.session.scalars(query))


def link_checks(evidence: list) -> dict[int, LinkCheck]:
    """The last check of each evidence link, by evidence id, in one query; a check of an address the
    link no longer has (it was edited since) is left out. The query runs even for no evidence: a page's
    query count does not depend on what it shows."""
    urls = {item.id: item.url for item in evidence}
    checks = db.session.scalars(sa.select(LinkCheck).where(LinkCheck.evidence_id.in_(urls)))
    return {check.evidence_id: check for check in checks if check.url == urls[check.evidence_id]}
