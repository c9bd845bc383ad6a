"""Dispute bundles: a folder with dispute.toml and the statements' texts beside it.

Reading checks the whole bundle before anything is written, so a bad bundle
changes nothing and every problem is reported with its file, entry and field.
Writing is an upsert by slug: importing the same bundle twice changes nothing.
"""

import datetime as dt
import enum
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import tomli_w

from .anchoring import Anchor, AnchorError, anchor_quote, reanchor
from .db import db, utcnow
from .models import (
    Actor, ActorKind, Claim, ClaimKind, ClaimTag, DatePrecision, Dispute, DisputeStatus, DisputeTag,
    Evidence, Relation, Response, Stance, Statement, StatementAnswer, StatementKind,
)
from .urls import normalize_url

BUNDLE_FILE = "dispute.toml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
TAG = re.compile(r"[a-z0-9][a-z0-9 _-]*\Z")
KEYS = {
    "dispute": {"slug", "title", "summary", "status", "tags"},
    "actors": {"slug", "name", "kind", "role", "country"},
    "statements": {"slug", "actor", "title", "kind", "date", "venue", "source_url", "language",
                   "text_file", "text", "responds_to"},
    "claims": {"slug", "statement", "summary", "kind", "quote", "prefix", "suffix", "reconstructed",
               "reported_in", "responds_to", "relation", "tags"},
    "evidence": {"claim", "url", "title", "publisher", "date", "excerpt", "stance"},
}
# The text of a statement whose text file could not be read (already reported).
UNREADABLE = object()
LIMITS = {"slug": 80, "title": 300, "summary": 300, "name": 200, "role": 200, "country": 100,
          "venue": 300, "language": 35, "publisher": 200, "tag": 50}


class BundleError(Exception):
    """A bundle that cannot be imported; `problems` lists each one."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Entry:
    """One table of dispute.toml, read field by field; problems are collected."""

    def __init__(self, where: str, table: Any, problems: list[str]):
        self.where, self.problems = where, problems
        self.table = table if isinstance(table, dict) else {}
        if not isinstance(table, dict):
            self.problem(None, "must be a table")

    def problem(self, key: str | None, message: str) -> None:
        self.problems.append(f"{self.where}: {key}: {message}" if key else f"{self.where}: {message}")

    def check_keys(self, allowed: set[str]) -> None:
        for key in sorted(set(self.table) - allowed):
            self.problem(key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def text(self, key: str, *, required: bool = False, limit: int | None = None) -> str | None:
        value = self.table.get(key)
        if value is None or (isinstance(value, str) and not value.strip() and not required):
            if required:
                self.problem(key, "is required")
            return None
        if not isinstance(value, str):
            self.problem(key, f"must be a string, not {type(value).__name__}")
            return None
        value = value.strip()
        if required and not value:
            self.problem(key, "is required and cannot be empty")
            return None
        limit = limit or LIMITS.get(key)
        if limit and len(value) > limit:
            self.problem(key, f"is {len(value)} characters long; at most {limit} are allowed")
            return None
        return value

    def slug(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required, limit=LIMITS["slug"])
        if value is not None and not SLUG.match(value):
            self.problem(key, f'"{value}" is not a slug (lower-case letters, digits and single hyphens)')
            return None
        return value

    def slugs(self, key: str) -> list[str]:
        value = self.table.get(key)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            self.problem(key, "must be a slug or a list of slugs")
            return []
        bad = [v for v in values if not SLUG.match(v)]
        if bad:
            self.problem(key, f'"{bad[0]}" is not a slug')
            return []
        return values

    def choice(self, key: str, kind: type[enum.Enum], *, default: enum.Enum | None = None):
        value = self.table.get(key)
        if value is None:
            if default is None:
                self.problem(key, f"is required (one of: {choices(kind)})")
            return default
        if isinstance(value, str):
            try:
                return kind(value.strip().lower().replace(" ", "_").replace("-", "_"))
            except ValueError:
                pass
        self.problem(key, f"{value!r} is not one of: {choices(kind)}")
        return default

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            self.problem(key, "must be true or false")
            return False
        return value

    def url(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required, limit=2000)
        if value is None:
            return None
        try:
            return normalize_url(value)
        except ValueError as error:
            self.problem(key, f'"{value}": {error}')
            return None

    def date(self, key: str, *, precise: bool = False) -> tuple[dt.date | None, DatePrecision | None]:
        """A date, a "YYYY-MM" month or a "YYYY" year; `precise` asks for a day."""
        value = self.table.get(key)
        if value is None:
            return None, None
        parsed = parse_date(value)
        if parsed is None or (precise and parsed[1] is not DatePrecision.day):
            wanted = "a date (2020-01-22)" if precise else 'a date (2020-01-22), a month ("2020-01") or a year ("2020")'
            self.problem(key, f"{value!r} is not {wanted}")
            return None, None
        return parsed


def choices(kind: type[enum.Enum]) -> str:
    return ", ".join(member.value for member in kind)


def parse_date(value: Any) -> tuple[dt.date, DatePrecision] | None:
    """A TOML date or a string/number naming a day, a month or a year; None if neither."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value, DatePrecision.day
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    for pattern, precision in (("%Y-%m-%d", DatePrecision.day), ("%Y-%m", DatePrecision.month), ("%Y", DatePrecision.year)):
        try:
            if len(text) == len(dt.date(2000, 1, 1).strftime(pattern)):
                return dt.datetime.strptime(text, pattern).date(), precision
        except ValueError:
            return None
    return None


