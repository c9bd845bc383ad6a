"""`tracker backup` and `tracker restore`: every row comes back, bad files and full databases are refused."""

import os
import sqlite3
import stat
import subprocess

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from tracker import backup_postgresql
from tracker.backup import tracker_tables
from tracker.database import MIGRATIONS
from tracker.db import db
from tracker.models import (
    AccountSession, ApiHit, ApiToken, Claim, Correction, CorrectionKind, Dispute, Evidence, LinkCheck, LoginFailure, Rating, ReviewStatus, Revision, Verdict,
    VerdictEvidence,
)

from .database import make_app, on_postgresql
from .test_migrations import schema_drift

# The newest migration, and an older one a backup can come from.
# A backup is made and restored through connections of its own: the rows must be committed for real.
pytestmark = pytest.mark.committed

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
BEFORE_HEAD = "b4e8d1a7c362"


def cli(app, *args):
    """Run a `tracker` command against `app` (not the test session's app)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def tables(app) -> dict[str, list]:
    """Every table of the app's database, row for row, in primary-key order."""
    with app.app_context(), db.engine.connect() as connection:
        rows = {table.name: [dict(row) for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns)).mappings()]
                for table in db.metadata.sorted_tables}
        rows["alembic_version"] = connection.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
    return rows


@pytest.fixture
def new_database(fresh_database):
    """Make apps on fresh databases (migrated unless asked not to); their connections closed at the end."""
    apps = []

    def make(migrated: bool = True):
        app = make_app(fresh_database())
        if migrated:
            with app.app_context():
                upgrade()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def full(app, seeded, editor):
    """The seed dispute plus a row in every table: a revision, a correction, a verdict, a merge, a review."""
    evidence = db.session.scalars(sa.select(Evidence)).first()
    dispute = db.session.scalars(sa.select(Dispute)).one()
    revision = Revision(action="edit", object_type="claim", object_id=evidence.claim_id, user_id=editor.id,
                        before={"summary": "old"}, after={"summary": "new"})
    db.session.add(revision)
    db.session.flush()
    db.session.add(Correction(dispute_id=dispute.id, object_type="claim", object_id=evidence.claim_id,
                              kind=CorrectionKind.update, reason="A better source.", revision_id=revision.id))
    verdict = Verdict(claim_id=evidence.claim_id, rating=Rating.mixed, explanation="Partly.", set_by_id=editor.id)
    db.session.add(verdict)
    db.session.flush()
    db.session.add(VerdictEvidence(verdict_id=verdict.id, evidence_id=evidence.id, claim_id=evidence.claim_id))
    duplicate, survivor = db.session.scalars(sa.select(Claim).where(Claim.id != evidence.claim_id).limit(2))
    duplicate.merged_into_id, duplicate.deleted_at = survivor.id, revision.created_at
    survivor.review = ReviewStatus.rejected
    survivor.review_reason = "Not in the text."
    db.session.add(LoginFailure(email="mallory@example.org", address="192.0.2.9"))
    db.session.add(AccountSession(user_id=editor.id, token_hash="0" * 64, address="192.0.2.10"))
    db.session.add(ApiHit(key="address:192.0.2.11", window_start=1_800_000_000, hits=3))
    db.session.add(ApiToken(user_id=editor.id, name="script", prefix="trk_abcdef", token_hash="1" * 64))
    db.session.add(LinkCheck(evidence_id=evidence.id, url=evidence.url, status=200, redirects=[],
                             checked_at=revision.created_at))
    db.session.commit()
    rows = tables(app)
    assert all(rows.values()), [name for name, table in rows.items() if not table]
    return rows


