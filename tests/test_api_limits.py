"""The API's rate limits: counted in the database, so every worker of the server counts together."""

import flask
import pytest
import sqlalchemy as sa

from tracker import settings
from tracker.api import limits
from tracker.db import db
from tracker.models import ApiHit
from tracker.problems import PROBLEM_TYPE

from .client import HTTPS
from .database import make_app

# Counts are written on connections of their own: the test's rows must be committed for real.
pytestmark = pytest.mark.committed
API = "/api/v1/disputes"
START = 1_800_000_000  # a minute's start


@pytest.fixture
def clock(monkeypatch):
    now = [START + 10.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    return now


@pytest.fixture
def limited(app, monkeypatch, clock):
    monkeypatch.setitem(app.config, "API_LIMIT", (3, 60))
    monkeypatch.setitem(app.config, "API_TOKEN_LIMIT", (5, 60))
    return app


def ask(client, address="192.0.2.10", **headers):
    return client.get(API, base_url=HTTPS, environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_past_its_limit_an_address_waits_and_another_does_not(limited, client):
    answers = [ask(client) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[0].headers["RateLimit-Limit"] == "3" and answers[0].headers["RateLimit-Reset"] == "50"
    refused = answers[3]
    assert refused.content_type == PROBLEM_TYPE and refused.headers["Retry-After"] == "50"
    problem = refused.get_json()
    assert problem["status"] == 429 and "this address" in problem["detail"] and "50 seconds" in problem["detail"]
    assert refused.headers["Access-Control-Allow-Origin"] == "*"  # a script elsewhere can read why
    assert ask(client, "192.0.2.11").status_code == 200


def test_a_new_window_lets_the_caller_in_again_and_old_counts_go(limited, client, clock):
    for _ in range(4):
        ask(client)
    clock[0] += 120
    assert ask(client).status_code == 200
    with limited.app_context():
        windows = db.session.scalars(sa.select(ApiHit.window_start)).all()
    assert windows == [START + 120]


def test_two_workers_count_together(limited, client, monkeypatch):
    other = make_app(limited.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setitem(other.config, "API_LIMIT", (3, 60))
    try:
        second = other.test_client()
        statuses = [ask(client).status_code, ask(second).status_code, ask(client).status_code,
                    ask(second).status_code]
    finally:
        with other.app_context():
            db.engine.dispose()
    assert statuses == [200, 200, 200, 429]


def test_an_unchanged_answer_is_not_counted(limited, client):
    etag = ask(client).headers["ETag"]
    assert [ask(client, **{"If-None-Match": etag}).status_code for _ in range(5)] == [304] * 5
    assert ask(client).headers["RateLimit-Remaining"] == "1"


def test_a_token_is_counted_by_itself_at_its_own_limit(limited):
    with limited.test_request_context(API, environ_base={"REMOTE_ADDR": "192.0.2.10"}):
        assert limits.caller() == ("address:192.0.2.10", (3, 60), "this address")
        flask.g.api_token_id = 7  # what the bearer token's loader leaves
        assert limits.caller() == ("token:7", (5, 60), "this token")


def test_no_limit_when_switched_off(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_LIMIT", None)
    assert all(ask(client).status_code == 200 for _ in range(5))
    assert "RateLimit-Limit" not in ask(client).headers


@pytest.mark.parametrize(("text", "limit"), [("", (300, 60)), ("20/second", (20, 1)), ("5000/day", (5000, 86400)),
                                             ("off", None)])
def test_a_limit_is_set_in_the_environment(monkeypatch, text, limit):
    monkeypatch.setenv("TRACKER_API_LIMIT", text)
    assert settings.rate("TRACKER_API_LIMIT", "300/minute") == limit


@pytest.mark.parametrize("text", ["300", "lots/minute", "0/minute", "300/fortnight", "-1/hour"])
def test_a_limit_that_is_not_one_stops_the_start_naming_the_variable(monkeypatch, text):
    monkeypatch.setenv("TRACKER_API_LIMIT", text)
    with pytest.raises(ValueError, match="TRACKER_API_LIMIT"):
        settings.rate("TRACKER_API_LIMIT", "300/minute")