def format_bundle_date(date: dt.date, precision: DatePrecision) -> dt.date | str:
    if precision is DatePrecision.day:
        return date
    return date.strftime("%Y-%m" if precision is DatePrecision.month else "%Y")


@dataclass
class Plan:
    """A bundle read and checked: plain values, ready to be written."""

    dispute: dict
    tags: list[str]
    actors: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


def bundle_folders(path: Path) -> list[Path]:
    """The bundle at `path`, or the bundles in the folders right under it."""
    if (path / BUNDLE_FILE).is_file():
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if (p / BUNDLE_FILE).is_file())
        if found:
            return found
    raise BundleError([f"{path}: no {BUNDLE_FILE} here or in the folders right under it"])


def import_bundle(folder: Path) -> Dispute:
    """Check the bundle in `folder`, then write it into the session (no commit)."""
    plan = read_bundle(folder)
    return write_plan(plan, folder)


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
    for key in ("actors", "statements", "claims", "evidence"):
        if not isinstance(data.get(key, []), list):
            problems.append(f"{path}: {key}: must be an array of tables ([[{key}]])")
            data[key] = []
    reader = Reader(path, folder, problems)
    plan = reader.read(data)
    if problems:
        raise BundleError(problems)
    return plan


class Reader:
    """Reads dispute.toml into a Plan, resolving references and anchoring quotes."""

    def __init__(self, path: Path, folder: Path, problems: list[str]):
        self.path, self.folder, self.problems = path, folder, problems

    def entry(self, kind: str, index: int, table: Any) -> Entry:
        label = f'"{table["slug"]}"' if isinstance(table, dict) and isinstance(table.get("slug"), str) else ""
        where = f"{self.path} [[{kind}]] #{index + 1} {label}".rstrip()
        entry = Entry(where, table, self.problems)
        entry.check_keys(KEYS[kind])
        return entry

    def unique(self, entry: Entry, key: str, value: str | None, seen: set) -> None:
        if value is not None:
            if value in seen:
                entry.problem(key, f'duplicate "{value}" in this bundle')
            seen.add(value)

    def read(self, data: dict) -> Plan:
        head = Entry(f"{self.path} [dispute]", data.get("dispute"), self.problems)
        head.check_keys(KEYS["dispute"])
        dispute = {
            "slug": head.slug("slug"),
            "title": head.text("title", required=True),
            "summary": head.text("summary", limit=20_000) or "",
            "status": head.choice("status", DisputeStatus, default=DisputeStatus.open),
        }
        plan = Plan(dispute=dispute, tags=self.tags(head))
        existing = db.session.scalar(sa.select(Dispute).where(Dispute.slug == dispute["slug"])) if dispute["slug"] else None
        self.read_actors(data.get("actors", []), plan)
        self.read_statements(data.get("statements", []), plan, existing)
        self.read_claims(data.get("claims", []), plan, existing)
        self.read_evidence(data.get("evidence", []), plan)
        return plan

    def tags(self, entry: Entry) -> list[str]:
        """The entry's tags, lower-cased, sorted and without repeats."""
        value = entry.table.get("tags", [])
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            entry.problem("tags", "must be a list of strings")
            return []
        tags = sorted({t.strip().lower() for t in value if t.strip()})
        for tag in tags:
            if len(tag) > LIMITS["tag"] or not TAG.match(tag):
                entry.problem("tags", f'"{tag}" is not a tag (letters, digits, spaces, - and _; at most {LIMITS["tag"]})')
        return tags

    def read_actors(self, tables: list, plan: Plan) -> None:
        seen: set[str] = set()
        for i, table in enumerate(tables):
            e = self.entry("actors", i, table)
            actor = {
                "slug": e.slug("slug"),
                "name": e.text("name", required=True),
                "kind": e.choice("kind", ActorKind),
                "role": e.text("role"),
                "country": e.text("country"),
            }
            self.unique(e, "slug", actor["slug"], seen)
            plan.actors.append(actor)

    def read_statements(self, tables: list, plan: Plan, existing: Dispute | None) -> None:
        known_actors = {a["slug"] for a in plan.actors}
        seen: set[str] = set()
        for i, table in enumerate(tables):
            e = self.entry("statements", i, table)
            date, precision = e.date("date")
            statement = {
                "slug": e.slug("slug"),
                "actor": e.slug("actor"),
                "title": e.text("title", required=True),
                "kind": e.choice("kind", StatementKind),
                "date": date,
                "date_precision": precision,
                "venue": e.text("venue"),
                "source_url": e.url("source_url"),
                "language": e.text("language"),
                "text": self.statement_text(e),
                "responds_to": e.slugs("responds_to"),
            }
            self.unique(e, "slug", statement["slug"], seen)
            actor = statement["actor"]
            if actor and actor not in known_actors and not db.session.scalar(sa.select(Actor.id).where(Actor.slug == actor)):
                e.problem("actor", f'unknown actor "{actor}" (not in [[actors]] nor in the database)')
            statement["entry"] = e
            plan.statements.append(statement)
        texts = self.existing_texts(existing)
        texts.update({s["slug"]: s["text"] for s in plan.statements})
        self.texts = texts
        for statement in plan.statements:
            for target in statement["responds_to"]:
                if target == statement["slug"]:
                    statement["entry"].problem("responds_to", "a statement cannot answer itself")
                elif target not in texts:
                    statement["entry"].problem("responds_to", f'unknown statement "{target}"')

    def existing_texts(self, existing: Dispute | None) -> dict[str, str | None]:
        if existing is None:
            return {}
        rows = db.session.execute(sa.select(Statement.slug, Statement.text).where(Statement.dispute_id == existing.id))
        return dict(rows.all())

    def statement_text(self, e: Entry) -> str | object | None:
        """The verbatim text (None if there is none, UNREADABLE if it is unusable)."""
        if "text" in e.table and "text_file" in e.table:
            e.problem("text", "give text or text_file, not both")
            return UNREADABLE
        if "text" in e.table:
            value = e.table["text"]
            if not isinstance(value, str):
                e.problem("text", "must be a string")
                return UNREADABLE
            return value
        name = e.text("text_file", limit=255)
        if name is None:
            return UNREADABLE if "text_file" in e.table else None
        root = self.folder.resolve()
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            e.problem("text_file", f'"{name}" is outside the bundle folder')
            return UNREADABLE
        try:
            return target.read_bytes().decode("utf-8")
        except FileNotFoundError:
            e.problem("text_file", f'"{name}" does not exist in {self.folder}')
        except IsADirectoryError:
            e.problem("text_file", f'"{name}" is a folder, not a text file')
        except UnicodeDecodeError as error:
            e.problem("text_file", f'"{name}" is not UTF-8 text ({error.reason} at byte {error.start})')
        return UNREADABLE

    def read_claims(self, tables: list, plan: Plan, existing: Dispute | None) -> None:
        seen: set[str] = set()
        for i, table in enumerate(tables):
            e = self.entry("claims", i, table)
            claim = {
                "slug": e.slug("slug"),
                "statement": e.slug("statement"),
                "summary": e.text("summary", required=True),
                "kind": e.choice("kind", ClaimKind),
                "reconstructed": e.flag("reconstructed"),
                "reported_in": e.slug("reported_in", required=False),
                "anchor": None,
                "responds_to": self.claim_targets(e),
                "tags": self.tags(e),
            }
            self.unique(e, "slug", claim["slug"], seen)
            if claim["statement"] and claim["statement"] not in self.texts:
                e.problem("statement", f'unknown statement "{claim["statement"]}"')
            claim["anchor"] = self.claim_anchor(e, claim)
            claim["entry"] = e
            plan.claims.append(claim)
        known = seen | set(self.existing_claims(existing))
        for claim in plan.claims:
            for target, _relation in claim["responds_to"]:
                if target == claim["slug"]:
                    claim["entry"].problem("responds_to", "a claim cannot answer itself")
                elif target not in known:
                    claim["entry"].problem("responds_to", f'unknown claim "{target}"')

    def existing_claims(self, existing: Dispute | None) -> list[str]:
        if existing is None:
            return []
        return list(db.session.scalars(sa.select(Claim.slug).where(Claim.dispute_id == existing.id)))

    def claim_targets(self, e: Entry) -> list[tuple[str, Relation]]:
        """responds_to as a slug or list of slugs sharing `relation`, or a list of {claim, relation}."""
        value = e.table.get("responds_to")
        if value is None:
            if "relation" in e.table:
                e.problem("relation", "is given but responds_to is not")
            return []
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            targets = []
            for item in value:
                sub = Entry(f"{e.where} responds_to", item, self.problems)
                sub.check_keys({"claim", "relation"})
                slug, relation = sub.slug("claim"), sub.choice("relation", Relation)
                if slug and relation:
                    targets.append((slug, relation))
        else:
            relation = e.choice("relation", Relation)
            targets = [(slug, relation) for slug in e.slugs("responds_to")] if relation else []
        slugs = [slug for slug, _ in targets]
        for slug in {s for s in slugs if slugs.count(s) > 1}:
            e.problem("responds_to", f'"{slug}" is named twice')
        return targets

    def claim_anchor(self, e: Entry, claim: dict) -> Anchor | None:
        quote = e.text("quote", limit=20_000)
        prefix, suffix = (e.table.get(k) for k in ("prefix", "suffix"))
        if claim["reconstructed"]:
            host = claim["reported_in"]
            if host is None:
                if quote is not None:
                    e.problem("quote", "a reconstructed claim has no verbatim quote; name the statement that reports it with reported_in")
                return None
            if quote is None:
                e.problem("quote", f'is required: the words of "{host}" that report the claim')
                return None
            if host not in self.texts:
                e.problem("reported_in", f'unknown statement "{host}"')
                return None
        else:
            if claim["reported_in"] is not None:
                e.problem("reported_in", "only a reconstructed claim is reported in another statement (set reconstructed = true)")
            if quote is None:
                e.problem("quote", "is required, unless reconstructed = true")
                return None
            host = claim["statement"]
            if host not in self.texts:
                return None  # already reported as an unknown statement
        text = self.texts[host]
        if text is UNREADABLE:
            return None
        if text is None:
            e.problem("quote", f'statement "{host}" has no text to find the quote in')
            return None
        try:
            return anchor_quote(text, quote, prefix=prefix if isinstance(prefix, str) else None,
                                suffix=suffix if isinstance(suffix, str) else None)
        except AnchorError as error:
            e.problem("quote", f'in statement "{host}": {error}')
            return None

    def read_evidence(self, tables: list, plan: Plan) -> None:
        claims = {c["slug"] for c in plan.claims}
        seen: set[tuple] = set()
        for i, table in enumerate(tables):
            e = self.entry("evidence", i, table)
            date, _ = e.date("date", precise=True)
            item = {
                "claim": e.slug("claim"),
                "url": e.url("url", required=True),
                "title": e.text("title", required=True),
                "publisher": e.text("publisher"),
                "date": date,
                "excerpt": e.text("excerpt", limit=20_000),
                "stance": e.choice("stance", Stance),
            }
            if item["claim"] and item["claim"] not in claims:
                e.problem("claim", f'unknown claim "{item["claim"]}" (evidence hangs on a claim of this bundle)')
            if item["claim"] and item["url"]:
                key = (item["claim"], item["url"])
                if key in seen:
                    e.problem("url", f'"{item["url"]}" is already linked to claim "{item["claim"]}"')
                seen.add(key)
            plan.evidence.append(item)


