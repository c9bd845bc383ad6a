"""Test databases: built once per run, and each test's changes undone by rolling back one transaction."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tracker import create_app
from tracker.bundles import import_bundle
from tracker.db import begin_write, db

from .client import TrackerClient

ROOT = Path(__file__).resolve().parent.parent
SEED_BUNDLE = ROOT / "seeds" / "prc-embassy-2020-01-22"
SEED_DISPUTE = "china-latin-america-cooperation-2020"


def on_postgresql() -> bool:
    return os.environ.get("TRACKER_DATABASE_URL", "").startswith("postgresql")


def make_app(database_url: str) -> Flask:
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": "tracker.test",
        # The API's rate limits count on a connection of their own; tests of them switch them on.
        "API_LIMIT": None,
        "API_TOKEN_LIMIT": None,
    })
    app.test_client_class = TrackerClient
    return app


def import_seed() -> None:
    """The seed dispute, imported as `tracker import` does it: one write transaction, committed."""
    begin_write()
    import_bundle(SEED_BUNDLE)
    db.session.commit()


def honour_the_sessions_bind(session, mapper=None, clause=None, bind=None, **kwargs):
    """Session.get_bind for the tests: the connection the sessionmaker was given."""
    return bind if bind is not None else session.bind


@contextmanager
def one_transaction_rolled_back(app: Flask):
    """Every Session the app opens meanwhile works inside one transaction, rolled back at the end.

    Each Session (a view's, a CLI command's, the test's own db.session) joins it with a SAVEPOINT
    (join_transaction_mode="create_savepoint"): its commit releases the savepoint, its rollback goes
    back to it, and the outer transaction stays open until the test is over. db.engine stays the real
    engine (its dialect and events are the app's); only Sessions are bound to the test's connection.
    """
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    factory = db.session.session_factory
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(factory.kw, "bind", connection)
            patch.setitem(factory.kw, "join_transaction_mode", "create_savepoint")
            # Flask-SQLAlchemy 3.1's Session.get_bind answers db.engines[None] whatever bind the Session
            # was made with: make it honour that bind (factory.class_ is this sessionmaker's own subclass).
            patch.setattr(factory.class_, "get_bind", honour_the_sessions_bind)
            yield connection
    finally:
        outer.rollback()
        connection.close()


def empty_every_table() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@contextmanager
def restored_afterwards(app: Flask, seeded: bool):
    """For a test whose commits are real: afterwards its database is emptied (and seeded again if it was)."""
    try:
        yield
    finally:
        with app.app_context():
            empty_every_table()
            if seeded:
                import_seed()


def refresh_planner_statistics() -> None:
    """What autovacuum does on a live PostgreSQL database, done now for rows a test has just written:
    planning for the empty tables it last saw, PostgreSQL takes seconds over a thousand claims."""
    if db.engine.dialect.name == "postgresql":
        quote = db.engine.dialect.identifier_preparer.format_table
        tables = ", ".join(quote(table) for table in db.metadata.sorted_tables)  # this run's schema only
        db.session.execute(sa.text(f"ANALYZE {tables}"))
        db.session.commit()  # kept past the next rollback (inside a test's transaction, until its end)


def count_queries(fetch) -> int:
    """How many SQL statements `fetch()` runs, starting from a fresh session as a request does."""
    statements = []

    def record(_conn, _cursor, statement, *_):
        statements.append(statement)

    db.session.remove()
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        fetch()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)
