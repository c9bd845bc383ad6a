"""Backup and restore on PostgreSQL: the client tools, one transaction, a database without pg_trgm."""

import uuid

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Dispute

from .database import make_app, on_postgresql
from .test_backup import backup_file, cli, full, new_database, tables  # noqa: F401  (fixtures shared with it)

pytestmark = [pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL only"), pytest.mark.committed]


@pytest.mark.parametrize("command, tool", [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_missing_client_tools_are_named_with_how_to_install_them(app, seeded, runner, tmp_path, monkeypatch,
                                                                  command, tool):
    path = tmp_path / "tracker.backup"
    if command == "restore":
        assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run in there
    result = runner.invoke(args=[command, str(path), "--force" if command == "backup" else "--replace"])
    assert result.exit_code == 1
    assert result.output == f"Error: {tool} is not installed (on Debian: apt-get install postgresql-client)\n"


def test_a_restore_failing_part_way_changes_nothing(app, full, runner, new_database, tmp_path):
    # A summary bigger than a pipe's buffer: psql stops reading while the script is still being sent.
    db.session.execute(sa.update(Dispute).values(summary="word " * 100_000))
    db.session.commit()
    path = tmp_path / "tracker.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    target = new_database()
    assert cli(target, "restore", str(path)).exit_code == 0
    with target.app_context():
        db.session.execute(sa.text("CREATE VIEW claims_per_dispute AS SELECT dispute_id, count(*) FROM claim "
                                   "GROUP BY dispute_id"))
        db.session.commit()
    before = tables(target)

    result = cli(target, "restore", "--replace", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: restoring {path} failed, nothing changed: ")
    assert "DETAIL:  view claims_per_dispute depends on table claim" in result.output
    assert tables(target) == before
    with target.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM claims_per_dispute")) == 1


@pytest.fixture
def new_postgresql_database():
    """A database of its own (no pg_trgm in it), dropped at the end."""
    server = sa.make_url(db.engine.url.render_as_string(hide_password=False)).difference_update_query(["options"])
    name = f"tracker_restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    admin.dispose()


def test_a_restore_into_a_new_database_creates_pg_trgm_for_the_search(backup_file, full, new_postgresql_database):
    target = make_app(new_postgresql_database)
    with target.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")) == 0
    result = cli(target, "restore", str(backup_file))
    assert result.exit_code == 0, result.output
    assert tables(target) == full
    with target.app_context():
        assert db.session.scalar(sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                         "WHERE extname = 'pg_trgm'")) == "public"
        assert db.session.scalar(sa.text("SELECT current_schema()")) == "public"
        page = target.test_client().get("/search?q=mutual respect").get_data(as_text=True)
        assert "/claims/embassy-mutual-respect" in page
        db.session.remove()
        db.engine.dispose()
