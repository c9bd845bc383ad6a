"""Loaded rows into the API's shapes (shapes.py): each item with the address of its page and of its API answer."""

from flask import url_for

from tracker.claims.queries import Thread
from tracker.disputes.cards import ClaimFacts
from tracker.models import Actor, Claim, Dispute, Statement
from tracker.models.statement import ISO_LENGTH

from . import shapes


def addresses(page: str, api: str, **values) -> dict[str, str]:
    return {"url": url_for(page, _external=True, **values), "api_url": url_for(api, _external=True, **values)}


def dispute_addresses(slug: str) -> dict[str, str]:
    return {"url": url_for("disputes.timeline", slug=slug, _external=True),
            "api_url": url_for("api.dispute", slug=slug, _external=True)}


def statement_addresses(dispute_slug: str, slug: str) -> dict[str, str]:
    return addresses("statements.detail", "api.statement", dispute_slug=dispute_slug, slug=slug)


def claim_addresses(dispute_slug: str, slug: str) -> dict[str, str]:
    return addresses("claims.detail", "api.claim", dispute_slug=dispute_slug, slug=slug)


def precise_date(date, precision) -> shapes.PreciseDate | None:
    if date is None or precision is None:
        return None
    return shapes.PreciseDate(date=date.isoformat()[:ISO_LENGTH[precision]], precision=precision.value)


def dispute_ref(dispute: Dispute) -> shapes.DisputeRef:
    return shapes.DisputeRef(id=dispute.id, slug=dispute.slug, title=dispute.title, **dispute_addresses(dispute.slug))


def actor_ref(actor: Actor) -> shapes.ActorRef:
    return shapes.ActorRef(id=actor.id, slug=actor.slug, name=actor.name,
                           **addresses("actors.detail", "api.actor", slug=actor.slug))


def statement_ref(statement, dispute_slug: str) -> shapes.StatementRef:
    """Of a statement, or a row holding its id, slug and title."""
    return shapes.StatementRef(id=statement.id, slug=statement.slug, title=statement.title,
                               **statement_addresses(dispute_slug, statement.slug))


def claim_ref(claim, dispute_slug: str, speaker: str | None) -> shapes.ClaimRef:
    """Of a claim, or a row holding its id, slug and summary."""
    return shapes.ClaimRef(id=claim.id, slug=claim.slug, summary=claim.summary, speaker=speaker,
                           **claim_addresses(dispute_slug, claim.slug))


def evidence(row, dispute_slug: str, claim_slug: str) -> shapes.Evidence:
    page = url_for("claims.detail", dispute_slug=dispute_slug, slug=claim_slug, _external=True,
                   _anchor=f"evidence-{row.id}")
    return shapes.Evidence(id=row.id, stance=row.stance, title=row.title, source_url=row.url, publisher=row.publisher,
                           date=row.date, excerpt=row.excerpt, url=page)


def verdict(row) -> shapes.Verdict | None:
    if row is None:
        return None
    return shapes.Verdict(rating=row.rating, label=row.rating.label, explanation=row.explanation, set_at=row.set_at)


class Page:
    """What a page of claim cards shows beyond the claims' own rows, loaded for the whole page."""

    def __init__(self, facts: ClaimFacts, evidence: dict, verdicts: dict):
        self.facts, self.evidence, self.verdicts = facts, evidence, verdicts

    def claim_card(self, claim: Claim, dispute_slug: str) -> shapes.ClaimCard:
        return shapes.ClaimCard(
            id=claim.id, slug=claim.slug, summary=claim.summary, kind=claim.kind, reconstructed=claim.reconstructed,
            quote=claim.quote_exact,
            reported_in=statement_ref(claim.reported_in, dispute_slug) if claim.reported_in is not None else None,
            tags=claim.tag_names,
            responds_to=[shapes.ResponseLink(relation=row.relation, claim=claim_ref(row, dispute_slug, row.speaker))
                         for row in self.facts.answers.get(claim.id, [])],
            answered_by_count=self.facts.answered_by.get(claim.id, 0),
            evidence=[evidence(row, dispute_slug, claim.slug) for row in self.evidence.get(claim.id, [])],
            verdict=verdict(self.verdicts.get(claim.id)),
            **claim_addresses(dispute_slug, claim.slug),
        )

    def statement_card(self, statement: Statement, claims: list[Claim]) -> shapes.StatementCard:
        return shapes.StatementCard(**statement_fields(statement),
                                    claims=[self.claim_card(c, statement.dispute.slug) for c in claims])


def statement_fields(statement: Statement) -> dict:
    """A statement's own fields and links (its dispute and speaker loaded, and its answers both ways)."""
    slug = statement.dispute.slug
    return dict(
        id=statement.id, slug=statement.slug, title=statement.title, kind=statement.kind,
        date=precise_date(statement.date, statement.date_precision), speaker=actor_ref(statement.speaker),
        dispute=dispute_ref(statement.dispute), venue=statement.venue, source_url=statement.source_url,
        language=statement.language, has_text=statement.has_text,
        answers=[statement_ref(link.answered, slug) for link in statement.answers],
        answered_by=[statement_ref(link.statement, slug) for link in statement.answered_by],
        **statement_addresses(slug, statement.slug),
    )


def thread(tree: Thread, claim_id: int, dispute_slug: str) -> list[shapes.ThreadNode]:
    """The nested branches of a thread (claims.queries.Thread.branches) as nodes."""
    def node(relation, claim, branches, deeper) -> shapes.ThreadNode:
        return shapes.ThreadNode(relation=relation, claim=claim_ref(claim, dispute_slug, claim.statement.speaker.name),
                                 further=[node(*branch) for branch in branches], goes_deeper=deeper)
    return [node(*branch) for branch in tree.branches(claim_id)]
