"""The rows of the million-claim store, dispute by dispute: plain dicts, as the core would write them.

Each dispute has statements of CLAIMS_PER_STATEMENT claims, two sides taking turns (a busy actor,
BUSY_ACTOR, speaks every BUSY_EVERY-th statement of the whole store), one statement a day. A statement
is a text of real sentences: each claim quotes one of them, anchored at its offsets. Claim j of a
statement answers claim j of the statement before (reply chains as long as the dispute), and the last
claim of every third statement also answers the dispute's first claim (fan-out). Two evidence links
per claim, a verdict on every VERDICT_EVERY-th, a topic tag on every TAG_EVERY-th.

Search finds RARE_WORD in RARE_CLAIMS claims and COMMON_WORD in COMMON_PERCENT % of claims.
Every value is a function of the row's id, so a build that stops and resumes writes the same store.
"""

import datetime as dt
import enum

from tracker.anchoring import CONTEXT_CHARS
from tracker.history import content_columns, plain
from tracker.models import (
    Actor, ActorKind, Claim, ClaimKind, DatePrecision, Dispute, DisputeStatus, Evidence, Rating, Relation, Response,
    Stance, Statement, StatementKind, Verdict,
)

CLAIMS_PER_STATEMENT = 4
ACTORS = 2000
BUSY_ACTOR = 1  # its id: speaks in one statement of BUSY_EVERY across the store
BUSY_EVERY = 20
VERDICT_EVERY = 25
TAG_EVERY = 10
RARE_WORD, RARE_CLAIMS = "zeppelin", 5
COMMON_WORD, COMMON_PERCENT = "harbour", 30
REFERENCE_SLUG = "load-100"  # bench/reference.py's page shows this dispute: 100 claims, 200 links
SOURCE = "benchmark data written by bench/million.py"
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

TOPICS = ["tariff", "loan", "railway", "grain", "vaccine", "cable", "bond", "election", "fishery", "pipeline",
          "mine", "dam", "satellite", "visa", "fertiliser", "airport", "textile", "copper", "rice", "bridge"]
NOUNS = ["figures", "contracts", "payments", "inspections", "audits", "shipments", "permits", "records"]
VERBS = ["were revised", "were hidden", "were published", "were doubled", "were questioned", "were signed"]
FILLER = ["We have always acted in good faith and within the law.",
          "Our partners know the facts and judge for themselves.",
          "The record speaks for itself, whatever our critics say.",
          "These accusations are not new, and they are no truer today."]
RELATIONS, STANCES, RATINGS = list(Relation), list(Stance), list(Rating)


