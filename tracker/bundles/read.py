"""Reading a bundle: dispute.toml checked entry by entry with the rules every door applies, into a Plan.

Reading checks the whole bundle before anything is written, so a bad bundle changes nothing
and every problem is reported with its file, entry and field.
"""

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tracker import rules
from tracker.anchoring import Anchor
from tracker.core.anchors import claim_anchor
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.models import (
    Actor,
    ActorKind,
    Claim,
    ClaimKind,
    Dispute,
    DisputeStatus,
    Relation,
    Stance,
    Statement,
    StatementKind,
)

from .entry import BundleError, Entry
from .verdicts import read_verdicts

BUNDLE_FILE = "dispute.toml"
# What a row's state is, in a bundle written by `tracker export --all`.
STATE_KEYS = {"deleted_at"}
REVIEW_KEYS = {"review", "review_reason", "reviewed_at"}
KEYS = {
    "dispute": {"slug", "title", "summary", "status", "tags"} | STATE_KEYS,
    "actors": {"slug", "name", "kind", "role", "country"},
    "statements": {"slug", "actor", "title", "kind", "date", "venue", "source_url", "language", "text_file", "text",
                   "responds_to", "correction"} | STATE_KEYS,
    "claims": {"slug", "statement", "summary", "kind", "quote", "prefix", "suffix", "reconstructed", "reported_in",
               "responds_to", "relation", "tags", "correction", "merged_into"} | STATE_KEYS | REVIEW_KEYS,
    "evidence": {"claim", "url", "archived", "title", "publisher", "date", "excerpt", "stance"} | STATE_KEYS
    | REVIEW_KEYS,
    "verdicts": {"claim", "rating", "explanation", "evidence", "published", "correction"} | STATE_KEYS,
}
# The text of a statement whose text file could not be read (already reported).
UNREADABLE = object()


@dataclass
class Plan:
    """A bundle read and checked: plain values, ready to be written through the core."""

    folder: Path
    dispute: dict
    actors: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    verdicts: list[dict] = field(default_factory=list)


def read_bundle(folder: Path) -> Plan:
    """Parse and check a bundle without writing; raise BundleError listing every problem."""
    path = folder / BUNDLE_FILE
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BundleError([f"{path}: cannot read: {error}"]) from None
    problems: list[str] = []
    for key in sorted(set(data) - set(KEYS)):
        problems.append(f"{path}: [{key}]: unknown table (expected: {', '.join(KEYS)})")
    for key in ("actors", "statements", "claims", "evidence", "verdicts"):
        if not isinstance(data.get(key, []), list):
            problems.append(f"{path}: {key}: must be an array of tables ([[{key}]])")
            data[key] = []
    plan = Reader(path, folder, problems).read(data)
    if problems:
        raise BundleError(problems)
    for row in plan.statements + plan.claims:
        del row["entry"]  # for reporting problems while reading
    return plan


