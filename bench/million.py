"""Benchmark data: the whole store at a million claims, written in bulk, then checked through the app.

    .venv/bin/python bench/million.py build sqlite:////tmp/million.sqlite3 [--claims 1000000]
    .venv/bin/python bench/million.py build postgresql+psycopg://postgres@127.0.0.1:5432/million
    .venv/bin/python bench/million.py check URL
    .venv/bin/python bench/store.py URL                       # the pages, measured (see there)

`build` migrates the database (`flask db upgrade`, the only way the schema is made) and writes N claims
across N/100 disputes (bench/million_rows.py says what they hold), a few disputes to a transaction,
printing progress. Stopped, it resumes where it stopped (run it again with the same --claims);
on PostgreSQL the database is created when missing (never `test` or `postgres`).

This is benchmark data, not a door into the record: a million claims through the core, each
checked and revised one by one, would take hours, so the rows are inserted in bulk (SQLAlchemy
Core executemany on SQLite, COPY on PostgreSQL) with explicit ids. They are the rows the core
writes: quotes anchored at their offsets with the core's prefix and suffix, valid slugs, the search
index in step (SQLite's triggers fill its FTS5 tables as rows go in; PostgreSQL's GIN indexes are
dropped during the load and made again after it with their own definitions), a creation revision
for every dispute, actor, statement and verdict (the feeds and the pages' ETags read them). The
core's revisions of each claim, response and evidence link (4 million more rows) are written only
with --all-revisions. `check` proves it on a sample: quotes anchored again by tracker.anchoring land
where they are stored, slugs pass the slug rule, pages answer 200 and search finds the rare word.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import million_rows as rows  # noqa: E402

TABLES = ("actor", "dispute", "dispute_tag", "statement", "statement_answer", "claim", "claim_tag", "response",
          "evidence", "verdict", "verdict_evidence", "revision")
PER_TRANSACTION = 20_000  # claims


def make_app(url: str):
    from tracker import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def create_database(url: str) -> None:
    """The PostgreSQL database of the URL, created if missing."""
    target = sa.make_url(url)
    if target.get_backend_name() != "postgresql":
        return
    if target.database in ("test", "postgres", None):
        sys.exit("give a database of its own for the benchmark (e.g. .../million), never test or postgres")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database}):
            connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def database_size(connection) -> int:
    if connection.dialect.name == "postgresql":
        return connection.scalar(sa.text("SELECT pg_database_size(current_database())"))
    file = Path(connection.engine.url.database)
    return sum(p.stat().st_size for p in (file, Path(f"{file}-wal")) if p.exists())


def insert(connection, table: sa.Table, values: list[dict]) -> None:
    if not values:
        return
    values = [rows.database_values(v) for v in values]
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), values)
        return
    columns = list(values[0])
    json_columns = {c.name for c in table.c if isinstance(c.type, sa.JSON)}
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
        for value in values:
            copy.write_row(tuple(json.dumps(value[c]) if c in json_columns and value[c] is not None else value[c]
                                 for c in columns))


def write(connection, tables: dict[str, list[dict]]) -> None:
    metadata = sa.MetaData()
    for name in TABLES:
        if tables.get(name):
            insert(connection, sa.Table(name, metadata, autoload_with=connection), tables[name])


def index_file(url: str) -> Path:
    return Path("/tmp") / f"million-{sa.make_url(url).database}-search-indexes.json"


def drop_search_indexes(connection, url: str) -> None:
    """PostgreSQL: the search index's GIN indexes, kept aside (their definitions in a file) until the load ends."""
    found = connection.execute(sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                                       "current_schema() AND indexname LIKE 'search\\_%'")).all()
    if found:
        index_file(url).write_text(json.dumps([definition for _, definition in found]))
        for name, _ in found:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')


def restore_search_indexes(connection, url: str) -> None:
    file = index_file(url)
    if file.exists():
        connection.exec_driver_sql("SET maintenance_work_mem = '512MB'")  # this session: GIN builds sort less
        for definition in json.loads(file.read_text()):
            connection.exec_driver_sql(definition)
        file.unlink()