def dispute_sizes(claims: int) -> list[int]:
    """Claims per dispute: claims/100 disputes; the first is the largest (a hundredth of the claims), the
    second holds 100 (the reference page's), the rest between 20 and 180 (the last one what is left, at
    least one). They average a little over 100: a million asked makes 1,009,893."""
    count = max(2, claims // 100)
    largest = max(100, claims // 100)
    sizes = [largest, 100] + [20 + (d * 37) % 161 for d in range(2, count)]
    sizes[-1] = max(1, sizes[-1] + claims - sum(sizes))
    return sizes


def common(claim_id: int) -> bool:
    return (claim_id * 2654435761) % 100 < COMMON_PERCENT


def rare(claim_id: int, claims: int) -> bool:
    step = max(1, claims // RARE_CLAIMS)
    return claim_id % step == step // 2 and claim_id <= step * RARE_CLAIMS


def sentence(claim_id: int, s: int, j: int, claims: int) -> str:
    """The quoted sentence of a claim: unique in its statement's text (it names the point and the statement)."""
    topic, noun = TOPICS[claim_id % len(TOPICS)], NOUNS[(claim_id // 7) % len(NOUNS)]
    place = f"at the {COMMON_WORD} of the capital" if common(claim_id) else "in the capital"
    words = f"On point {j + 1} of statement {s + 1}, the {topic} {noun} {place} {VERBS[claim_id % len(VERBS)]}"
    if rare(claim_id, claims):
        words += f" in the {RARE_WORD} affair"
    return f"{words} by {(claim_id * 13) % 97} percent last year."


def snapshot(model, row: dict, lists: dict | None = None) -> dict:
    """What history.snapshot makes of the object this row becomes."""
    return {key: plain(row.get(key)) for key in content_columns(model)} | (lists or {})


def revision(ids, model, name: str, row: dict, lists: dict | None = None) -> dict:
    return dict(id=ids.next("revision"), created_at=NOW, user_id=None, action="create", object_type=name,
                object_id=row["id"], before=None, after=snapshot(model, row, lists), reason=None, source=SOURCE)


class Ids:
    """The next id of each table (the store is written with explicit ids)."""

    def __init__(self, last: dict[str, int]):
        self.last = dict(last)

    def next(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


def actor_rows(ids: Ids, count: int = ACTORS) -> dict[str, list[dict]]:
    """The speakers of every dispute, and their revisions."""
    actors = [dict(id=ids.next("actor"), slug=f"actor-{i}" if i != BUSY_ACTOR else "ministry-of-foreign-affairs",
                   name=f"Speaker {i}" if i != BUSY_ACTOR else "Ministry of Foreign Affairs",
                   kind=ActorKind.organisation if i % 3 else ActorKind.person, role="Spokesperson",
                   country=f"Country {i % 90}") for i in range(1, count + 1)]
    return {"actor": actors, "revision": [revision(ids, Actor, "actor", actor) for actor in actors]}


def dispute_rows(d: int, size: int, claims_total: int, ids: Ids, all_revisions: bool) -> dict[str, list[dict]]:
    """Every row of dispute number d (0-based) holding `size` claims, by table."""
    out: dict[str, list[dict]] = {t: [] for t in ("dispute", "dispute_tag", "statement", "statement_answer", "claim",
                                                  "claim_tag", "response", "evidence", "verdict", "verdict_evidence",
                                                  "revision")}
    dispute_id = ids.next("dispute")
    slug = REFERENCE_SLUG if d == 1 else f"dispute-{d}"
    start = dt.date(2000, 1, 1) + dt.timedelta(days=(d * 3) % 9000)
    dispute = dict(id=dispute_id, slug=slug, title=f"The {TOPICS[d % 20]} quarrel number {d}",
                   summary=f"Two sides disagree about the {TOPICS[d % 20]} {NOUNS[d % 8]}.",
                   status=DisputeStatus.open if d % 5 else DisputeStatus.settled, created_at=NOW, updated_at=NOW,
                   deleted_at=None)
    tags = sorted({TOPICS[d % 20], TOPICS[(d * 7) % 20]})
    out["dispute"].append(dispute)
    out["dispute_tag"] += [dict(dispute_id=dispute_id, name=t) for t in tags]
    out["revision"].append(revision(ids, Dispute, "dispute", dispute, {"tags": tags}))
    sides = (2 + (2 * d) % (ACTORS - 2), 3 + (2 * d) % (ACTORS - 2))
    first_claim: int | None = None
    previous: list[int] = []
    previous_statement: int | None = None
    for s in range((size + CLAIMS_PER_STATEMENT - 1) // CLAIMS_PER_STATEMENT):
        statement_id = ids.next("statement")
        count = min(CLAIMS_PER_STATEMENT, size - s * CLAIMS_PER_STATEMENT)
        claim_ids = [ids.next("claim") for _ in range(count)]
        quotes = [sentence(c, s, j, claims_total) for j, c in enumerate(claim_ids)]
        text = " ".join(q + " " + FILLER[(statement_id + j) % len(FILLER)] for j, q in enumerate(quotes))
        speaker = BUSY_ACTOR if statement_id % BUSY_EVERY == 0 else sides[s % 2]
        month = statement_id % 10 == 0
        date = start + dt.timedelta(days=s)
        statement = dict(id=statement_id, dispute_id=dispute_id, slug=f"statement-{s + 1}", speaker_id=speaker,
                         title=f"Statement {s + 1} on the {TOPICS[d % 20]} quarrel",
                         kind=StatementKind.speech if s % 2 == 0 else StatementKind.press_release,
                         date=date.replace(day=1) if month else date,
                         date_precision=DatePrecision.month if month else DatePrecision.day,
                         venue="A press conference", source_url=f"https://example.org/{slug}/{s + 1}", language="en",
                         text=text, deleted_at=None)
        answers = [previous_statement] if previous_statement is not None and s % 5 != 4 else []
        out["statement"].append(statement)
        out["statement_answer"] += [dict(statement_id=statement_id, answered_id=a, dispute_id=dispute_id)
                                    for a in answers]
        out["revision"].append(revision(ids, Statement, "statement", statement, {"answers": answers}))
        at = 0
        for j, (claim_id, quote) in enumerate(zip(claim_ids, quotes)):
            begin = text.index(quote, at)
            end = at = begin + len(quote)
            summary = quote.removeprefix(f"On point {j + 1} of statement {s + 1}, ").rstrip(".")
            claim = dict(id=claim_id, dispute_id=dispute_id, statement_id=statement_id, slug=f"claim-{s + 1}-{j + 1}",
                         summary=summary[0].upper() + summary[1:],
                         kind=ClaimKind.accusation if s % 2 == 0 else (ClaimKind.denial if j % 2 else
                                                                         ClaimKind.counterclaim),
                         reconstructed=False, reported_in_id=None, quote_start=begin, quote_end=end, quote_exact=quote,
                         quote_prefix=text[max(0, begin - CONTEXT_CHARS):begin],
                         quote_suffix=text[end:end + CONTEXT_CHARS], created_at=NOW, submitted_by_id=None,
                         merged_into_id=None, deleted_at=None, review="approved", review_reason=None,
                         reviewed_at=None, reviewed_by_id=None)
            claim_tags = [TOPICS[claim_id % 20]] if claim_id % TAG_EVERY == 0 else []
            out["claim"].append(claim)
            out["claim_tag"] += [dict(claim_id=claim_id, name=t) for t in claim_tags]
            if all_revisions:
                out["revision"].append(revision(ids, Claim, "claim", claim, {"tags": claim_tags}))
            targets = []
            if j < len(previous) and (s + j) % 4 != 0:
                targets.append(previous[j])
            if j == CLAIMS_PER_STATEMENT - 1 and s % 3 == 0 and s and first_claim not in targets:
                targets.append(first_claim)
            for target in targets:
                response = dict(id=ids.next("response"), dispute_id=dispute_id, claim_id=claim_id, target_id=target,
                                relation=RELATIONS[(claim_id + target) % len(RELATIONS)], created_at=NOW,
                                deleted_at=None)
                out["response"].append(response)
                if all_revisions:
                    out["revision"].append(revision(ids, Response, "response", response))
            links = []
            for k in range(2):
                link = dict(id=ids.next("evidence"), claim_id=claim_id,
                            url=f"https://example.org/{slug}/{s + 1}/{j + 1}/{k + 1}",
                            title=f"Report {k + 1} on the {TOPICS[(claim_id + k) % 20]} {NOUNS[claim_id % 8]}",
                            publisher=f"Publisher {(claim_id + k) % 50}", date=date,
                            excerpt=f"An excerpt about the {TOPICS[(claim_id + k) % 20]} figures, page {k + 1}.",
                            stance=STANCES[(claim_id + k) % 3], added_by_id=None, added_at=NOW, deleted_at=None,
                            review="approved", review_reason=None, reviewed_at=None, reviewed_by_id=None)
                links.append(link)
                if all_revisions:
                    out["revision"].append(revision(ids, Evidence, "evidence", link))
            out["evidence"] += links
            if claim_id % VERDICT_EVERY == 0:
                verdict = dict(id=ids.next("verdict"), claim_id=claim_id, rating=RATINGS[claim_id % len(RATINGS)],
                               explanation="The published figures do not bear this out.", set_by_id=None,
                               set_at=NOW, deleted_at=None)
                out["verdict"].append(verdict)
                out["verdict_evidence"].append(dict(verdict_id=verdict["id"], evidence_id=links[0]["id"],
                                                    claim_id=claim_id))
                out["revision"].append(revision(ids, Verdict, "verdict", verdict, {"evidence": [links[0]["id"]]}))
        first_claim = claim_ids[0] if first_claim is None else first_claim
        previous, previous_statement = claim_ids, statement_id
    return out


def database_values(row: dict) -> dict:
    """Enums as their stored values (the review columns above are written as values already)."""
    return {k: v.value if isinstance(v, enum.Enum) else v for k, v in row.items()}