def assign(obj: Any, values: dict) -> None:
    """Set only the attributes that differ, so an unchanged row stays clean."""
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def upsert(model: type, lookup: dict, values: dict) -> Any:
    """The row matching `lookup`, updated with `values`, or a new one."""
    obj = db.session.scalar(sa.select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup)
        db.session.add(obj)
    assign(obj, values)
    return obj


def anchor_values(anchor: Anchor | None) -> dict:
    if anchor is None:
        return dict.fromkeys(("quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix"))
    return {"quote_start": anchor.start, "quote_end": anchor.end, "quote_exact": anchor.exact,
            "quote_prefix": anchor.prefix, "quote_suffix": anchor.suffix}


def stored_anchor(claim: Claim) -> Anchor | None:
    if claim.quote_exact is None:
        return None
    return Anchor(claim.quote_start, claim.quote_end, claim.quote_exact, claim.quote_prefix, claim.quote_suffix)


def write_plan(plan: Plan, folder: Path) -> Dispute:
    """Upsert a checked bundle into the session; the caller commits or rolls back."""
    values = {k: v for k, v in plan.dispute.items() if k != "slug"}
    dispute = upsert(Dispute, {"slug": plan.dispute["slug"]}, values)
    if dispute.tag_names != plan.tags:
        dispute.tags = [DisputeTag(name=name) for name in plan.tags]
    db.session.flush()

    actors = {a["slug"]: upsert(Actor, {"slug": a["slug"]}, a) for a in plan.actors}
    statements = {s.slug: s for s in dispute.statements}
    corrected = []
    for s in plan.statements:
        speaker = actors.get(s["actor"]) or db.session.scalar(sa.select(Actor).where(Actor.slug == s["actor"]))
        fields = {k: s[k] for k in ("title", "kind", "date", "date_precision", "venue", "source_url", "language", "text")}
        statement = upsert(Statement, {"dispute_id": dispute.id, "slug": s["slug"]}, {**fields, "speaker": speaker})
        if statement.id is not None and "text" in changed_keys(statement):
            corrected.append(statement)
        statements[s["slug"]] = statement
    db.session.flush()
    for s in plan.statements:
        statement = statements[s["slug"]]
        answered = {a.answered_id for a in statement.answers}
        for target in s["responds_to"]:
            if statements[target].id not in answered:
                statement.answers.append(StatementAnswer(answered_id=statements[target].id, dispute_id=dispute.id))

    claims = {c.slug: c for c in db.session.scalars(sa.select(Claim).where(Claim.dispute_id == dispute.id))}
    for c in plan.claims:
        fields = {
            "statement_id": statements[c["statement"]].id,
            "summary": c["summary"],
            "kind": c["kind"],
            "reconstructed": c["reconstructed"],
            "reported_in_id": statements[c["reported_in"]].id if c["reported_in"] else None,
            **anchor_values(c["anchor"]),
        }
        claim = claims[c["slug"]] = upsert(Claim, {"dispute_id": dispute.id, "slug": c["slug"]}, fields)
        if claim.tag_names != c["tags"]:
            claim.tags = [ClaimTag(name=name) for name in c["tags"]]
    reanchor_claims(corrected, set(c["slug"] for c in plan.claims), folder)
    db.session.flush()
    for c in plan.claims:
        claim = claims[c["slug"]]
        current = {r.target_id: r for r in claim.responses}
        for target_slug, relation in c["responds_to"]:
            target = claims[target_slug]
            if target.id in current:
                assign(current[target.id], {"relation": relation})
            else:
                claim.responses.append(Response(target_id=target.id, dispute_id=dispute.id, relation=relation))

    for item in plan.evidence:
        claim = claims[item["claim"]]
        values = {k: item[k] for k in ("title", "publisher", "date", "excerpt", "stance")}
        upsert(Evidence, {"claim_id": claim.id, "url": item["url"]}, values)

    if db.session.new or db.session.deleted or any(db.session.is_modified(o) for o in db.session.dirty):
        dispute.updated_at = utcnow()
    db.session.flush()
    return dispute


