"""The load benchmark's scratch database: migrated with `tracker db upgrade`, filled by `tracker import`.

Importing 10,000 claims takes minutes (each entry is a revision and a savepoint), so the
imported SQLite file is kept in the temporary folder, keyed by the generator's version and the
migrations, and copied for each run. On PostgreSQL a scratch schema is migrated the same way and
the rows the importer wrote are copied into it, table by table (then the sequences are moved on).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

import data
from tracker.models import Claim  # its metadata holds every model's table

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tracker(database_url: str, *args: str) -> None:
    """Run a `tracker` command on `database_url`; stop the benchmark if it fails."""
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": "load benchmark"}
    result = subprocess.run([str(BIN / "tracker"), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"tracker {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")


def cache_key() -> str:
    migrations = sorted((ROOT / "tracker" / "migrations" / "versions").glob("*.py"))
    digest = hashlib.sha256(f"data {data.VERSION}".encode())
    for path in migrations:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def imported_sqlite(fresh: bool) -> Path:
    """The SQLite file holding the seeds and the generated disputes, imported once and kept."""
    cached = Path(tempfile.gettempdir()) / f"tracker-load-{cache_key()}.sqlite3"
    if cached.exists() and not fresh:
        print(f"data: {cached} (imported earlier; --fresh imports again)", flush=True)
        return cached
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tracker-load-build-") as build:
        file = Path(build) / "load.sqlite3"
        url = f"sqlite:///{file}"
        tracker(url, "db", "upgrade")
        tracker(url, "import", str(ROOT / "seeds"))
        bundles = data.write_bundles(Path(build) / "bundles")
        print(f"data: importing {len(bundles)} generated bundles ({sum(s.claims for s in data.SHAPES):,} claims); "
              "this takes minutes, once", flush=True)
        tracker(url, "import", *map(str, bundles))
        shutil.copyfile(file, cached.with_suffix(".partial"))
        cached.with_suffix(".partial").rename(cached)  # whole or absent, even if interrupted
    print(f"data: imported in {time.monotonic() - started:.0f} s, kept in {cached}", flush=True)
    return cached


@contextmanager
def database(fresh: bool):
    """A database URL holding the benchmark's data for as long as the block runs; removed after it."""
    source = imported_sqlite(fresh)
    server = os.environ.get("TRACKER_DATABASE_URL", "")
    if not server.startswith("postgresql"):
        with tempfile.TemporaryDirectory(prefix="tracker-load-") as folder:
            copy = Path(folder) / "load.sqlite3"
            shutil.copyfile(source, copy)
            url = f"sqlite:///{copy}"
            tracker(url, "db", "upgrade")
            yield url
        return
    schema = f"load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    try:
        tracker(url, "db", "upgrade")
        copy_rows(f"sqlite:///{source}", url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def copy_rows(source_url: str, target_url: str) -> None:
    """Every row of the tracker's tables from one migrated database into another, empty one."""
    source, target = sa.create_engine(source_url), sa.create_engine(target_url)
    started = time.monotonic()
    with source.connect() as reading, target.begin() as writing:
        for table in Claim.metadata.sorted_tables:
            rows = [dict(row._mapping) for row in reading.execute(sa.select(table))]
            if rows:
                writing.execute(table.insert(), rows)
            if "id" in table.c and rows:
                writing.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                        f"(SELECT max(id) FROM \"{table.name}\"))"))
        writing.execute(sa.text("ANALYZE"))
    source.dispose()
    target.dispose()
    print(f"data: copied into PostgreSQL in {time.monotonic() - started:.0f} s", flush=True)
