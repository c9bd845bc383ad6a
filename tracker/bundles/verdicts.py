"""Verdicts in a bundle: [[verdicts]] read through the rules of the verdict form, written through its core
function (set_verdict), and written out by export.

A verdict names its claim by slug and the evidence it rests on by URL, as [[evidence]] entries are
keyed (claim and URL); that evidence must hang on the same claim and be shown to readers.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker import rules, shown
from tracker.core.verdicts import set_verdict
from tracker.db import db, in_utc, utcnow
from tracker.models import Claim, Dispute, Evidence, Rating, ReviewStatus, Verdict

from .entry import Entry


# ---- reading -------------------------------------------------------------------------------------

def read_verdicts(entries: list[Entry], claims: list[dict], evidence: list[dict]) -> list[dict]:
    """Each [[verdicts]] entry checked; problems are reported on the entries."""
    known = {c["slug"] for c in claims}
    links = {(e["claim"], e["url"]): e["state"] for e in evidence if e["claim"] and e["url"]}
    seen: set[str] = set()
    verdicts = []
    for e in entries:
        verdict = {
            "claim": e.value("claim", rules.slug, reserved=()),
            "rating": e.value("rating", rules.choice, Rating),
            "explanation": e.value("explanation", rules.free_text, rules.LIMITS["explanation"], required=True),
            "published": published(e),
            "correction": e.correction(),
            "deleted_at": e.moment("deleted_at"),  # a withdrawn verdict, in a bundle written by export --all
            "where": e.where,
        }
        slug = verdict["claim"]
        if slug and slug not in known:
            e.problem("claim", f'unknown claim "{slug}" (a verdict is on a claim of this bundle)')
        elif slug in seen:
            e.problem("claim", f'claim "{slug}" has a verdict already in this bundle (one verdict per claim)')
        seen.add(slug)
        verdict["evidence"] = rests_on(e, slug, links) if slug in known else []
        verdicts.append(verdict)
    return verdicts


def published(e: Entry) -> dt.datetime | None:
    """When the verdict was published: a date (2020-01-22), or a date and time with its offset."""
    value = e.table.get("published")
    if value is None or isinstance(value, dt.datetime):
        moment = e.moment("published")
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(), dt.UTC)
    else:
        e.problem("published", f"{value!r} is not a date (2020-01-22) nor a date and time with its offset "
                               "(2020-01-22T10:00:00Z)")
        return None
    if moment is not None and moment > utcnow():
        e.problem("published", f"{value} is in the future")
        return None
    return moment


def rests_on(e: Entry, claim: str, links: dict) -> list[str]:
    """The URLs of the evidence the verdict rests on: [[evidence]] of its claim that readers see."""
    value = e.table.get("evidence", [])
    urls = []
    for raw in value if isinstance(value, list) else [value]:
        try:
            url = rules.link(raw)
        except rules.RuleError as error:
            e.problem("evidence", str(error))
            continue
        state = links.get((claim, url))
        if state is None:
            e.problem("evidence", f'"{url}" is not evidence of claim "{claim}" in this bundle '
                                  "(an [[evidence]] entry with that claim and url)")
        elif state["deleted_at"] is not None or state.get("review") not in (None, ReviewStatus.approved):
            e.problem("evidence", f'"{url}" is not shown on claim "{claim}" (it is pending, rejected or deleted): '
                                  "a verdict rests on evidence readers see")
        elif url not in urls:
            urls.append(url)
    return urls


# ---- writing -------------------------------------------------------------------------------------

def write_verdicts(writer, dispute: Dispute, claims: dict[str, Claim]) -> None:
    """Set each verdict through set_verdict, as the verdict form does, by the import (`writer`, a Writer).

    A verdict the bundle leaves unchanged is not touched (no revision); a changed one is changed, with
    the entry's correction note. A withdrawn verdict stays withdrawn, and the bundle cannot withdraw one.
    """
    if not writer.plan.verdicts:
        return
    in_dispute = sa.select(Claim.id).where(Claim.dispute_id == dispute.id)
    stored = {v.claim_id: v for v in db.session.scalars(
        sa.select(Verdict).where(Verdict.claim_id.in_(in_dispute)).options(selectinload(Verdict.evidence)))}
    items = {(i.claim_id, i.url): i for i in db.session.scalars(
        sa.select(Evidence).where(Evidence.claim_id.in_(in_dispute)))}
    for v in writer.plan.verdicts:
        writer.advance(1)
        claim = claims.get(v["claim"])
        linked = [items.get((claim.id, url)) for url in v["evidence"]] if claim is not None else [None]
        if None in linked:
            continue  # its claim or evidence was refused: already reported
        verdict = stored.get(claim.id)
        what = f'the verdict on claim "{v["claim"]}"'
        if verdict is not None and verdict.deleted_at is not None:
            if v["deleted_at"] is None:
                writer.differs(what, "withdrawn here")
            continue
        if verdict is not None and v["deleted_at"] is not None:
            writer.differs(what, "withdrawn in the bundle, shown here")
            continue
        ids = sorted(item.id for item in linked)
        if verdict is not None and same(verdict, v, ids):
            continue
        at = v["published"]
        if verdict is not None and at is not None and at <= in_utc(verdict.set_at):
            at = None  # a change made now to a verdict published before: dated now
        saved = writer.attempt(v["where"], lambda claim=claim, v=v, ids=ids, at=at: set_verdict(
            claim, rating=v["rating"], explanation=v["explanation"], evidence=ids, by=writer.by,
            correction=writer.note(v), at=at))
        if saved is not None and verdict is None and v["deleted_at"] is not None:
            writer.new.append((saved, {"deleted_at": v["deleted_at"]}, v["where"]))  # withdrawn at the end


def same(verdict: Verdict, v: dict, ids: list[int]) -> bool:
    """The stored verdict says what the entry says (its evidence readers no longer see aside)."""
    rests = sorted(item.id for item in verdict.evidence if shown.evidence_is_shown(item))
    return verdict.rating is v["rating"] and verdict.explanation == v["explanation"] and rests == ids


# ---- exporting -----------------------------------------------------------------------------------

def verdict_entries(dispute: Dispute, claims: list[Claim], everything: bool) -> list[dict]:
    """The verdicts of the exported `claims`: live ones, or with `everything` withdrawn ones too (deleted_at)."""
    in_dispute = sa.select(Claim.id).where(Claim.dispute_id == dispute.id)
    by_claim = {v.claim_id: v for v in db.session.scalars(
        sa.select(Verdict).where(Verdict.claim_id.in_(in_dispute)).options(selectinload(Verdict.evidence)))}
    entries = []
    for claim in claims:
        verdict = by_claim.get(claim.id)
        if verdict is None or (verdict.deleted_at is not None and not everything):
            continue
        entry = {"claim": claim.slug, "rating": rules.label(verdict.rating), "explanation": verdict.explanation,
                 "evidence": [item.url for item in verdict.evidence if shown.evidence_is_shown(item)],
                 "published": in_utc(verdict.set_at).astimezone(dt.UTC)}
        if verdict.deleted_at is not None:
            entry["deleted_at"] = in_utc(verdict.deleted_at).astimezone(dt.UTC)
        entries.append({k: val for k, val in entry.items() if val not in (None, "", [])})
    return entries