def changed_keys(obj: Any) -> set[str]:
    state = sa.inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def reanchor_claims(statements: list[Statement], in_bundle: set[str], folder: Path) -> None:
    """Move the anchors of claims this bundle does not restate into corrected texts."""
    problems = []
    for statement in statements:
        anchored = db.session.scalars(
            sa.select(Claim).where(
                sa.or_(
                    sa.and_(Claim.statement_id == statement.id, Claim.reconstructed.is_(False)),
                    Claim.reported_in_id == statement.id,
                )
            )
        )
        for claim in anchored:
            if claim.slug in in_bundle:
                continue
            moved = reanchor(statement.text or "", stored_anchor(claim))
            if moved is None:
                problems.append(
                    f'{folder / BUNDLE_FILE}: statement "{statement.slug}": text: the corrected text no longer '
                    f'holds the quote of claim "{claim.slug}" ("{claim.quote_exact}"); restate the claim in the bundle'
                )
            else:
                assign(claim, anchor_values(moved))
    if problems:
        raise BundleError(problems)


def export_bundle(dispute: Dispute, folder: Path) -> Path:
    """Write `dispute` as a bundle into `folder`: dispute.toml and one text file per statement."""
    folder.mkdir(parents=True, exist_ok=True)
    statements = db.session.scalars(
        sa.select(Statement).where(Statement.dispute_id == dispute.id).order_by(Statement.date, Statement.id)
    ).all()
    slugs = {s.id: s.slug for s in statements}
    claims = db.session.scalars(sa.select(Claim).where(Claim.dispute_id == dispute.id).order_by(Claim.id)).all()
    claim_slugs = {c.id: c.slug for c in claims}
    actors = {s.speaker.slug: s.speaker for s in statements}

    data: dict[str, Any] = {"dispute": drop_empty({
        "slug": dispute.slug, "title": dispute.title, "summary": dispute.summary,
        "status": dispute.status.value, "tags": dispute.tag_names,
    })}
    data["actors"] = [drop_empty({"slug": a.slug, "name": a.name, "kind": a.kind.value, "role": a.role,
                                  "country": a.country}) for a in actors.values()]
    data["statements"] = []
    for s in statements:
        entry = {"slug": s.slug, "actor": s.speaker.slug, "title": s.title, "kind": s.kind.value,
                 "date": format_bundle_date(s.date, s.date_precision) if s.date else None,
                 "venue": s.venue, "source_url": s.source_url, "language": s.language,
                 "responds_to": [slugs[a.answered_id] for a in s.answers]}
        if s.text is not None:
            entry["text_file"] = f"{s.slug}.txt"
            (folder / entry["text_file"]).write_bytes(s.text.encode("utf-8"))
        data["statements"].append(drop_empty(entry))
    data["claims"] = []
    for c in claims:
        entry = {"slug": c.slug, "statement": slugs[c.statement_id], "summary": c.summary, "kind": c.kind.value}
        if c.reconstructed:
            entry["reconstructed"] = True
            if c.reported_in_id:
                entry["reported_in"] = slugs[c.reported_in_id]
        if c.quote_exact is not None:
            entry.update(quote=c.quote_exact, prefix=c.quote_prefix, suffix=c.quote_suffix)
        if c.tags:
            entry["tags"] = c.tag_names
        relations = {r.relation for r in c.responses}
        if len(relations) == 1:
            entry["responds_to"] = [claim_slugs[r.target_id] for r in c.responses]
            entry["relation"] = relations.pop().value
        elif relations:
            entry["responds_to"] = [{"claim": claim_slugs[r.target_id], "relation": r.relation.value} for r in c.responses]
        data["claims"].append(entry)
    data["evidence"] = [
        drop_empty({"claim": c.slug, "url": e.url, "title": e.title, "publisher": e.publisher, "date": e.date,
                    "excerpt": e.excerpt, "stance": e.stance.value})
        for c in claims for e in c.evidence
    ]
    path = folder / BUNDLE_FILE
    path.write_text(tomli_w.dumps({k: v for k, v in data.items() if v}, multiline_strings=True), encoding="utf-8")
    return path


def drop_empty(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if v not in (None, "", [])}
