"""What the API shows beyond what the reader pages load: a page's evidence and verdicts whole, in one query each."""

from collections import defaultdict

import sqlalchemy as sa

from tracker.db import db
from tracker.models import Evidence, Verdict
from tracker.shown import EVIDENCE_SHOWN, VERDICT_SHOWN


def evidence_of(claim_ids: list[int]) -> dict[int, list]:
    """The evidence readers see of each claim, as rows, in the order it was added."""
    found: dict[int, list] = defaultdict(list)
    if claim_ids:
        query = (sa.select(Evidence.id, Evidence.claim_id, Evidence.stance, Evidence.title, Evidence.url,
                           Evidence.publisher, Evidence.date, Evidence.excerpt)
                 .where(Evidence.claim_id.in_(claim_ids), EVIDENCE_SHOWN).order_by(Evidence.id))
        for row in db.session.execute(query):
            found[row.claim_id].append(row)
    return found


def verdicts_of(claim_ids: list[int]) -> dict[int, Verdict]:
    """The verdict readers see of each claim that has one."""
    if not claim_ids:
        return {}
    query = (sa.select(Verdict.claim_id, Verdict.rating, Verdict.explanation, Verdict.set_at)
             .where(Verdict.claim_id.in_(claim_ids), VERDICT_SHOWN))
    return {row.claim_id: row for row in db.session.execute(query)}
