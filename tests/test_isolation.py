"""Each test starts from its database's baseline, whatever the tests before it committed.

Each test here runs twice: the second turn fails if the first one's changes (committed by a view,
a CLI command and the test itself) were left behind. The committed turns run first, so the
rolled-back ones also check that a committed test's database was emptied and seeded again.
"""

import tomllib

import pytest
import sqlalchemy as sa

from tests.factories import create_user
from tracker.db import db
from tracker.models import Claim, Dispute, Revision, Role, User

from . import factories
from .client import PASSWORD, post, sign_in
from .database import SEED_BUNDLE, SEED_DISPUTE

TURNS = ["first", "second"]
BUNDLE = tomllib.loads((SEED_BUNDLE / "dispute.toml").read_text(encoding="utf-8"))


def count(model, connection=None) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    if model is Revision:  # the seed's import is history too: count what the tests' people did
        query = query.where(Revision.source.is_(None))
    return (connection or db.session).scalar(query)


def row_counts() -> dict[str, int]:
    return {table.name: count(table) for table in db.metadata.sorted_tables}


def assert_the_seed_and_nothing_else() -> None:
    db.session.expire_all()
    assert db.session.scalar(sa.select(Dispute.title)) == BUNDLE["dispute"]["title"]
    assert (count(Dispute), count(Claim)) == (1, len(BUNDLE["claims"]))
    assert (count(User), count(Revision)) == (0, 0)


def commit_a_change_three_ways(client, runner) -> None:
    """A user made and committed by the test, one by the CLI, and a dispute edit committed by a view."""
    create_user("editor@example.org", "Eve Editor", Role.editor, PASSWORD)
    db.session.commit()
    result = runner.invoke(args=["user", "create", "cli@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert sign_in(client).status_code == 302
    response = post(client, f"/disputes/{SEED_DISPUTE}/edit", {
        "slug": SEED_DISPUTE, "title": "Changed by a view", "summary": "", "status": "open", "tags": "",
        "version": str(db.session.scalar(sa.select(Dispute.version)))})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Dispute.title)) == "Changed by a view"
    assert (count(User), count(Revision)) == (2, 1)


@pytest.mark.committed
@pytest.mark.parametrize("turn", TURNS)
def test_a_committed_test_leaves_the_seed_behind_it(client, runner, seeded, turn):
    assert_the_seed_and_nothing_else()
    commit_a_change_three_ways(client, runner)
    with db.engine.connect() as other:  # committed for real: another connection sees it
        assert count(User, other) == 2


@pytest.mark.parametrize("turn", TURNS)
def test_what_a_test_commits_on_the_seed_is_gone_in_the_next_test(client, runner, seeded, turn):
    assert_the_seed_and_nothing_else()
    commit_a_change_three_ways(client, runner)
    with db.engine.connect() as other:  # released savepoints only: the test's transaction is still open
        assert count(User, other) == 0


@pytest.mark.parametrize("turn", TURNS)
def test_what_a_test_commits_on_the_empty_database_is_gone_in_the_next_test(client, runner, turn):
    assert set(row_counts().values()) == {0}
    factories.statement(factories.dispute("made-by-the-test"))
    db.session.commit()
    result = runner.invoke(args=["import", str(SEED_BUNDLE)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert count(Dispute) == 2 and count(Claim) == len(BUNDLE["claims"])
