"""Backup and restore on PostgreSQL: pg_dump's custom format in, one psql transaction out."""

import os
import re
import secrets
import shutil
import subprocess  # nosec B404  # pg_dump, pg_restore and psql, never through a shell
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click
import sqlalchemy as sa
from psycopg.conninfo import make_conninfo

MAGIC = b"PGDMP"
COPY = re.compile(rb'^COPY ("(?:[^"]|"")*"|[^ ."]+)\.("(?:[^"]|"")*"|[^ ."]+) .*FROM stdin;$')
TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ")
# Entries that make database-wide objects, or the schema itself: the restore handles those.
SKIPPED_ENTRY = re.compile(r"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA |EXTENSION - |COMMENT - EXTENSION )")
INSTALL = "on Debian: apt-get install postgresql-client"


def tool(name: str) -> str:
    """The path of a PostgreSQL client program, or a message saying how to install it."""
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(f"{name} is not installed ({INSTALL})")
    return path


def connection(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    """Arguments naming the database for pg_dump or psql, and an environment holding the password."""
    options = {key: value for key, value in url.query.items() if isinstance(value, str)}
    conninfo = make_conninfo(host=url.host, port=url.port, user=url.username, dbname=url.database, **options)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password  # never on a command line, where `ps` shows it
    return ["--dbname", conninfo], environment


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def unquoted(name: bytes) -> str:
    text = name.decode()
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


def current_schema(engine: sa.Engine) -> str:
    """The schema the app's tables live in (public in production)."""
    with engine.connect() as db:
        schema = db.exec_driver_sql("SELECT current_schema()").scalar()
    if schema is None:
        raise click.ClickException("no schema of the database's search_path exists")
    return schema


def run(command: list[str], environment: dict[str, str], **popen) -> subprocess.Popen:
    return subprocess.Popen(command, env=environment, **popen)  # nosec B603  # a fixed program, no shell


def backup(engine: sa.Engine, draft: Path, tables: set[str], progress: Callable[[int, int], None]) -> dict[str, int]:
    """Dump the app's schema into the file `draft`; the rows per table, read back from the file."""
    schema = current_schema(engine)
    total = len(set(sa.inspect(engine).get_table_names()) & tables)
    database, environment = connection(engine.url)
    # pg_dump's snapshot is one repeatable-read transaction: consistent while writers go on.
    command = [tool("pg_dump"), "--format=custom", "--verbose", "--schema", quoted(schema), *database]
    messages, done = [], 0
    with open(draft, "wb") as out, run(command, environment, stdout=out, stderr=subprocess.PIPE, text=True) as dump:
        for line in dump.stderr:
            if "dumping contents of table" in line:
                done += 1
                progress(done, total)
            elif "error" in line or "FATAL" in line:
                messages.append(line.strip())
    if dump.returncode:
        raise click.ClickException("pg_dump failed: " + (" ".join(messages) or f"exit status {dump.returncode}"))
    return script(draft).rows_of(tables)


@dataclass
class Script:
    """What an archive holds, as read from the SQL pg_restore turns it into."""
    rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (schema, table): rows
    revisions: list[str] = field(default_factory=list)  # the rows of alembic_version

    def rows_of(self, tables: set[str]) -> dict[str, int]:
        return {name: count for (_, name), count in sorted(self.rows.items()) if name in tables}


def script(archive: Path, entries: Path | None = None, into: Path | None = None) -> Script:
    """Turn the archive into SQL, failing on a truncated or foreign file before anything is touched."""
    command = [tool("pg_restore"), "--no-owner", "--no-privileges", "--file", "-", str(archive)]
    if entries:
        command[1:1] = ["--use-list", str(entries)]
    found, table = Script(), None
    with (tempfile.TemporaryFile() as errors, open(into or os.devnull, "wb") as out,
          run(command, dict(os.environ), stdout=subprocess.PIPE, stderr=errors) as restore):
        for line in restore.stdout:
            out.write(line)
            if table is None:
                copy = COPY.match(line.rstrip(b"\n"))
                if copy:
                    table = (unquoted(copy[1]), unquoted(copy[2]))
                    found.rows[table] = 0
            elif line == b"\\.\n":
                table = None
            else:
                found.rows[table] += 1
                if table[1] == "alembic_version":
                    found.revisions.append(line.decode().strip())
        restore.stdout.close()
        if restore.wait():
            errors.seek(0)
            raise click.ClickException(f"{archive} is cut short or damaged: {first_error(errors.read())}")
    return found


def first_error(output: bytes) -> str:
    """The line of a client program's messages that says what went wrong."""
    lines = output.decode(errors="replace").strip().splitlines() or ["no message"]
    first = next((i for i, line in enumerate(lines) if "ERROR" in line or "error:" in line or "FATAL" in line), 0)
    details = [line.strip() for line in lines[first + 1:first + 4] if line.startswith("DETAIL:")]
    return " ".join([lines[first], *details])


@dataclass
class Checked:
    """A backup that passed every check, turned into the SQL that restores it."""
    archive: Path
    schema: str  # the schema it was dumped from
    tables: list[str]
    revision: str
    sql: Path


@contextmanager
def checked(archive: Path):
    """Check the archive and turn it into SQL in a private folder, removed afterwards."""
    listing = subprocess.run([tool("pg_restore"), "--list", str(archive)],  # nosec B603  # a fixed program
                             capture_output=True, text=True)
    if listing.returncode:
        raise click.ClickException(f"{archive} is cut short or damaged: {first_error(listing.stderr.encode())}")
    lines = listing.stdout.splitlines()
    tables = [(m[1], m[2]) for m in map(TABLE_ENTRY.match, lines) if m]
    schemas = sorted({schema for schema, _ in tables})
    if "alembic_version" not in {name for _, name in tables}:
        raise click.ClickException(f"{archive} is not a tracker backup: it has no alembic_version table")
    if len(schemas) != 1:
        raise click.ClickException(f"{archive} holds tables of several schemas ({', '.join(schemas)}); "
                                   "a tracker backup holds one")
    with tempfile.TemporaryDirectory() as folder:  # mode 700: the SQL holds password hashes
        entries = Path(folder) / "entries"
        entries.write_text("\n".join(";" + line if SKIPPED_ENTRY.match(line) else line for line in lines) + "\n")
        sql = Path(folder) / "restore.sql"
        found = script(archive, entries, into=sql)
        if len(found.revisions) != 1:
            raise click.ClickException(f"{archive} is not a tracker backup: "
                                       f"its alembic_version holds {len(found.revisions)} rows")
        yield Checked(archive, schemas[0], [name for _, name in tables], found.revisions[0], sql)


def restore(backup: Checked, engine: sa.Engine, tables: set[str], progress: Callable[[int, int], None]) -> None:
    """Replace the tracker's tables with the backup's, all in one transaction: it all lands, or nothing."""
    target = current_schema(engine)
    with engine.connect() as db:
        existing = set(sa.inspect(db).get_table_names())
        source_exists = db.exec_driver_sql("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                                           (backup.schema,)).scalar() is not None
    engine.dispose()  # our own idle connections must not hold locks on the tables dropped below
    # The search indexes need pg_trgm; in public, so that dropping a schema never takes it along.
    before = ["CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;"]
    dropped = sorted(existing & (set(backup.tables) | tables))
    if dropped:
        before.append("DROP TABLE " + ", ".join(f"{quoted(target)}.{quoted(t)}" for t in dropped) + ";")
    into, out_of = moves(backup, target, source_exists)
    before += into
    database, environment = connection(engine.url)
    command = [tool("psql"), "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--single-transaction",
               "--file", "-", *database]
    with tempfile.TemporaryFile() as errors:
        try:
            with run(command, environment, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors) as psql:
                feed(psql.stdin, before, backup.sql, out_of, progress)
        except BrokenPipeError:
            pass  # psql stopped at an error (and rolled back); its message says which
        if psql.returncode:
            errors.seek(0)
            raise click.ClickException(f"restoring {backup.archive} failed, nothing changed: "
                                       f"{first_error(errors.read())}")


def moves(backup: Checked, target: str, source_exists: bool) -> tuple[list[str], list[str]]:
    """Statements before and after the script that land the backup's tables in the target schema."""
    source = backup.schema
    if source == target:
        return [], []
    # pg_dump names the schema in every statement: restore into a schema of that name, then move the
    # tables (their sequences, indexes and constraints go along) into the target. A schema of that
    # name already here steps aside meanwhile; public never does, as pg_trgm lives there.
    aside = quoted(f"{source}_aside_{secrets.token_hex(4)}")
    renamed = source_exists and source != "public"
    before = [f"ALTER SCHEMA {quoted(source)} RENAME TO {aside};"] if renamed else []
    after = [f"ALTER TABLE {quoted(source)}.{quoted(t)} SET SCHEMA {quoted(target)};" for t in backup.tables]
    if source != "public":
        before.append(f"CREATE SCHEMA {quoted(source)};")
        after.append(f"DROP SCHEMA {quoted(source)};")  # empty by now, or it fails and nothing happened
    if renamed:
        after.append(f"ALTER SCHEMA {aside} RENAME TO {quoted(source)};")
    return before, after


def feed(stdin, before: list[str], sql: Path, after: list[str], progress: Callable[[int, int], None]) -> None:
    """Write the statements and the script to psql, moving the progress bar as the bytes go."""
    stdin.write("\n".join(before).encode() + b"\n")
    total, done = sql.stat().st_size, 0
    with open(sql, "rb") as script_file:
        while chunk := script_file.read(1 << 20):
            stdin.write(chunk)
            done += len(chunk)
            progress(done, total)
    stdin.write(b"\n" + "\n".join(after).encode() + b"\n")
