"""`tracker backup FILE` and `tracker restore FILE`: every table and row, as one consistent snapshot.

The engine's own tools do the copying (tracker/backup_sqlite.py, tracker/backup_postgresql.py);
this module checks the files and the database, and says what happened.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from . import backup_postgresql, backup_sqlite
from .database import MIGRATIONS
from .db import db

ENGINES = {"sqlite": backup_sqlite, "postgresql": backup_postgresql}
# What a backup file starts with, by the kind of database it restores into.
MAGIC = {"sqlite": backup_sqlite.HEADER, "postgresql": backup_postgresql.MAGIC}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Progress = Callable[[int, int], None]  # called with (done, total)


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@with_appcontext
def backup_command(file: Path, force: bool) -> None:
    """Write every table and row into FILE, mode 600 (it holds password hashes)."""
    with progress_bar("backing up") as progress, database_errors():
        rows = write_backup(file, force=force, progress=progress)
    click.echo(f"backed up {len(rows)} tables, {sum(rows.values()):,} rows to {file} "
               f"({size_text(file.stat().st_size)})")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace everything in a database that holds rows.")
@with_appcontext
def restore_command(file: Path, replace: bool) -> None:
    """Load the backup FILE into an empty database, then migrate it to this version's schema."""
    with progress_bar("restoring") as progress, database_errors():
        rows, (before, after) = restore_backup(file, replace=replace, progress=progress)
    migrated = f"; migrated from revision {before} to {after}" if before != after else ""
    click.echo(f"restored {len(rows)} tables, {sum(rows.values()):,} rows from {file}{migrated}")


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached (or is locked) is reported in a line, without a traceback."""
    try:
        yield
    except sa.exc.OperationalError as error:
        raise click.ClickException(f"database error: {error.orig}") from None


def no_progress(_done: int, _total: int) -> None:
    """Show nothing."""


def write_backup(path: Path, *, force: bool = False, progress: Progress = no_progress) -> dict[str, int]:
    """Back the database up into `path`; the rows per table of the backup."""
    engine = engine_part()
    with private_file(path, force) as draft:
        rows = engine.backup(db.engine, draft, tracker_tables(), progress)
        if "alembic_version" not in rows:
            raise click.ClickException("the database has no tracker tables (tracker db upgrade makes them): "
                                       "nothing to back up")
    return rows


def restore_backup(path: Path, *, replace: bool = False,
                   progress: Progress = no_progress) -> tuple[dict[str, int], tuple[str, str]]:
    """Replace the database with the backup at `path` and migrate it; its rows and (old, new) revision."""
    engine = engine_part()
    kind = backup_kind(path)
    if kind != db.engine.dialect.name:
        raise click.ClickException(f"{path} is a backup of a {NAMES[kind]} database; this database is "
                                   f"{NAMES[db.engine.dialect.name]}")
    with engine.checked(path) as backup:
        known = {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
        if backup.revision not in known:
            raise click.ClickException(f"{path} was made by another version of the tracker: "
                                       f"its schema revision {backup.revision} is unknown here")
        if not replace:
            refuse_rows()
        db.session.remove()
        engine.restore(backup, db.engine, tracker_tables(), progress)
    db.engine.dispose()
    revision = migrate()
    return rows_per_table(), (backup.revision, revision)


def engine_part():
    """The module that backs up and restores the app's kind of database."""
    name = db.engine.dialect.name
    if name not in ENGINES:
        raise click.ClickException(f"backup and restore work on SQLite and PostgreSQL, not on {name}")
    return ENGINES[name]


def tracker_tables() -> set[str]:
    return {table.name for table in db.metadata.sorted_tables} | {"alembic_version"}


@contextmanager
def private_file(path: Path, force: bool) -> Iterator[Path]:
    """An empty file of mode 600 beside `path`, moved to `path` only once it is written whole."""
    if path.is_dir():
        raise click.ClickException(f"{path} is a directory")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; add --force to overwrite it")
    draft = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        # Made 600 from the start: never readable by others, not even for a moment.
        os.close(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None
    try:
        yield draft
        if force:
            os.replace(draft, path)
        else:
            os.link(draft, path)  # fails, rather than overwrite, if the file appeared meanwhile
    except FileExistsError:
        raise click.ClickException(f"{path} exists; add --force to overwrite it") from None
    finally:
        draft.unlink(missing_ok=True)


def backup_kind(path: Path) -> str:
    """Which database a backup file is for, judged by its first bytes."""
    try:
        with open(path, "rb") as file:
            start = file.read(16)
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror}") from None
    if not start:
        raise click.ClickException(f"{path} is empty: not a tracker backup")
    for kind, magic in MAGIC.items():
        if start.startswith(magic):
            return kind
    raise click.ClickException(f"{path} is not a tracker backup (neither an SQLite database nor a pg_dump archive)")


def present_tables() -> list[sa.TableClause]:
    names = set(sa.inspect(db.engine).get_table_names())
    return [sa.table(name) for name in sorted(tracker_tables() & names)]


def refuse_rows() -> None:
    """Refuse to restore over rows: a database without tables, or only empty ones, is fine."""
    with db.engine.connect() as connection:
        full = [table.name for table in present_tables() if table.name != "alembic_version"
                and connection.scalar(sa.select(sa.literal(1)).select_from(table).limit(1))]
    if full:
        raise click.ClickException(f"the database is not empty ({', '.join(full)} hold rows); "
                                   "add --replace to replace everything in it with the backup")


def rows_per_table() -> dict[str, int]:
    with db.engine.connect() as connection:
        return {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                for table in present_tables()}


def migrate() -> str:
    """Upgrade the restored schema to head, as `tracker db upgrade` does; the revision it is at."""
    upgrade()
    with db.engine.connect() as connection:
        return connection.scalar(sa.text("SELECT version_num FROM alembic_version"))


@contextmanager
def progress_bar(label: str) -> Iterator[Progress]:
    """A progress callback that draws a bar when stdout is a terminal, and shows nothing otherwise."""
    if not sys.stdout.isatty():
        yield no_progress
        return
    with ExitStack() as stack:
        bar = None

        def show(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(click.progressbar(length=max(total, 1), label=label))
            bar.update(done - bar.pos)

        yield show


def size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"
