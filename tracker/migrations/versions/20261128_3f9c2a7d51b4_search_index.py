"""search index

Revision ID: 3f9c2a7d51b4
Revises: e84278ff6328
Create Date: 2026-11-28 10:00:00

Full-text search over statement texts, claim summaries and quotes, evidence
titles and excerpts, kept right by the transaction that writes the rows:

- SQLite: two external-content FTS5 tables per searched table, `search_<t>_words`
  (unicode61: words) and `search_<t>_trigrams` (trigram: substrings, for
  scripts written without spaces), filled by triggers on the table.
- PostgreSQL: two GIN expression indexes per searched table, on the 'simple'
  tsvector and on the text with pg_trgm; PostgreSQL maintains them itself.

Written by hand: autogenerate sees neither virtual tables nor triggers. The
models do not describe these objects; tracker.search.index.include_name keeps
schema comparisons off them, and its PG_DOCUMENTS must match the expressions here.

SQLite batch migrations rebuild a table by copying it and dropping the original,
which drops its triggers: a later migration that batch-alters statement, claim or
evidence must create that table's search triggers again (see sqlite_triggers).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f9c2a7d51b4'
down_revision = 'e84278ff6328'
branch_labels = None
depends_on = None

COLUMNS = {"statement": ("text",), "claim": ("summary", "quote_exact"), "evidence": ("title", "excerpt")}
TOKENIZERS = {"words": "unicode61 remove_diacritics 0", "trigrams": "trigram"}
DOCUMENTS = {
    "claim": "coalesce(summary, '') || ' ' || coalesce(quote_exact, '')",
    "statement": "coalesce(text, '')",
    "evidence": "coalesce(title, '') || ' ' || coalesce(excerpt, '')",
}


def sqlite_triggers(table: str) -> list[str]:
    """The triggers that write the table's changes into its FTS5 tables."""
    columns = ", ".join(COLUMNS[table])
    new = ", ".join(f"new.{c}" for c in COLUMNS[table])
    old = ", ".join(f"old.{c}" for c in COLUMNS[table])
    inserts = deletes = ""
    for index in TOKENIZERS:
        fts = f"search_{table}_{index}"
        # Only fixed table and column names here; user text goes in as parameters (bandit B608).
        inserts += f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {new});\n"  # nosec B608
        # External content: a row leaves the index given exactly the values it was indexed with.
        # Only fixed table and column names here; user text goes in as parameters (bandit B608).
        deletes += f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {old});\n"  # nosec B608
    return [
        f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN\n{inserts}END",
        f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN\n{deletes}END",
        f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {columns} ON {table} BEGIN\n{deletes}{inserts}END",
    ]


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in COLUMNS.items():
            for index, tokenizer in TOKENIZERS.items():
                fts = f"search_{table}_{index}"
                op.execute(
                    f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, "
                    f"content='{table}', content_rowid='id', tokenize='{tokenizer}')"
                )
                # Only fixed table and column names here; user text goes in as parameters (bandit B608).
                op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # nosec B608  # the rows already there
            for trigger in sqlite_triggers(table):
                op.execute(trigger)
        return
    # The extension is database-wide; its operator class is named with its schema,
    # wherever it was installed, since search_path may not include that schema.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema = op.get_bind().exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    ).scalar_one()
    for table, document in DOCUMENTS.items():
        op.execute(f"CREATE INDEX search_{table}_words ON {table} USING gin (to_tsvector('simple'::regconfig, {document}))")
        op.execute(f"CREATE INDEX search_{table}_trigrams ON {table} USING gin (({document}) {schema}.gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in COLUMNS:
            for action in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{action}")
            for index in TOKENIZERS:
                op.execute(f"DROP TABLE IF EXISTS search_{table}_{index}")
        return
    for table in DOCUMENTS:
        for index in ("words", "trigrams"):
            op.execute(f"DROP INDEX IF EXISTS search_{table}_{index}")
    # pg_trgm stays: other schemas of the database may use it.
