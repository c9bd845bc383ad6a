"""Writing a checked bundle through the write core: each change a revision authored by the import.

Rows are matched by slug (actors globally; statements and claims within their dispute;
responses by claim and target; evidence by claim and URL; verdicts by claim). An import never deletes, and never
publishes what editors held back: the state a bundle records (review, deletion, merge) is given
to the rows it creates; rows already stored keep theirs, and the import says where they differ.
"""

from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.core import By, Invalid
from tracker.core.actors import actor_by_slug, save_actor
from tracker.core.claims import cut_claims, edit_claim, responses_from, set_relation, tie_responses
from tracker.core.disputes import save_dispute, touch
from tracker.core.edits import CorrectionNote, delete
from tracker.core.evidence import add_many_evidence, edit_evidence
from tracker.core.merge import mark_merged
from tracker.core.review import decide
from tracker.core.statements import save_statement
from tracker.db import db
from tracker.history import recorded
from tracker.models import Claim, Dispute, Evidence, ReviewStatus, Statement

from .read import BundleError, Plan
from .verdicts import write_verdicts

# New rows written at once (and how often progress is told).
CHUNK = 1000
# Where a core field is called something else in a bundle.
BUNDLE_KEYS = {"change_kind": "correction", "change_reason": "correction", "speaker": "actor",
               "answers": "responds_to", "target": "responds_to", "archived_url": "archived"}


CORRECTION_HINT = (' (add correction = { kind = "clarification", reason = "..." } to the entry, or import with '
                   "--correction KIND --reason TEXT)")


@dataclass
class Report:
    """What an import did: the dispute, the changes it recorded by kind of object, and notes for the operator."""

    dispute: Dispute
    changes: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """"nothing changed", or "3 changes (1 statement, 2 claims)"."""
        total = sum(self.changes.values())
        if not total:
            return "nothing changed"
        parts = ", ".join(f"{n} {kind}{'' if n == 1 else 's' if kind != 'evidence' else ''}"
                          for kind, n in sorted(self.changes.items()))
        return f"{total} change{'' if total == 1 else 's'} ({parts})"


def write_plan(plan: Plan, by: By, correction: CorrectionNote | None = None, progress=None) -> Report:
    """Write a checked bundle into the session through the core; the caller commits or rolls back.

    `correction` is the note for every entry that changes published wording and names none itself.
    The core refuses few checked bundles, so the write first runs straight through, new rows a
    thousand at a time; at a refusal it is undone and run again entry by entry (a savepoint each), to
    report every entry refused. `progress(done, total)` hears how many entries are written.
    """
    try:
        with db.session.begin_nested():
            return Writer(plan, by, correction, careful=False, progress=progress).write()
    except Refusal:
        return Writer(plan, by, correction, careful=True, progress=progress).write()


class Refusal(Exception):
    """The core refused an entry: run again, carefully, to name them all."""


