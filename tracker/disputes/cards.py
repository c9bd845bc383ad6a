"""What a claim card shows beyond the claim's own row, loaded for a whole page of cards at once."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.db import db
from tracker.models import Actor, Claim, Evidence, Response, Stance, Statement, StatementAnswer
from tracker.shown import EVIDENCE_SHOWN, RESPONSE_SHOWN, STATEMENT_SHOWN, visible_claim

# What a link to a statement needs (not its text, which may be long).
LINK_COLUMNS = (Statement.id, Statement.slug, Statement.title)
# The other end of a response, made once: an alias copies every column of Claim, per call if made per call.
OTHER_CLAIM = sa.orm.aliased(Claim, name="other_claim")
ANSWERER = sa.orm.aliased(Claim, name="answerer")
TARGET = sa.orm.aliased(Claim, name="target")


def shown_response_between(near, far) -> sa.ColumnElement[bool]:
    """A shown response from claim `near` to claim `far` (columns), whose far end readers see."""
    return sa.exists().where(near, RESPONSE_SHOWN, OTHER_CLAIM.id == far, visible_claim(OTHER_CLAIM))


@dataclass
class ClaimFacts:
    """What a claim card shows beyond the claim's own row, loaded for a whole page at once."""

    answered_by: Counter = field(default_factory=Counter)  # claim id -> answers
    evidence: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))  # id -> stance counts
    # claim id -> rows (relation, id, slug, summary, speaker) of the claims it answers
    answers: dict[int, list] = field(default_factory=lambda: defaultdict(list))

    def stances(self, claim_id: int) -> list[tuple[Stance, int]]:
        """Evidence counts of a claim, in the order of the stances (supports, refutes, context)."""
        counts = self.evidence.get(claim_id, {})
        return [(stance, counts[stance]) for stance in Stance if counts.get(stance)]


# claim_facts' three statements, built once: building them (aliases, EXISTS) cost more than running them.
PAGE_IDS = sa.bindparam("ids", expanding=True)
# (answering claim id, relation, id, slug, summary, speaker) of each claim a claim answers
ANSWERS_OF = (
    sa.select(Response.claim_id, Response.relation, TARGET.id, TARGET.slug, TARGET.summary,
              Actor.name.label("speaker"))
    .join(TARGET, TARGET.id == Response.target_id)
    .join(Statement, Statement.id == TARGET.statement_id)
    .join(Actor, Actor.id == Statement.speaker_id)
    .where(Response.claim_id.in_(PAGE_IDS), RESPONSE_SHOWN, visible_claim(TARGET))
    .order_by(Response.id)
)
ANSWERED_BY = (
    sa.select(Response.target_id, sa.func.count())
    .join(ANSWERER, ANSWERER.id == Response.claim_id)
    .where(Response.target_id.in_(PAGE_IDS), RESPONSE_SHOWN, visible_claim(ANSWERER))
    .group_by(Response.target_id)
)
EVIDENCE_COUNTS = (
    sa.select(Evidence.claim_id, Evidence.stance, sa.func.count())
    .where(Evidence.claim_id.in_(PAGE_IDS), EVIDENCE_SHOWN)
    .group_by(Evidence.claim_id, Evidence.stance)
)


def claim_facts(claims: list[Claim]) -> ClaimFacts:
    """What each claim answers (and who said that), how many claims answer it, and its evidence by
    stance: three queries.

    Only what readers see: shown responses whose other end is a shown claim, shown evidence.
    Plain rows rather than Response objects: a page of claim cards reads them only.
    """
    facts = ClaimFacts()
    ids = {"ids": [c.id for c in claims]}
    if not ids["ids"]:
        return facts
    for row in db.session.execute(ANSWERS_OF, ids):
        facts.answers[row.claim_id].append(row)
    facts.answered_by.update(dict(db.session.execute(ANSWERED_BY, ids).all()))
    for claim_id, stance, count in db.session.execute(EVIDENCE_COUNTS, ids):
        facts.evidence[claim_id][stance] = count
    return facts


# A statement's answers both ways, only those to statements readers see: built once.
STATEMENT_LINK_OPTIONS = (
    selectinload(Statement.answers.and_(StatementAnswer.answered.has(STATEMENT_SHOWN)))
    .joinedload(StatementAnswer.answered).load_only(*LINK_COLUMNS),
    selectinload(Statement.answered_by.and_(StatementAnswer.statement.has(STATEMENT_SHOWN)))
    .joinedload(StatementAnswer.statement).load_only(*LINK_COLUMNS),
)


def statement_link_options() -> list:
    """Load a statement's answers both ways, only those to statements readers see."""
    return list(STATEMENT_LINK_OPTIONS)