@pytest.fixture
def backup_file(app, full, runner, tmp_path):
    path = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_a_backup_is_private_and_restores_every_row_of_every_table(app, full, runner, new_database, tmp_path):
    path = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    rows = sum(len(table) for table in full.values())
    assert result.stdout.startswith(f"backed up {len(full)} tables, {rows:,} rows to {path} (")
    assert len(result.stdout.splitlines()) == 1  # not a terminal: no progress, one line
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds password hashes

    target = new_database()
    result = cli(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"restored {len(full)} tables, {rows:,} rows from {path}\n"
    assert tables(target) == full
    # The search index came along (SQLite copies it; PostgreSQL builds its indexes again).
    page = target.test_client().get("/search?q=mutual respect").get_data(as_text=True)
    assert "/claims/embassy-mutual-respect" in page


def test_backup_refuses_to_overwrite_a_file_unless_forced(app, seeded, runner, tmp_path):
    path = tmp_path / "tracker.backup"
    path.write_text("an older backup")
    path.chmod(0o644)
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path} exists; add --force to overwrite it\n"
    assert path.read_text() == "an older backup"

    result = runner.invoke(args=["backup", "--force", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"PGDMP" if on_postgresql() else b"SQLite format 3")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tracker.backup"]  # no draft left behind


@pytest.mark.parametrize("where, problem", [
    ("", "is a directory"),
    ("missing/tracker.backup", "cannot write {path}: No such file or directory"),
    ("a-file/tracker.backup", "cannot write {path}: Not a directory"),
])
def test_backup_refuses_a_path_it_cannot_write_plainly(app, seeded, runner, tmp_path, where, problem):
    (tmp_path / "a-file").write_text("")
    path = tmp_path / where
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and problem.format(path=path) in result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback


def test_restore_refuses_a_database_holding_rows_unless_told_to_replace(backup_file, full, new_database):
    target = new_database()
    with target.app_context():
        db.session.add(Dispute(slug="other", title="Another dispute"))
        db.session.commit()
    before = tables(target)
    result = cli(target, "restore", str(backup_file))
    assert result.exit_code == 1
    assert result.output == ("Error: the database is not empty (dispute hold rows); "
                             "add --replace to replace everything in it with the backup\n")
    assert tables(target) == before

    result = cli(target, "restore", "--replace", str(backup_file))
    assert result.exit_code == 0, result.output
    assert tables(target) == full


def test_a_database_without_tables_counts_as_empty(backup_file, full, new_database):
    target = new_database(migrated=False)
    result = cli(target, "restore", str(backup_file))
    assert result.exit_code == 0, result.output
    assert tables(target) == full


def test_a_backup_of_an_older_version_is_restored_and_migrated(new_database, tmp_path):
    source = new_database(migrated=False)
    with source.app_context():
        upgrade(revision=BEFORE_HEAD)
        db.session.execute(sa.text("INSERT INTO actor (slug, name, kind) VALUES ('ann', 'Ann', 'person')"))
        db.session.execute(sa.text("INSERT INTO dispute (slug, title, summary, status, created_at, updated_at) "
                                   "VALUES ('old', 'An old dispute', '', 'open', :now, :now)"),
                           {"now": "2020-01-22 10:00:00"})
        db.session.commit()
    path = tmp_path / "old.backup"
    assert cli(source, "backup", str(path)).exit_code == 0

    target = new_database(migrated=False)
    result = cli(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"restored {len(tracker_tables())} tables, 3 rows from {path}; "
                             f"migrated from revision {BEFORE_HEAD} to {HEAD}\n")
    with target.app_context():
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == HEAD
        assert schema_drift() == []
        assert db.session.scalars(sa.select(Dispute.title)).all() == ["An old dispute"]
        assert db.session.scalar(sa.text("SELECT name FROM actor")) == "Ann"


def test_a_backup_of_a_newer_version_is_refused(new_database, tmp_path):
    source = new_database()
    with source.app_context():
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dcafe1234'"))
        db.session.commit()
    path = tmp_path / "newer.backup"
    assert cli(source, "backup", str(path)).exit_code == 0
    target = new_database(migrated=False)
    result = cli(target, "restore", str(path))
    assert result.exit_code == 1
    assert result.output == (f"Error: {path} was made by another version of the tracker: "
                             "its schema revision f00dcafe1234 is unknown here\n")
    with target.app_context():
        assert sa.inspect(db.engine).get_table_names() == []


def foreign_database(path, fresh_database) -> None:
    """A sound database file of the engine in use that is not the tracker's."""
    if not on_postgresql():
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
            other.execute("INSERT INTO note (text) VALUES ('hello')")
        return
    url = sa.make_url(fresh_database())
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (id serial PRIMARY KEY, text text)")
    engine.dispose()
    schema = url.query["options"].removeprefix("-csearch_path=")
    database, environment = backup_postgresql.connection(url)
    with open(path, "wb") as out:
        subprocess.run(["pg_dump", "-Fc", "-n", schema, *database], env=environment, stdout=out, check=True)


def other_engine(path, _fresh_database) -> None:
    """A backup made for the other kind of database."""
    if on_postgresql():
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    else:
        path.write_bytes(b"PGDMP" + os.urandom(4000))


BAD_FILES = {
    "missing": (lambda path, _: None, "cannot read {path}: No such file or directory"),
    "a directory": (lambda path, _: path.mkdir(), "cannot read {path}: Is a directory"),
    "empty": (lambda path, _: path.write_bytes(b""), "{path} is empty: not a tracker backup"),
    "random": (lambda path, _: path.write_bytes(os.urandom(50_000)), "{path} is not a tracker backup"),
    "a foreign database": (foreign_database, "{path} is not a tracker backup: it has no alembic_version table"),
    "for the other engine": (other_engine, "{path} is a backup of a"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(backup_file, full, new_database,
                                                                  fresh_database, tmp_path, kind):
    make_file, problem = BAD_FILES[kind]
    path = tmp_path / "bad.backup"
    make_file(path, fresh_database)
    target = new_database()
    assert cli(target, "restore", str(backup_file)).exit_code == 0
    result = cli(target, "restore", "--replace", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + problem.format(path=path)), result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert tables(target) == full


@pytest.mark.parametrize("keep", [0.5, 0.99, -1])
def test_restore_refuses_a_backup_cut_short_and_changes_nothing(backup_file, full, new_database, tmp_path, keep):
    whole = backup_file.read_bytes()
    path = tmp_path / "cut.backup"
    path.write_bytes(whole[:int(len(whole) * keep)] if keep > 0 else whole[:keep])
    target = new_database()
    with target.app_context():
        db.session.add(Dispute(slug="kept", title="Kept"))
        db.session.commit()
    before = tables(target)
    result = cli(target, "restore", "--replace", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path} is cut short or damaged: "), result.output
    assert tables(target) == before


def test_a_database_of_another_kind_is_refused_plainly(app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(db.engine.dialect, "name", "mysql")
    for command in ("backup", "restore"):
        result = runner.invoke(args=[command, str(tmp_path / "tracker.backup")])
        assert result.exit_code == 1
        assert result.output == "Error: backup and restore work on SQLite and PostgreSQL, not on mysql\n"