def build(url: str, claims: int, all_revisions: bool) -> None:
    from flask_migrate import upgrade

    create_database(url)
    app = make_app(url)
    started = time.monotonic()
    with app.app_context():
        upgrade()
    engine = sa.create_engine(url)
    postgresql = engine.dialect.name == "postgresql"
    sizes = rows.dispute_sizes(claims)
    with engine.begin() as connection:
        if postgresql:
            drop_search_indexes(connection, url)
        last = {t: connection.scalar(sa.text(f'SELECT max(id) FROM "{t}"')) or 0  # nosec B608: fixed names
                for t in ("actor", "dispute", "statement", "claim", "response", "evidence", "verdict", "revision")}
        ids = rows.Ids(last)
        if not last["actor"]:
            write(connection, rows.actor_rows(ids))
    done = last["dispute"]
    print(f"{engine.dialect.name}: {claims:,} claims in {len(sizes):,} disputes; {done:,} disputes stored already",
          flush=True)
    d, written, loading = done, sum(sizes[:done]), time.monotonic()
    while d < len(sizes):
        batch: dict[str, list[dict]] = {}
        in_batch = 0
        while d < len(sizes) and (in_batch < PER_TRANSACTION or not batch):
            for table, values in rows.dispute_rows(d, sizes[d], claims, ids, all_revisions).items():
                batch.setdefault(table, []).extend(values)
            in_batch += sizes[d]
            d += 1
        with engine.begin() as connection:
            if not postgresql:
                connection.exec_driver_sql("PRAGMA synchronous=OFF")  # this connection only: a build, not the app
            write(connection, batch)
        written += in_batch
        rate = (written - sum(sizes[:done])) / (time.monotonic() - loading)
        print(f"  {d:,} disputes, {written:,} claims, {time.monotonic() - started:,.0f} s, {rate:,.0f} claims/s",
              flush=True)
    finishing = time.monotonic()
    with engine.begin() as connection:
        if postgresql:
            restore_search_indexes(connection, url)
            for table in ("actor", "dispute", "statement", "claim", "response", "evidence", "verdict", "revision"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                           f"(SELECT max(id) FROM \"{table}\"))"))  # nosec B608: fixed names
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if postgresql:
            connection.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum would do soon after such a load
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = database_size(connection)
    print(f"built in {time.monotonic() - started:,.0f} s (after the rows: {time.monotonic() - finishing:,.0f} s "
          f"for indexes and statistics); database {size / 2**20:,.0f} MB", flush=True)
    engine.dispose()


def check(url: str) -> None:
    """A sample through the app: anchors, slugs, pages and search."""
    import random

    from tracker import rules
    from tracker.anchoring import anchor_quote
    from tracker.db import db
    from tracker.models import Claim, Statement

    app = make_app(url)
    failures = []
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.max(Claim.id)))
        for claim_id in random.Random(1).sample(range(1, total + 1), min(300, total)):
            claim = db.session.get(Claim, claim_id)
            text = db.session.scalar(sa.select(Statement.text).where(Statement.id == claim.statement_id))
            found = anchor_quote(text, claim.quote_exact)
            stored = (claim.quote_start, claim.quote_end, claim.quote_exact, claim.quote_prefix, claim.quote_suffix)
            if (found.start, found.end, found.exact, found.prefix, found.suffix) != stored:
                failures.append(f"claim {claim_id}: anchored at {found.start}:{found.end}, stored {stored[:2]}")
            rules.slug(claim.slug)
            rules.slug(claim.statement.slug)
        print(f"anchors and slugs of 300 claims: {'ok' if not failures else failures[:3]}")
    client = app.test_client(use_cookies=False)
    for path in ("/", f"/disputes/{rows.REFERENCE_SLUG}", f"/disputes/{rows.REFERENCE_SLUG}/claims/claim-2-1",
                 f"/disputes/{rows.REFERENCE_SLUG}/statements/statement-2", "/actors/ministry-of-foreign-affairs",
                 "/disputes/dispute-0", f"/search?q={rows.RARE_WORD}", f"/search?q={rows.COMMON_WORD}"):
        response = client.get(path)
        print(f"{response.status_code} {len(response.data):>8,} bytes  {path}")
        failures += [path] if response.status_code != 200 else []
    page = client.get(f"/search?q={rows.RARE_WORD}").get_data(as_text=True)
    marked = page.count(f"<mark>{rows.RARE_WORD}</mark>")
    print(f'search "{rows.RARE_WORD}": {marked} marked matches on the page')
    failures += ["rare word not found"] if not marked else []
    sys.exit(f"FAILED: {failures}" if failures else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("build", "check"))
    parser.add_argument("url", help="sqlite:////tmp/million.sqlite3, or postgresql+psycopg://.../million")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--all-revisions", action="store_true",
                        help="also the core's revision of every claim, response and evidence link")
    args = parser.parse_args()
    os.environ.setdefault("TRACKER_SECRET_KEY", "bench")
    if args.action == "build":
        build(args.url, args.claims, args.all_revisions)
    else:
        check(args.url)


if __name__ == "__main__":
    main()
