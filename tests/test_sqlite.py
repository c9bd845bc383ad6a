"""SQLite as the embedded database: WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE for writes."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tracker.db import begin_write, db
from tracker.models import Dispute

from .database import make_app, on_postgresql

pytestmark = pytest.mark.skipif(on_postgresql(), reason="SQLite connection rules")


def statements_run(action) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    with db.engine.connect() as connection:
        def pragma(name):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


@pytest.mark.committed  # real transactions: inside the test's own, the session would only make savepoints
def test_write_transactions_begin_immediate_and_reads_deferred(app):
    def read_then_write():
        db.session.execute(sa.text("SELECT 1"))
        begin_write()  # ends the read transaction, opens a write one
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()

    begins = [s for s in statements_run(read_then_write) if s.startswith("BEGIN")]
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]


def test_begin_write_refuses_to_drop_pending_changes(app):
    db.session.add(Dispute(slug="pending", title="Pending"))
    with pytest.raises(RuntimeError, match="changes pending"):
        begin_write()
    db.session.rollback()


def test_concurrent_read_modify_write_transactions_all_succeed(fresh_database):
    """Four writers incrementing one counter: no "database is locked", no lost update."""
    app = make_app(fresh_database())
    with app.app_context():
        upgrade()
        db.session.add(Dispute(slug="counter", title="0"))
        db.session.commit()
    errors: list[Exception] = []

    def writer():
        with app.app_context():
            for _ in range(25):
                try:
                    begin_write()
                    counter = db.session.scalar(sa.select(Dispute).filter_by(slug="counter"))
                    counter.title = str(int(counter.title) + 1)
                    db.session.commit()
                except Exception as error:  # collected and reported below
                    db.session.rollback()
                    errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert errors == []
        assert db.session.scalar(sa.select(Dispute.title).filter_by(slug="counter")) == "100"
        db.engine.dispose()
