"""Backup and restore on SQLite: the online backup API, one consistent snapshot each way."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import click
import sqlalchemy as sa

HEADER = b"SQLite format 3\x00"
# Pages copied per step of a backup (4 MiB at the default page size): the progress bar moves
# between steps, and writers go on meanwhile.
PAGES_PER_STEP = 1024


def database_file(engine: sa.Engine) -> Path:
    """The file the engine's database lives in; refused when it is in memory or missing."""
    name = engine.url.database
    if not name or name == ":memory:":
        raise click.ClickException("the database is in memory: there is nothing to back up")
    path = Path(name)
    if not path.is_file():
        raise click.ClickException(f"no database at {path}")
    return path


def backup(engine: sa.Engine, draft: Path, tables: set[str], progress: Callable[[int, int], None]) -> dict[str, int]:
    """Copy the database into the empty file `draft`; the rows per table of the copy."""
    database_file(engine)
    source = engine.raw_connection()  # a pooled connection, with WAL and the busy timeout set
    try:
        sqlite = source.driver_connection
        # A stepped backup starts over whenever another connection writes the source; holding a
        # read transaction pins one WAL snapshot, so it never restarts and the copy is that snapshot
        # (measured: without it, four busy writers kept a stepped backup restarting for good).
        sqlite.execute("BEGIN")
        sqlite.execute("SELECT count(*) FROM sqlite_master").fetchone()
        try:
            with closing(sqlite3.connect(draft)) as copy:
                sqlite.backup(copy, pages=PAGES_PER_STEP,
                              progress=lambda _status, remaining, total: progress(total - remaining, total))
                # One self-contained file: no -wal beside it, and its header tells its true length.
                copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            sqlite.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise click.ClickException(f"backing up failed: {error}") from None
    finally:
        source.close()
    return rows_per_table(draft, tables)


def rows_per_table(path: Path, tables: set[str]) -> dict[str, int]:
    """How many rows each of `tables` holds in the database file at `path`."""
    with closing(open_read_only(path)) as copy:
        present = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # Only names from the models and sqlite_master here, quoted (bandit B608).
        return {name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # nosec B608
                for name in sorted(tables & present)}


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file, nor make -wal or -shm files beside it."""
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)


@dataclass
class Checked:
    """A backup file that passed every check."""
    archive: Path
    revision: str  # its alembic revision


@contextmanager
def checked(path: Path) -> Iterator[Checked]:
    """Check that the file is a whole, sound tracker database, before anything is touched."""
    yield Checked(path, revision(path))


def revision(path: Path) -> str:
    """The alembic revision of a backup file, read once the file's header and pages check out."""
    with open(path, "rb") as file:
        header = file.read(100)
    size = path.stat().st_size
    if not header.startswith(HEADER):
        raise click.ClickException(f"{path} is not a tracker backup")
    if len(header) < 100:
        raise click.ClickException(f"{path} is cut short or damaged: it holds {size} bytes, less than a header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when the two change counters agree (SQLite 3.7.0 on).
    if header[24:28] == header[92:96] and size != page_size * pages:
        raise click.ClickException(
            f"{path} is cut short or damaged: its header says {pages:,} pages of {page_size:,} bytes "
            f"({page_size * pages:,} bytes), but the file holds {size:,} bytes")
    try:
        with closing(open_read_only(path)) as copy:
            problems = [row[0] for row in copy.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise click.ClickException(f"{path} is damaged: {problems[0]}")
            if not copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
                raise click.ClickException(f"{path} is not a tracker backup: it has no alembic_version table")
            revisions = [row[0] for row in copy.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.Error as error:
        raise click.ClickException(f"{path} is damaged: {error}") from None
    if len(revisions) != 1:
        raise click.ClickException(f"{path} is not a tracker backup: its alembic_version holds {len(revisions)} rows")
    return revisions[0]


def restore(backup: Checked, engine: sa.Engine, _tables: set[str], progress: Callable[[int, int], None]) -> None:
    """Replace the whole database with the checked backup file, in one transaction."""
    path = backup.archive
    engine.dispose()  # no pooled connection of ours holds a snapshot of the old database
    target = engine.raw_connection()
    try:
        with closing(open_read_only(path)) as source:
            # One step: the target is rewritten in a single write transaction, so a failure
            # (or a kill) part way leaves it as it was, never half replaced.
            source.backup(target.driver_connection,
                          progress=lambda _status, remaining, total: progress(total - remaining, total))
    except sqlite3.Error as error:
        raise click.ClickException(f"restoring {path} failed, nothing changed: {error}") from None
    finally:
        target.close()
        engine.dispose()
