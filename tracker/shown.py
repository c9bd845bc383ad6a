"""What readers see: the one place each rule is written.

Deleting is soft and contributors' submissions wait for review, so every reader
query filters with these; editors find the rest through the history and the queue.
"""

import sqlalchemy as sa

from tracker.models import Claim, Dispute, Evidence, Response, ReviewStatus, Statement

LIVE = Dispute.deleted_at.is_(None)
STATEMENT_SHOWN = Statement.deleted_at.is_(None)
EVIDENCE_SHOWN = sa.and_(Evidence.deleted_at.is_(None), Evidence.review == ReviewStatus.approved)
# A response is shown when it is not deleted and both its claims are (queries join them).
RESPONSE_SHOWN = Response.deleted_at.is_(None)


def claim_shown(claim: type[Claim] | sa.orm.util.AliasedClass) -> sa.ColumnElement[bool]:
    """CLAIM_SHOWN for an alias of Claim (the other end of a response)."""
    return sa.and_(claim.deleted_at.is_(None), claim.review == ReviewStatus.approved, claim.merged_into_id.is_(None))


CLAIM_SHOWN = claim_shown(Claim)