class Writer:
    """Writes a Plan entry by entry; an entry the core refuses is reported, and the whole import rolls back."""

    def __init__(self, plan: Plan, by: By, correction: CorrectionNote | None, careful: bool, progress=None):
        self.plan, self.by, self.correction, self.careful = plan, by, correction, careful
        self.progress, self.done = progress, 0
        self.total = (len(plan.statements) + len(plan.claims) + len(plan.evidence) + len(plan.verdicts)
                      + sum(len(c["responds_to"]) for c in plan.claims))
        self.problems: list[str] = []
        self.notes: list[str] = []
        # (row, its state in the bundle, entry) for each row this import made in a state to be given it afterwards
        self.new: list = []
        self.made: set[int] = set()  # id() of the claims this import made

    def advance(self, entries: int) -> None:
        """Tell progress() of entries written, a thousand or so at a time (and at the end)."""
        before, self.done = self.done, self.done + entries
        if self.progress is not None and (self.done // CHUNK > before // CHUNK or self.done == self.total):
            self.progress(self.done, self.total)

    def attempt(self, where: str, write):
        """write(); when careful, in a savepoint, a refusal reported against the entry while the others still run."""
        if not self.careful:
            try:
                return write()
            except Invalid:
                raise Refusal() from None
        try:
            with db.session.begin_nested():
                return write()
        except Invalid as error:
            for field, message in error.problems:
                hint = CORRECTION_HINT if field == "change_kind" else ""
                self.problems.append(f"{where}: {BUNDLE_KEYS.get(field, field)}: {message}{hint}")
            return None

    def write(self) -> Report:
        plan, by = self.plan, self.by
        before = recorded()
        stored = db.session.scalar(sa.select(Dispute).where(Dispute.slug == plan.dispute["slug"]))
        values = {k: plan.dispute[k] for k in ("slug", "title", "summary", "status", "tags")}
        dispute = self.attempt(plan.dispute["where"], lambda: save_dispute(stored, **values, by=by))
        if dispute is None:
            raise BundleError(self.problems)
        self.keep(dispute, stored is None, plan.dispute["state"], plan.dispute["where"], "the dispute")
        for a in plan.actors:
            self.attempt(a["where"], lambda a=a: save_actor(
                actor_by_slug(a["slug"]), slug=a["slug"], name=a["name"], kind=a["kind"], role=a["role"],
                country=a["country"], by=by))
        statements = self.write_statements(dispute)
        claims = self.write_claims(dispute, statements)
        self.write_responses(claims)
        self.write_evidence(dispute, claims)
        if not self.problems:
            self.give_decisions()
        write_verdicts(self, dispute, claims)  # on evidence readers see: after decisions, before deletions
        if not self.problems:
            self.give_removals(claims)
        if self.problems:
            raise BundleError(self.problems)
        self.advance(self.total - self.done)  # the entries passed over (their statement or claim was refused)
        changes = recorded() - before
        if changes:
            touch(dispute)  # the index lists disputes by their latest activity
        return Report(dispute, changes, self.notes)

    def write_statements(self, dispute: Dispute) -> dict[str, Statement]:
        query = sa.select(Statement).where(Statement.dispute_id == dispute.id).options(selectinload(Statement.answers))
        stored = {s.slug: s for s in db.session.scalars(query)}
        actors = {slug: actor_by_slug(slug) for slug in {s["actor"] for s in self.plan.statements}}
        claim_ids = dict(db.session.execute(sa.select(Claim.slug, Claim.id).where(Claim.dispute_id == dispute.id)).all())
        # The new anchors of claims the bundle restates: a corrected text moves the others.
        restated = {claim_ids[c["slug"]]: c["anchor"] for c in self.plan.claims if c["slug"] in claim_ids and c["anchor"]}
        later = []
        for s in self.plan.statements:
            statement = stored.get(s["slug"])
            answered = {a.answered_id for a in statement.answers} if statement is not None else set()
            if any(t not in stored for t in s["responds_to"]):
                later.append(s)  # answers a statement listed after it: tied once all are written
            answers = answered | {stored[t].id for t in s["responds_to"] if t in stored}
            saved = self.attempt(s["where"], lambda st=statement, s=s, answers=answers: save_statement(
                dispute, st, title=s["title"], speaker=actors[s["actor"]], kind=s["kind"], slug=s["slug"],
                date=s["date"], venue=s["venue"], source_url=s["source_url"], language=s["language"],
                text=s["text"], answers=answers, by=self.by, correction=self.note(s), anchors=restated))
            if saved is not None:
                self.keep(saved, statement is None, s["state"], s["where"], f'statement "{s["slug"]}"')
                stored[s["slug"]] = saved
            self.advance(1)
        for s in later:
            st = stored.get(s["slug"])
            if st is None or any(t not in stored for t in s["responds_to"]):
                continue  # refused above: already reported
            answers = {a.answered_id for a in st.answers} | {stored[t].id for t in s["responds_to"]}
            self.attempt(s["where"], lambda st=st, answers=answers: save_statement(
                dispute, st, title=st.title, speaker=st.speaker, kind=st.kind, slug=st.slug,
                date=(st.date, st.date_precision) if st.date else None, venue=st.venue, source_url=st.source_url,
                language=st.language, text=st.text, answers=answers, by=self.by))
        return stored

    def write_claims(self, dispute: Dispute, statements: dict[str, Statement]) -> dict[str, Claim]:
        query = sa.select(Claim).where(Claim.dispute_id == dispute.id).options(selectinload(Claim.tags))
        stored = {c.slug: c for c in db.session.scalars(query)}
        cuts = []
        for c in self.plan.claims:
            if c["statement"] not in statements:
                continue  # its statement was refused: already reported
            claim = stored.get(c["slug"])
            fields = dict(summary=c["summary"], kind=c["kind"], quote=c["quote"], prefix=c["prefix"],
                          suffix=c["suffix"], tags=c["tags"], slug=c["slug"], reconstructed=c["reconstructed"],
                          reported_in=statements.get(c["reported_in"]) if c["reported_in"] else None)
            if claim is None:
                cuts.append((c["where"], c, dict(statement=statements[c["statement"]], review=held(c["state"]),
                                                  **fields)))
                continue
            saved = self.attempt(c["where"], lambda claim=claim, c=c, f=fields: edit_claim(
                claim, statement=statements[c["statement"]], correction=self.note(c), by=self.by, **f))
            if saved is not None:
                self.keep(saved, False, c["state"], c["where"], f'claim "{c["slug"]}"')
            self.advance(1)
        for c, saved in self.many(cuts, cut_claims):
            self.keep(saved, True, c["state"], c["where"], f'claim "{c["slug"]}"')
            stored[c["slug"]] = saved
        return stored

    def write_responses(self, claims: dict[str, Claim]) -> None:
        stored = responses_from([claim.id for claim in claims.values()])
        ties = []
        for c in self.plan.claims:
            claim = claims.get(c["slug"])
            for target_slug, relation, deleted_at in c["responds_to"] if claim is not None else []:
                target = claims.get(target_slug)
                if target is None:
                    continue
                response = stored.get((claim.id, target.id))
                if response is None:
                    ties.append((c["where"], (c, deleted_at), (claim, target, relation)))
                    continue
                self.advance(1)
                if response.deleted_at is not None:
                    self.differs(f'the response of claim "{c["slug"]}" to "{target_slug}"', "deleted here")
                elif response.relation is not relation:
                    self.attempt(c["where"], lambda r=response, rel=relation: set_relation(r, rel, by=self.by))
        for (c, deleted_at), made in self.many(ties, tie_responses):
            self.keep(made, True, {"deleted_at": deleted_at}, c["where"], "")

    def write_evidence(self, dispute: Dispute, claims: dict[str, Claim]) -> None:
        query = sa.select(Evidence).join(Claim).where(Claim.dispute_id == dispute.id)
        stored = {(item.claim_id, item.url): item for item in db.session.scalars(query)}
        links = []
        for e in self.plan.evidence:
            claim = claims.get(e["claim"])
            if claim is None:
                continue
            item = stored.get((claim.id, e["url"]))
            fields = {k: e[k] for k in ("url", "archived_url", "title", "publisher", "date", "excerpt", "stance")}
            if item is None:
                links.append((e["where"], e, dict(claim=claim, review=held(e["state"]), **fields)))
                continue
            saved = self.attempt(e["where"], lambda i=item, f=fields: edit_evidence(i, **f, by=self.by))
            if saved is not None:
                self.keep(saved, False, e["state"], e["where"], f'evidence {e["url"]} on claim "{e["claim"]}"')
            self.advance(1)
        for e, saved in self.many(links, add_many_evidence):
            self.keep(saved, True, e["state"], e["where"], f'evidence {e["url"]} on claim "{e["claim"]}"')

    def many(self, entries: list[tuple[str, Any, Any]], write_many) -> Iterator[tuple[Any, Any]]:
        """write_many() of the arguments of (where, what, arguments) entries, a chunk at once: (what, row made)
        for each, as each chunk is written. When careful, entry by entry (a savepoint each), so that every
        refusal is reported."""
        if not self.careful:
            for i in range(0, len(entries), CHUNK):
                chunk = entries[i:i + CHUNK]
                try:
                    made = write_many([args for _, _, args in chunk], by=self.by)
                except Invalid:
                    raise Refusal() from None
                yield from ((what, row) for (_, what, _), row in zip(chunk, made, strict=True))
                self.advance(len(chunk))
            return
        for where, what, args in entries:
            row = self.attempt(where, lambda args=args: write_many([args], by=self.by)[0])
            if row is not None:
                yield what, row
            self.advance(1)

    def note(self, values: dict) -> CorrectionNote | None:
        """The entry's own correction note, or the one given for the whole import."""
        return CorrectionNote(*values["correction"]) if values.get("correction") else self.correction

    # ---- state: given to the rows an import makes, never taken from stored ones ----------------

    def keep(self, row, created: bool, state: dict, where: str, what: str) -> None:
        if created:
            if isinstance(row, Claim):
                self.made.add(id(row))
            if held(state) or state.get("deleted_at") is not None:
                self.new.append((row, state, where))  # the others are let go: a big import keeps no row it needs not
            return
        if (state.get("deleted_at") is None) != (row.deleted_at is None):
            self.differs(what, "deleted here" if row.deleted_at is not None else "deleted in the bundle, shown here")
        if "review" in state and row.review is not (state["review"] or ReviewStatus.approved):
            self.differs(what, f"{row.review.value} here, {(state['review'] or ReviewStatus.approved).value} "
                               "in the bundle")

    def differs(self, what: str, how: str) -> None:
        self.notes.append(f"{what}: {how}; left as it is here (an import neither publishes nor hides what is "
                          "stored)")

    def give_decisions(self) -> None:
        """Review decisions, as the bundle records them, on the rows this import made."""
        for row, state, where in self.new:
            if held(state) and state["review"] is not ReviewStatus.pending:
                self.attempt(where, lambda row=row, state=state: decide(
                    row, approve=state["review"] in (None, ReviewStatus.approved), reason=state["review_reason"],
                    by=self.by, at=state["reviewed_at"]))

    def give_removals(self, claims: dict[str, Claim]) -> None:
        """Merges, then deletions (and withdrawals), as the bundle records them, on the rows this import made."""
        for c in self.plan.claims:
            claim = claims.get(c["slug"])
            if c["merged_into"] and claim is not None and id(claim) in self.made:
                self.attempt(c["where"], lambda claim=claim, c=c: mark_merged(
                    claim, claims[c["merged_into"]], by=self.by, at=c["state"]["deleted_at"]))
        for row, state, where in reversed(self.new):
            if state.get("deleted_at") is not None and row.deleted_at is None:
                self.attempt(where, lambda row=row, state=state: delete(row, self.by, at=state["deleted_at"]))


def held(state: dict) -> ReviewStatus | None:
    """A new row starts pending when the bundle records a review (a decision is then made on it), else approved."""
    if state.get("review") not in (None, ReviewStatus.approved) or state.get("reviewed_at") is not None:
        return ReviewStatus.pending
    return None
