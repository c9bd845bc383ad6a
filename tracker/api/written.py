"""What a write answers: the item written, with the address of its page (once readers see it) and in the API."""

from flask import url_for

from tracker import shown
from tracker.models import Claim, Dispute, Evidence, Response, Statement, Verdict

from .bodies import WrittenClaim, WrittenEvidence, WrittenResponse, WrittenStatement, WrittenVerdict


def api_url(*parts: str) -> str:
    """This API's address of an item (the read API serves it)."""
    return url_for("api.root", _external=True) + "/".join(parts)


def claim_addresses(dispute: Dispute, claim: Claim, fragment: str | None = None) -> dict:
    page = url_for("claims.detail", dispute_slug=dispute.slug, slug=claim.slug, _external=True,
                   _anchor=fragment) if shown.claim_is_shown(claim) else None
    return {"url": page, "api_url": api_url("disputes", dispute.slug, "claims", claim.slug)}


def statement_answer(dispute: Dispute, statement: Statement) -> WrittenStatement:
    return WrittenStatement(id=statement.id, slug=statement.slug, title=statement.title,
                            url=url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug,
                                        _external=True),
                            api_url=api_url("disputes", dispute.slug, "statements", statement.slug))


def claim_answer(dispute: Dispute, claim: Claim) -> WrittenClaim:
    ties = [{"target": r.target.slug, "relation": r.relation.value} for r in claim.responses if r.deleted_at is None]
    return WrittenClaim(id=claim.id, slug=claim.slug, summary=claim.summary, review=claim.review.value,
                        responds_to=ties, **claim_addresses(dispute, claim))


def response_answer(dispute: Dispute, claim: Claim, response: Response) -> WrittenResponse:
    return WrittenResponse(id=response.id, claim=claim.slug, target=response.target.slug,
                           relation=response.relation.value, **claim_addresses(dispute, claim))


def evidence_answer(claim: Claim, item: Evidence) -> WrittenEvidence:
    addresses = claim_addresses(claim.statement.dispute, claim, f"evidence-{item.id}")
    if not shown.evidence_is_shown(item):
        addresses["url"] = None  # no page shows it while it awaits review
    return WrittenEvidence(id=item.id, claim=claim.slug, title=item.title, source_url=item.url,
                           stance=item.stance.value, review=item.review.value, **addresses)


def verdict_answer(claim: Claim, verdict: Verdict) -> WrittenVerdict:
    return WrittenVerdict(id=verdict.id, claim=claim.slug, rating=verdict.rating.value,
                          explanation=verdict.explanation, version=verdict.version,
                          evidence=sorted(link.evidence_id for link in verdict.evidence_links),
                          **claim_addresses(claim.statement.dispute, claim, "verdict"))