class Reader:
    """Reads dispute.toml into a Plan, resolving references and anchoring quotes."""

    def __init__(self, path: Path, folder: Path, problems: list[str]):
        self.path, self.folder, self.problems = path, folder, problems
        self.texts: dict[str, Any] = {}

    def entry(self, kind: str, index: int, table: Any) -> Entry:
        # An entry is named by its slug; a verdict, by its claim (one verdict per claim).
        name = table.get("claim" if kind == "verdicts" else "slug") if isinstance(table, dict) else None
        label = f'"{name}"' if isinstance(name, str) else ""
        entry = Entry(f"{self.path} [[{kind}]] #{index + 1} {label}".rstrip(), table, self.problems)
        entry.check_keys(KEYS[kind])
        return entry

    def let_go(self, tables: list, index: int, entry: Entry) -> None:
        """Drop an entry's TOML table once read: a bundle of 100,000 claims need not be held twice."""
        tables[index] = entry.table = None

    def unique(self, entry: Entry, key: str, value, seen: set) -> None:
        if value is not None:
            if value in seen:
                entry.problem(key, f'duplicate "{value}" in this bundle')
            seen.add(value)

    def read(self, data: dict) -> Plan:
        head = Entry(f"{self.path} [dispute]", data.get("dispute"), self.problems)
        head.check_keys(KEYS["dispute"])
        dispute = {
            "slug": head.value("slug", rules.slug),
            "title": head.value("title", rules.one_line, rules.LIMITS["title"], required=True),
            "summary": head.value("summary", rules.free_text, rules.LIMITS["dispute_summary"]),
            "status": head.value("status", rules.choice, DisputeStatus, required=False) or DisputeStatus.open,
            "tags": head.value("tags", rules.tags) if "tags" in head.table else [],
            "state": head.state(reviewed=False),
            "where": head.where,
        }
        plan = Plan(self.folder, dispute)
        stored = dispute["slug"] and db.session.scalar(sa.select(Dispute).where(Dispute.slug == dispute["slug"]))
        self.read_actors(data.get("actors", []), plan)
        self.read_statements(data.get("statements", []), plan, stored or None)
        self.read_claims(data.get("claims", []), plan, stored or None)
        self.read_evidence(data.get("evidence", []), plan)
        entries = [self.entry("verdicts", i, table) for i, table in enumerate(data.get("verdicts", []))]
        plan.verdicts = read_verdicts(entries, plan.claims, plan.evidence)
        return plan

    def read_actors(self, tables: list, plan: Plan) -> None:
        seen: set[str] = set()
        for i, table in enumerate(tables):
            e = self.entry("actors", i, table)
            actor = {
                "slug": e.value("slug", rules.slug),
                "name": e.value("name", rules.one_line, rules.LIMITS["name"], required=True),
                "kind": e.value("kind", rules.choice, ActorKind),
                "role": e.value("role", rules.one_line, rules.LIMITS["role"]),
                "country": e.value("country", rules.one_line, rules.LIMITS["country"]),
                "where": e.where,
            }
            self.unique(e, "slug", actor["slug"], seen)
            plan.actors.append(actor)

    def read_statements(self, tables: list, plan: Plan, stored: Dispute | None) -> None:
        known_actors = {a["slug"] for a in plan.actors}
        seen: set[str] = set()
        for i, table in enumerate(tables):
            e = self.entry("statements", i, table)
            statement = {
                "slug": e.value("slug", rules.slug),
                "actor": e.value("actor", rules.slug, reserved=()),
                "title": e.value("title", rules.one_line, rules.LIMITS["title"], required=True),
                "kind": e.value("kind", rules.choice, StatementKind),
                "date": self.date(e),
                "venue": e.value("venue", rules.one_line, rules.LIMITS["venue"]),
                "source_url": e.value("source_url", rules.link, required=False),
                "language": e.value("language", rules.language),
                "text": self.statement_text(e),
                "responds_to": e.slugs("responds_to"),
                "correction": e.correction(),
                "state": e.state(reviewed=False),
                "entry": e, "where": e.where,
            }
            self.unique(e, "slug", statement["slug"], seen)
            actor = statement["actor"]
            if actor and actor not in known_actors and not db.session.scalar(sa.select(Actor.id).where(Actor.slug == actor)):
                e.problem("actor", f'unknown actor "{actor}" (not in [[actors]] nor in the database)')
            plan.statements.append(statement)
            self.let_go(tables, i, e)
        if stored is not None:
            rows = db.session.execute(sa.select(Statement.slug, Statement.text).where(Statement.dispute_id == stored.id))
            self.texts.update(dict(rows.all()))
        self.texts.update({s["slug"]: s["text"] for s in plan.statements})
        for statement in plan.statements:
            for target in statement["responds_to"]:
                if target == statement["slug"]:
                    statement["entry"].problem("responds_to", "a statement cannot answer itself")
                elif target not in self.texts:
                    statement["entry"].problem("responds_to", f'unknown statement "{target}"')

    def date(self, e: Entry):
        """The statement's date as the rule reads it (a TOML date with a time is no day)."""
        if isinstance(e.table.get("date"), dt.datetime):
            e.problem("date", f"{e.table['date']!r} is not a date: give a day, a month or a year, with no time")
            return None
        return e.value("date", rules.partial_date)

    def statement_text(self, e: Entry):
        """The verbatim text (None if there is none, UNREADABLE if it is unusable)."""
        if "text" in e.table and "text_file" in e.table:
            e.problem("text", "give text or text_file, not both")
            return UNREADABLE
        if "text" in e.table:
            if not isinstance(e.table["text"], str):
                e.problem("text", "must be a string")
                return UNREADABLE
            return self.verbatim(e, "text", e.table["text"])
        name = e.value("text_file", rules.one_line, 255)
        if name is None:
            return UNREADABLE if "text_file" in e.table else None
        root = self.folder.resolve()
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            e.problem("text_file", f'"{name}" is outside the bundle folder')
            return UNREADABLE
        try:
            return self.verbatim(e, "text_file", target.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            e.problem("text_file", f'"{name}" does not exist in {self.folder}')
        except IsADirectoryError:
            e.problem("text_file", f'"{name}" is a folder, not a text file')
        except UnicodeDecodeError as error:
            e.problem("text_file", f'"{name}" is not UTF-8 text ({error.reason} at byte {error.start})')
        return UNREADABLE

    def verbatim(self, e: Entry, key: str, text: str):
        try:
            return rules.verbatim(text)
        except rules.RuleError as error:
            e.problem(key, str(error))
            return UNREADABLE

    def read_claims(self, tables: list, plan: Plan, stored: Dispute | None) -> None:
        seen: set[str] = set()
        for i, table in enumerate(tables):
            e = self.entry("claims", i, table)
            claim = {
                "slug": e.value("slug", rules.slug),
                "statement": e.value("statement", rules.slug, reserved=()),
                "summary": e.value("summary", rules.one_line, rules.LIMITS["summary"], required=True),
                "kind": e.value("kind", rules.choice, ClaimKind),
                "reconstructed": e.flag("reconstructed"),
                "reported_in": e.value("reported_in", rules.slug, reserved=()) if "reported_in" in e.table else None,
                "quote": e.value("quote", rules.verbatim, rules.LIMITS["quote"]),
                "prefix": e.value("prefix", rules.verbatim, 200) if "prefix" in e.table else None,
                "suffix": e.value("suffix", rules.verbatim, 200) if "suffix" in e.table else None,
                "responds_to": self.claim_targets(e),
                "tags": e.value("tags", rules.tags) if "tags" in e.table else [],
                "merged_into": e.value("merged_into", rules.slug, reserved=()) if "merged_into" in e.table else None,
                "correction": e.correction(),
                "state": e.state(reviewed=True),
                "entry": e, "where": e.where,
            }
            self.unique(e, "slug", claim["slug"], seen)
            if claim["statement"] and claim["statement"] not in self.texts:
                e.problem("statement", f'unknown statement "{claim["statement"]}"')
            claim["anchor"] = self.claim_anchor(e, claim)
            plan.claims.append(claim)
            self.let_go(tables, i, e)
        known = seen | set(self.stored_claims(stored))
        for claim in plan.claims:
            for target, _relation, _deleted in claim["responds_to"]:
                if target == claim["slug"]:
                    claim["entry"].problem("responds_to", "a claim cannot answer itself")
                elif target not in known:
                    claim["entry"].problem("responds_to", f'unknown claim "{target}"')
            merged_into = claim["merged_into"]
            if merged_into is not None and (merged_into == claim["slug"] or merged_into not in known):
                claim["entry"].problem("merged_into", f'"{merged_into}" is not another claim of this dispute')

    def stored_claims(self, stored: Dispute | None) -> list[str]:
        if stored is None:
            return []
        return list(db.session.scalars(sa.select(Claim.slug).where(Claim.dispute_id == stored.id)))

    def claim_targets(self, e: Entry) -> list[tuple[str, Relation, dt.datetime | None]]:
        """responds_to as a slug or list of slugs sharing `relation`, or a list of {claim, relation[, deleted_at]}."""
        value = e.table.get("responds_to")
        if value is None:
            if "relation" in e.table:
                e.problem("relation", "is given but responds_to is not")
            return []
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            targets = []
            for item in value:
                sub = Entry(f"{e.where} responds_to", item, self.problems)
                sub.check_keys({"claim", "relation", "deleted_at"})
                slug, relation = sub.value("claim", rules.slug, reserved=()), sub.value("relation", rules.choice, Relation)
                if slug and relation:
                    targets.append((slug, relation, sub.moment("deleted_at")))
        else:
            relation = e.value("relation", rules.choice, Relation)
            targets = [(slug, relation, None) for slug in e.slugs("responds_to")] if relation else []
        slugs = [slug for slug, _, _ in targets]
        for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
            e.problem("responds_to", f'"{slug}" is named twice')
        return targets

    def claim_anchor(self, e: Entry, claim: dict) -> Anchor | None:
        """The quote anchored in the text it sits in, by the rules the core applies."""
        host = claim["reported_in"] if claim["reconstructed"] else claim["statement"]
        if claim["reported_in"] is not None and claim["reported_in"] not in self.texts:
            e.problem("reported_in", f'unknown statement "{claim["reported_in"]}"')
            return None
        if host is not None and host not in self.texts:
            return None  # already reported as an unknown statement
        text = self.texts.get(host) if host else None
        if text is UNREADABLE:
            return None
        try:
            return claim_anchor(claim["quote"], reconstructed=claim["reconstructed"],
                                reported=claim["reported_in"] is not None, host=host or "", text=text,
                                prefix=claim["prefix"], suffix=claim["suffix"])
        except Invalid as error:
            found = error.field == "quote" and claim["quote"] is not None and text is not None
            where = f'in statement "{host}": ' if found else ""  # not found, or found several times
            e.problem(error.field, f"{where}{error}")
            return None

    def read_evidence(self, tables: list, plan: Plan) -> None:
        claims = {c["slug"] for c in plan.claims}
        seen: set[tuple] = set()
        for i, table in enumerate(tables):
            e = self.entry("evidence", i, table)
            item = {
                "claim": e.value("claim", rules.slug, reserved=()),
                "url": e.value("url", rules.link),
                "archived_url": e.value("archived", rules.archived_copy),
                "title": e.value("title", rules.one_line, rules.LIMITS["title"], required=True),
                "publisher": e.value("publisher", rules.one_line, rules.LIMITS["publisher"]),
                "date": e.value("date", rules.day),
                "excerpt": e.value("excerpt", rules.free_text, rules.LIMITS["excerpt"]),
                "stance": e.value("stance", rules.choice, Stance),
                "state": e.state(reviewed=True),
                "where": e.where,
            }
            if item["claim"] and item["claim"] not in claims:
                e.problem("claim", f'unknown claim "{item["claim"]}" (evidence hangs on a claim of this bundle)')
            if item["claim"] and item["url"]:
                key = (item["claim"], item["url"])
                if key in seen:
                    e.problem("url", f'"{item["url"]}" is already linked to claim "{item["claim"]}"')
                seen.add(key)
            plan.evidence.append(item)
            self.let_go(tables, i, e)
