"""Claims cut from statements, and the responses that tie a claim to the claim it answers."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from tracker import history, rules, shown
from tracker.db import db
from tracker.models import Claim, ClaimKind, ClaimTag, Relation, Response, ReviewStatus, Role, Statement

from . import edits, slugs
from .anchors import anchor_values, claim_anchor, shorten
from .by import By
from .edits import CHUNK, CorrectionNote, Checks, assign, checked, record_edit
from .errors import Invalid


def cut_claim(statement: Statement, *, summary: str, kind: ClaimKind | str, quote: str | None = None,
              start=None, end=None, prefix: str | None = None, suffix: str | None = None,
              reconstructed: bool = False, reported_in: Statement | None = None, tags: Iterable[str] | str = (),
              slug: str | None = None, by: By, review: ReviewStatus | None = None) -> Claim:
    """A new claim, its quote anchored in the text (at start:end if those are its words).

    A contributor's claim waits for review; `review` sets another state, for those who may (an import).
    """
    return cut_claims([dict(statement=statement, summary=summary, kind=kind, quote=quote, start=start, end=end,
                            prefix=prefix, suffix=suffix, reconstructed=reconstructed, reported_in=reported_in,
                            tags=tags, slug=slug, review=review)], by=by)[0]


def cut_claims(cuts: list[dict], *, by: By) -> list[Claim]:
    """New claims, each checked as cut_claim checks one (its keyword arguments in a dict), inserted together.

    An import cuts thousands at once: one INSERT for all, one for their revisions. Invalid at the first
    claim refused (cut them one at a time to hear of every one).
    """
    by.require(Role.contributor)
    if not cuts:
        return []  # an INSERT of no rows would insert one row of defaults
    typed = [(cut["statement"].dispute_id, cut.get("slug")) for cut in cuts]
    taken = slugs.InUse(Claim, "claim of this dispute", typed)
    rows, tag_names = [], []
    for cut in cuts:
        statement, reported_in = cut["statement"], cut.get("reported_in")
        reconstructed = bool(cut.get("reconstructed"))
        values = claim_values(cut["summary"], cut["kind"], cut.get("tags", ()))
        if reported_in is not None and reported_in.dispute_id != statement.dispute_id:
            raise Invalid("reported_in", "choose a statement of the same dispute")
        anchor = anchor_for(reported_in if reconstructed else statement,
                            checked("quote", rules.verbatim, cut.get("quote"), rules.LIMITS["quote"]),
                            reconstructed=reconstructed, reported=reported_in is not None, start=cut.get("start"),
                            end=cut.get("end"), prefix=cut.get("prefix"), suffix=cut.get("suffix"))
        row = dict(dispute_id=statement.dispute_id, statement_id=statement.id, reconstructed=reconstructed,
                   reported_in_id=reported_in.id if reported_in is not None else None,
                   slug=taken.pick(statement.dispute_id, cut.get("slug"), values["summary"], "claim"),
                   summary=values["summary"], kind=values["kind"], **anchor_values(anchor),
                   review=ReviewStatus.approved, submitted_by_id=None)
        review = cut.get("review")
        if review is not None and review is not ReviewStatus.approved:
            by.require(Role.editor)
            row["review"] = review
        elif not by.can(Role.editor):
            row["review"], row["submitted_by_id"] = ReviewStatus.pending, by.user_id
        rows.append(row)
        tag_names.append(values["tags"])
    # Matched back by their unique keys: asking the database to keep the order would insert row by row.
    made = {(c.dispute_id, c.slug): c for c in db.session.scalars(sa.insert(Claim).returning(Claim), rows)}
    claims = [made[row["dispute_id"], row["slug"]] for row in rows]
    tags = [{"claim_id": claim.id, "name": name} for claim, names in zip(claims, tag_names) for name in names]
    made = list(db.session.scalars(sa.insert(ClaimTag).returning(ClaimTag), tags)) if tags else []
    by_claim: dict[int, list[ClaimTag]] = {}
    for tag in made:
        by_claim.setdefault(tag.claim_id, []).append(tag)
    for claim in claims:  # their tags are known: reading them (the revision does) asks nothing
        set_committed_value(claim, "tags", by_claim.get(claim.id, []))
    history.record_created(claims, by)
    return claims


KEEP = object()  # an argument left as it is


def edit_claim(claim: Claim, *, summary: str, kind: ClaimKind | str, quote: str | None = None,
               prefix: str | None = None, suffix: str | None = None, tags: Iterable[str] | str = (),
               slug: str | None = None, statement: Statement | None = None, reconstructed: bool | None = None,
               reported_in=KEEP, by: By, version: int | None = None,
               correction: CorrectionNote | None = None) -> Claim:
    """Change a claim still at `version` (None: no check); a changed quote is anchored again.

    A quote still found where it was stays there; else wherever the text holds it once. The form
    changes neither the statement nor whether the claim is reconstructed; a bundle may.
    """
    by.require(Role.editor)
    values = claim_values(summary, kind, tags)
    quote = checked("quote", rules.verbatim, quote, rules.LIMITS["quote"])
    before = edits.loaded_at(claim, version)
    published = shown.claim_is_shown(claim)
    others = sa.select(Claim.slug).where(Claim.dispute_id == claim.dispute_id, Claim.id != claim.id)
    values["slug"] = slugs.pick(slug, values["summary"], "claim", others, Claim.slug, "claim of this dispute",
                                own=claim.slug)
    statement = statement or claim.statement
    reconstructed = claim.reconstructed if reconstructed is None else bool(reconstructed)
    reported_in = claim.reported_in if reported_in is KEEP else reported_in
    if any(s is not None and s.dispute_id != claim.dispute_id for s in (statement, reported_in)):
        raise Invalid("statement", "choose a statement of the same dispute")
    host = reported_in if reconstructed else statement
    if quote != claim.quote_exact or host is not claim.anchor_statement:
        stays = host is claim.anchor_statement
        anchor = anchor_for(host, quote, reconstructed=reconstructed, reported=reported_in is not None,
                            start=claim.quote_start if stays else None, end=claim.quote_end if stays else None,
                            prefix=claim.quote_prefix if prefix is None else prefix,
                            suffix=claim.quote_suffix if suffix is None else suffix)
        assign(claim, anchor_values(anchor))
    names = values.pop("tags")
    assign(claim, {**values, "statement_id": statement.id, "reconstructed": reconstructed,
                   "reported_in_id": reported_in.id if reported_in is not None else None})
    if claim.tag_names != names:
        claim.tags = [ClaimTag(name=name) for name in names]
        flag_modified(claim, "slug")  # the tags are rows of their own: the claim's version must still move
    record_edit(claim, before, by, dispute_id=claim.dispute_id, published=published, correction=correction)
    return claim


def claim_values(summary, kind, tags) -> dict:
    check = Checks()
    values = {"summary": check("summary", rules.one_line, summary, rules.LIMITS["summary"], required=True),
              "kind": check("kind", rules.choice, kind, ClaimKind),
              "tags": check("tags", rules.tags, tags)}
    check.done()
    return values


def anchor_for(claim_host: Statement | None, quote: str | None, *, reconstructed: bool, reported: bool, **where):
    """The quote's anchor in its host's text (claim_anchor's rules, on stored statements)."""
    return claim_anchor(quote, reconstructed=reconstructed, reported=reported,
                        host=claim_host.title if claim_host else "", text=claim_host.text if claim_host else None,
                        **where)


# ---- responses -------------------------------------------------------------------------

def tie_response(claim: Claim, target: Claim | None, *, relation: Relation | str, by: By) -> Response:
    """Record that the claim answers `target`; a deleted tie between the two is revived, not duplicated."""
    return tie_responses([(claim, target, relation)], by=by)[0]


def tie_responses(ties: list[tuple[Claim, Claim | None, Relation | str]], *, by: By) -> list[Response]:
    """Responses (claim, target, relation), each checked as tie_response checks one; the new ones inserted
    together. Invalid at the first one refused."""
    by.require(Role.editor)
    if not ties:
        return []
    stored = responses_from([claim.id for claim, _, _ in ties])
    tied: list[Response | dict] = []
    for claim, target, relation in ties:
        relation = checked("relation", rules.choice, relation, Relation)
        if target is None or target.dispute_id != claim.dispute_id:
            raise Invalid("target", "choose a claim of this dispute")
        if target.id == claim.id:
            raise Invalid("target", "a claim cannot answer itself")
        if target.merged_into_id is not None:
            raise Invalid("target", "that claim was merged into another: tie to the one it was merged into")
        response = stored.get((claim.id, target.id))
        if isinstance(response, dict):
            raise Invalid("target", "this claim is tied to that one twice here")
        if response is not None and response.deleted_at is None:
            raise Invalid("target", f"this claim already {response.relation.value} “{shorten(target.summary)}”; "
                                    "edit that response instead")
        if response is not None:
            before = history.snapshot(response)
            response.deleted_at, response.relation = None, relation
            history.record("restore", response, before, by, reason="tied again")
        else:
            response = dict(claim_id=claim.id, target_id=target.id, dispute_id=claim.dispute_id, relation=relation)
        stored[(claim.id, target.id)] = response
        tied.append(response)
    rows = [r for r in tied if isinstance(r, dict)]
    made = {(r.claim_id, r.target_id): r for r in db.session.scalars(sa.insert(Response).returning(Response), rows)
            } if rows else {}
    tied = [made[r["claim_id"], r["target_id"]] if isinstance(r, dict) else r for r in tied]
    history.record_created(list(made.values()), by)
    return tied


def set_relation(response: Response, relation: Relation | str, *, by: By, version: int | None = None) -> Response:
    """How the claim answers its target: rebuts, denies, qualifies..."""
    by.require(Role.editor)
    relation = checked("relation", rules.choice, relation, Relation)
    before = edits.loaded_at(response, version)
    assign(response, {"relation": relation})
    record_edit(response, before, by, dispute_id=response.dispute_id, published=False)
    return response


def responses_from(claim_ids: list[int]) -> dict:
    """The responses of those claims, deleted or not, by (claim id, target id)."""
    found = {}
    ids = sorted(set(claim_ids))
    for i in range(0, len(ids), CHUNK):
        for response in db.session.scalars(sa.select(Response).where(Response.claim_id.in_(ids[i:i + CHUNK]))):
            found[(response.claim_id, response.target_id)] = response
    return found


def response_between(claim: Claim, target: Claim) -> Response | None:
    """The response from claim to target, deleted or not ((claim, target) is unique)."""
    return db.session.scalar(sa.select(Response).where(Response.claim_id == claim.id, Response.target_id == target.id))

