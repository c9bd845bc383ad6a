"""Fixtures: one migrated database per test run (SQLite, or a fresh PostgreSQL schema), emptied after each test."""

import os
import re
import shutil
import uuid
from pathlib import Path

import flask
import pytest
from flask.testing import FlaskClient
import sqlalchemy as sa
from flask_migrate import upgrade

from tracker import create_app
from tracker import passwords
from tests.factories import create_user
from tracker.db import db
from tracker.models import Role

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_BUNDLE = SEEDS / "prc-embassy-2020-01-22"
SEED_DISPUTE = "china-latin-america-cooperation-2020"


def on_postgresql() -> bool:
    return os.environ.get("TRACKER_DATABASE_URL", "").startswith("postgresql")


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


def make_app(database_url: str):
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": "tracker.test",
    })


@pytest.fixture(scope="session")
def app(fresh_database, tmp_path_factory):
    """The app on a database built by the migrations (the only way the schema is made)."""
    app = make_app(fresh_database())
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def empty_tables(request):
    """Each test starts from empty tables."""
    yield
    if "app" not in request.fixturenames:
        return
    # The test's own session (pytest-flask's context is still pushed): end its
    # transaction first, or on SQLite its lock would block the clean-up.
    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


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


@pytest.fixture(autouse=True)
def each_request_is_its_own(monkeypatch):
    """Every request of a test shares pytest-flask's app context, where Flask-Login caches the signed-in
    user (g._login_user) and Flask-WTF the CSRF token (g.csrf_token): forget both before each request,
    as a server would, so that each client is itself."""
    open_request = FlaskClient.open

    def fresh(self, *args, **kwargs):
        if flask.has_app_context():
            flask.g.pop("_login_user", None)
            flask.g.pop("csrf_token", None)
        return open_request(self, *args, **kwargs)

    monkeypatch.setattr(FlaskClient, "open", fresh)


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


# ---- signing in ----------------------------------------------------------------

HTTPS = "https://tracker.test"
PASSWORD = "correct horse battery staple"
# Over HTTPS, CSRF protection also checks that a POST comes from this site, as browsers say.
SAME_SITE = {"Referer": f"{HTTPS}/login"}


def token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


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


def get(client, url, status=200) -> str:
    """A page, fetched over HTTPS like a browser, checked for its status."""
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def post(client, url, data=None, page_url=None):
    """Submit like a browser: with the CSRF token of the page the form is on, and a Referer."""
    data = dict(data or {})
    data.setdefault("csrf_token", token(get(client, page_url or "/login")))
    return client.post(url, base_url=HTTPS, headers=SAME_SITE, data=data)


def sign_in(client, email="editor@example.org", password=PASSWORD, next_url="", address="192.0.2.1"):
    page = client.get("/login", base_url=HTTPS).get_data(as_text=True)
    return client.post("/login", base_url=HTTPS, environ_base={"REMOTE_ADDR": address}, headers=SAME_SITE,
                       data={"email": email, "password": password, "next": next_url, "csrf_token": token(page)})


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seed_bundle(tmp_path) -> Path:
    """A private copy of the seed bundle that a test may break."""
    return Path(shutil.copytree(SEED_BUNDLE, tmp_path / "bundle"))


@pytest.fixture
def seeded(app, runner):
    """The seed dispute, imported through the CLI."""
    result = runner.invoke(args=["import", str(SEED_BUNDLE)])
    assert result.exit_code == 0, result.output
    return SEED_DISPUTE
