"""The search index: one interface, each engine's own full-text SQL chosen in one place.

The migration 20261128 builds the index and keeps it in the writing transaction:
SQLite has FTS5 tables (words, and trigrams for substrings) filled by triggers;
PostgreSQL has GIN expression indexes on the tables themselves (a tsvector for
words, pg_trgm for substrings). The expressions below must stay those of the
migration, or PostgreSQL stops using its indexes.
"""

import dataclasses
import re

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.db import db
from tracker.models import Claim, Dispute, Evidence, Statement
from tracker.shown import EVIDENCE_SHOWN, LIVE, STATEMENT_SHOWN, visible_claim

MAX_QUERY_LENGTH = 200
# Ranking costs time per candidate: a common word over a million claims takes
# hundreds of milliseconds to rank on either engine. So each kind ranks at most
# this many matches, the first its index yields (on SQLite the newest rows; on
# PostgreSQL in table order), and the count shown stops there.
CANDIDATE_CAP = 1000

# Columns searched, per table (the migration indexes the same ones).
COLUMNS = {"claim": ("summary", "quote_exact"), "statement": ("text",), "evidence": ("title", "excerpt")}
MODELS = {"claim": Claim, "statement": Statement, "evidence": Evidence}
# Only what readers see is found and counted: no hidden row, nothing of a deleted dispute.
LIVE_DISPUTES = sa.select(Dispute.id).where(LIVE)
SHOWN = {
    "claim": sa.and_(Claim.dispute_id.in_(LIVE_DISPUTES), visible_claim()),
    "statement": sa.and_(Statement.dispute_id.in_(LIVE_DISPUTES), STATEMENT_SHOWN),
    "evidence": sa.and_(EVIDENCE_SHOWN, Evidence.claim.has(sa.and_(Claim.dispute_id.in_(LIVE_DISPUTES), visible_claim()))),
}

# Scripts written without spaces between words (CJK, Thai, ...): a word
# tokenizer sees a whole sentence as one token, so these are found as substrings.
UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3040-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
WORD = re.compile(r"[^\W_]+")  # letters and digits, as the engines' tokenizers cut words
# Every database object of the index, for the migration tooling to leave alone.
INDEX_OBJECT = re.compile(r"search_(claim|statement|evidence)_(words|trigrams)(_\w+)?")


@dataclasses.dataclass(frozen=True)
class Term:
    """A word or a quoted phrase of the query; all terms must match."""

    text: str
    substring: bool  # in an unspaced script: matched as a substring, not as words

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)


def parse(query: str) -> list[Term]:
    """The query's terms: "quoted phrases" and bare words; punctuation alone is dropped."""
    terms = []
    query = re.sub(r"[\x00-\x1f\x7f]", " ", query)  # control characters (PostgreSQL refuses NUL)
    for phrase, word in re.findall(r'"([^"]*)(?:"|$)|([^\s"]+)', query):
        text = " ".join((phrase or word).split())
        if UNSPACED.search(text):
            terms.append(Term(text, substring=True))
        elif WORD.search(text):
            terms.append(Term(text, substring=False))
    return terms


@dataclasses.dataclass
class Hits:
    """One kind's best matches, in rank order, and how many matched (at most the cap)."""

    rows: list
    total: int = 0

    @property
    def capped(self) -> bool:
        return self.total >= CANDIDATE_CAP


@dataclasses.dataclass
class SearchResults:
    terms: list[Term]
    claims: Hits
    statements: Hits
    evidence: Hits


def include_name(name, type_, parent_names) -> bool:
    """Alembic hook: the models do not describe the index, so comparisons skip it."""
    return not (type_ in ("table", "index") and name and INDEX_OBJECT.fullmatch(name))


def search(query: str, limit_per_kind: int = 20) -> SearchResults:
    """The best matches of each kind for what a user typed; never a syntax error."""
    terms = parse(query)
    found = {table: Hits([]) for table in COLUMNS}
    if terms:
        sql = sqlite_matches if db.engine.dialect.name == "sqlite" else postgresql_matches
        for table, options in (
            ("claim", claim_context()),
            ("statement", statement_context()),
            ("evidence", [selectinload(Evidence.claim).options(*claim_context())]),
        ):
            found[table] = load(table, *sql(table, terms), limit_per_kind, options)
    return SearchResults(terms, claims=found["claim"], statements=found["statement"], evidence=found["evidence"])


def claim_context() -> list:
    return [selectinload(Claim.statement).options(*statement_context()), selectinload(Claim.reported_in)]


def statement_context() -> list:
    return [selectinload(Statement.dispute), selectinload(Statement.speaker)]


