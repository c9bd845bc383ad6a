"""Fixtures: two databases per run, built by the migrations, one empty and one holding the seed dispute.

A test runs on the seeded one when it asks for `seeded`, on the empty one otherwise, inside one
transaction that is rolled back at its end (tests/database.py). A test marked `committed` commits
for real, for other connections to see (threads, a served app); its database is emptied (and seeded
again) after it.
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tracker import passwords
from tracker.db import db
from tracker.models import Role

from .client import PASSWORD
from .factories import create_user
from .database import (SEED_BUNDLE, SEED_DISPUTE, import_seed, make_app, on_postgresql, one_transaction_rolled_back,
                       restored_afterwards)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "committed: the test's commits are real, for other connections to see (threads, a served "
                   "app); its database is emptied, and seeded again, after it")


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory):
    """Make empty databases on demand: SQLite files, or PostgreSQL schemas dropped at the end."""
    made: list[str] = []
    server = os.environ.get("TRACKER_DATABASE_URL")

    def make() -> str:
        if not on_postgresql():
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.sqlite3'}"
        schema = f"test_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(server)
        with engine.begin() as connection:
            # pg_trgm is database-wide: installed in a test's schema, dropping that schema (CASCADE)
            # would take the search indexes of test runs going on at the same time with it.
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            connection.exec_driver_sql("ALTER EXTENSION pg_trgm SET SCHEMA public")  # if an older run put it elsewhere
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        engine.dispose()
        made.append(schema)
        url = sa.make_url(server)
        return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

    yield make
    if made:
        engine = sa.create_engine(server)
        with engine.begin() as connection:
            for schema in made:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


def migrated_app(database_url: str, seeded: bool):
    """The app on a database built by the migrations (the only way the schema is made)."""
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        if seeded:
            import_seed()
    return app


@pytest.fixture(scope="session")
def empty_app(fresh_database):
    app = migrated_app(fresh_database(), seeded=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def seeded_app(fresh_database):
    app = migrated_app(fresh_database(), seeded=True)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(request):
    """The app on the seeded database if the test asks for `seeded`, else on the empty one; what the
    test changes is rolled back at its end (or, marked `committed`, undone by emptying and seeding)."""
    seeded = "seeded" in request.fixturenames
    app = request.getfixturevalue("seeded_app" if seeded else "empty_app")
    if request.node.get_closest_marker("committed"):
        with restored_afterwards(app, seeded):
            yield app
    else:
        with one_transaction_rolled_back(app):
            yield app


@pytest.fixture
def seeded(app):
    """The seed dispute (imported once per run): asking for it puts the test on the seeded database."""
    return SEED_DISPUTE


class OncePerPassword:
    """The real hasher, asked once per password and once per (hash, password) pair in a run.

    argon2id at 64 MiB takes about 0.2 s a call and nearly every test creates an account and
    signs in: remembering answers of a deterministic check keeps minutes off each run, and the
    hashes are still real argon2id hashes (tests/test_auth.py checks their parameters).
    """

    def __init__(self, hasher):
        self.hasher, self.hashes, self.verdicts = hasher, {}, {}

    def hash(self, password: str) -> str:
        if password not in self.hashes:
            self.hashes[password] = self.hasher.hash(password)
        return self.hashes[password]

    def verify(self, stored: str, password: str) -> bool:
        key = (stored, password)
        if key not in self.verdicts:
            try:
                self.verdicts[key] = self.hasher.verify(stored, password)
            except Exception as error:  # remembered too: a wrong password raises every time
                self.verdicts[key] = error
        if isinstance(self.verdicts[key], Exception):
            raise self.verdicts[key]
        return self.verdicts[key]


@pytest.fixture(autouse=True, scope="session")
def password_hashing_once_per_password():
    real = passwords.HASHER
    passwords.HASHER = OncePerPassword(real)
    yield
    passwords.HASHER = real


@pytest.fixture
def editor(app):
    user = create_user("Editor@Example.org", "Eve Editor", Role.editor, PASSWORD)
    db.session.commit()
    return user


@pytest.fixture
def contributor(app):
    user = create_user("contributor@example.org", "Cody Contributor", Role.contributor, PASSWORD)
    db.session.commit()
    return user


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seed_bundle(tmp_path) -> Path:
    """A private copy of the seed bundle that a test may break."""
    return Path(shutil.copytree(SEED_BUNDLE, tmp_path / "bundle"))


def pytest_terminal_summary(terminalreporter):
    """How many requests the route fuzz test sent (tests/test_fuzz_routes.py), and what they were answered."""
    sent, statuses = 0, {}
    reports = [report for kind in terminalreporter.stats.values() for report in kind]
    for report in reports:
        if getattr(report, "when", None) != "teardown":  # recorded by a fixture's teardown: on that report
            continue
        properties = dict(getattr(report, "user_properties", ()))
        sent += properties.get("fuzz requests", 0)
        for status, count in properties.get("fuzz statuses", {}).items():
            statuses[status] = statuses.get(status, 0) + count
    if sent:
        answers = ", ".join(f"{count:,} × {status}" for status, count in sorted(statuses.items()))
        terminalreporter.write_line(f"route fuzz: {sent:,} requests sent, answered {answers}")
