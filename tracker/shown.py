"""What readers see: the one place each rule is written.

Deleting is soft and contributors' submissions wait for review, so every reader
query filters with these; editors find the rest through the history and the queue.
The SQL conditions and the Python predicates below say the same thing, for queries
and for objects already loaded.
"""

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from tracker.models import Claim, Dispute, Evidence, Response, ReviewStatus, Statement, Verdict

LIVE = Dispute.deleted_at.is_(None)
STATEMENT_SHOWN = Statement.deleted_at.is_(None)
EVIDENCE_SHOWN = sa.and_(Evidence.deleted_at.is_(None), Evidence.review == ReviewStatus.approved)
VERDICT_SHOWN = Verdict.deleted_at.is_(None)
# A response is shown when it is not deleted and both its claims are (queries join them).
RESPONSE_SHOWN = Response.deleted_at.is_(None)


# Each condition is built once per Claim or alias: building one (an EXISTS for the statement) cost about
# as much as running a page's small queries. Bounded, should a caller make an alias per request.
@lru_cache(maxsize=64)
def claim_shown(claim: type[Claim] | sa.orm.util.AliasedClass) -> sa.ColumnElement[bool]:
    """CLAIM_SHOWN for an alias of Claim (the other end of a response)."""
    return sa.and_(claim.deleted_at.is_(None), claim.review == ReviewStatus.approved, claim.merged_into_id.is_(None))


CLAIM_SHOWN = claim_shown(Claim)

# What readers see of a claim, as attributes its reading queries load (selectinload(Claim.verdict)):
# approved evidence not deleted, and a verdict not withdrawn.
Claim.shown_evidence = relationship(Evidence, primaryjoin=sa.and_(Evidence.claim_id == Claim.id, EVIDENCE_SHOWN),
                                    viewonly=True, order_by=Evidence.id)
Claim.verdict = relationship(Verdict, primaryjoin=sa.and_(Verdict.claim_id == Claim.id, VERDICT_SHOWN),
                             viewonly=True, uselist=False)


@lru_cache(maxsize=64)
def visible_claim(claim=Claim) -> sa.ColumnElement[bool]:
    """A claim readers see: shown itself, and its statement not deleted (a deleted statement hides its claims).

    For a claim whose statement is not joined in the query (the other end of a response).
    """
    return sa.and_(claim_shown(claim), claim.statement.has(STATEMENT_SHOWN))


# ---- the same rules, for objects already loaded -------------------------------------------

def statement_is_shown(statement: Statement) -> bool:
    return statement.deleted_at is None


def claim_is_shown(claim: Claim) -> bool:
    """Shown itself (its statement is checked apart: see claim_is_visible)."""
    return claim.deleted_at is None and claim.review is ReviewStatus.approved and claim.merged_into_id is None


def claim_is_visible(claim: Claim) -> bool:
    """What visible_claim() says in SQL: shown, and its statement shown."""
    return claim_is_shown(claim) and statement_is_shown(claim.statement)


def evidence_is_shown(item: Evidence) -> bool:
    return item.deleted_at is None and item.review is ReviewStatus.approved