def load(table: str, candidates: str, params: dict, limit: int, options: list) -> Hits:
    """Rank the capped candidates readers may see and load the best rows with what their results show."""
    model = MODELS[table]
    found = (
        sa.text(candidates)
        .bindparams(**params, cap=CANDIDATE_CAP)
        .columns(sa.column("id"), sa.column("score"))
        .subquery("candidates")
    )
    ranked = (
        sa.select(found.c.id, found.c.score, sa.func.count().over().label("total"))
        .join(model, model.id == found.c.id)
        .where(SHOWN[table])
        .order_by(found.c.score.desc(), found.c.id.desc())
        .limit(limit)
        .subquery("ranked")
    )
    query = (
        sa.select(model, ranked.c.total)
        .join(ranked, ranked.c.id == model.id)
        .order_by(ranked.c.score.desc(), ranked.c.id.desc())
        .options(*options)
    )
    rows = db.session.execute(query).all()
    return Hits([row for row, _ in rows], total=rows[0].total if rows else 0)


def like_pattern(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def sqlite_matches(table: str, terms: list[Term]) -> tuple[str, dict]:
    """FTS5: words in search_<table>_words, substrings of 3+ characters in
    search_<table>_trigrams, shorter ones by LIKE on the row (trigram indexes
    cannot find them). Every term is a quoted FTS5 string of its words alone,
    so no user input is ever read as FTS5 syntax.
    """
    words = [t for t in terms if not t.substring]
    long = [t for t in terms if t.substring and len(t.text) >= 3]
    short = [t for t in terms if t.substring and len(t.text) < 3]
    params, conditions = {}, []
    if words:
        driver, params["match"] = f"search_{table}_words", " ".join(f'"{" ".join(t.words)}"' for t in words)
    elif long:
        driver, params["match"], long = f"search_{table}_trigrams", fts5_strings(long), []
    else:
        driver = None
    if long:
        params["substrings"] = fts5_strings(long)
        conditions.append(
            # Only fixed table and column names here; user text goes in as parameters (bandit B608).
            f"{table}.id IN (SELECT rowid FROM search_{table}_trigrams "  # nosec B608
            f"WHERE search_{table}_trigrams MATCH :substrings)"
        )
    for i, term in enumerate(short):
        params[f"like{i}"] = like_pattern(term.text)
        either = " OR ".join(f"{table}.{column} LIKE :like{i} ESCAPE '\\'" for column in COLUMNS[table])
        conditions.append(f"({either})")
    if driver is None:
        # Only short substrings: no index can help, so scan from the newest, up to the cap.
        # Only fixed table and column names here; user text goes in as parameters (bandit B608).
        return (f"SELECT id, 0.0 AS score FROM {table} WHERE {' AND '.join(conditions)} "  # nosec B608
                "ORDER BY id DESC LIMIT :cap"), params
    # bm25 is lower for better matches; negated so that every engine ranks high first.
    return (
        # Only fixed table and column names here; user text goes in as parameters (bandit B608).
        f"SELECT {driver}.rowid AS id, -bm25({driver}) AS score FROM {driver} "  # nosec B608
        f"JOIN {table} ON {table}.id = {driver}.rowid "
        f"WHERE {driver} MATCH :match {''.join(' AND ' + c for c in conditions)} "
        f"ORDER BY {driver}.rowid DESC LIMIT :cap"
    ), params


def fts5_strings(terms: list[Term]) -> str:
    return " ".join('"' + t.text.replace('"', '""') + '"' for t in terms)


# The indexed document of each table; the migration's index expressions are these.
PG_DOCUMENTS = {
    "claim": "coalesce(summary, '') || ' ' || coalesce(quote_exact, '')",
    "statement": "coalesce(text, '')",
    "evidence": "coalesce(title, '') || ' ' || coalesce(excerpt, '')",
}


def postgresql_matches(table: str, terms: list[Term]) -> tuple[str, dict]:
    """tsvector ('simple': no stemming, no stop words, any language) for words,
    pg_trgm ILIKE for substrings. Terms reach PostgreSQL only as parameters of
    phraseto_tsquery and ILIKE, which read no syntax.
    """
    document = PG_DOCUMENTS[table]
    vector = f"to_tsvector('simple'::regconfig, {document})"
    params, conditions = {}, []
    words = [t for t in terms if not t.substring]
    for i, term in enumerate(words):
        params[f"words{i}"] = term.text  # as typed: PostgreSQL's parser cuts it as it cut the text
    query = " && ".join(f"phraseto_tsquery('simple'::regconfig, :words{i})" for i in range(len(words)))
    if words:
        conditions.append(f"{vector} @@ ({query})")
    for i, term in enumerate(t for t in terms if t.substring):
        params[f"like{i}"] = like_pattern(term.text)
        conditions.append(f"({document}) ILIKE :like{i} ESCAPE '\\'")
    # Without ORDER BY, LIMIT takes the first matches the index yields, and
    # ts_rank runs on those only.
    score = f"ts_rank({vector}, {query})" if words else "0.0"
    # Only fixed table and column names here; user text goes in as parameters (bandit B608).
    return f"SELECT id, {score} AS score FROM {table} WHERE {' AND '.join(conditions)} LIMIT :cap", params  # nosec B608
