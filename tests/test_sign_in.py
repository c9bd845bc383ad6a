"""Signing in slows guessing down and never locks the owner out (OWASP's throttling with device cookies);
the password is checked outside any write transaction, and a refusal says when to try again."""

import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa

from tracker import passwords
from tracker.auth import throttle
from tracker.auth.sessions import DEVICE_COOKIE
from tracker.db import db, utcnow
from tracker.models import LoginFailure

from .client import HTTPS, PASSWORD, SAME_SITE, post, sign_in
from .database import on_postgresql
from .test_serving import configured_otherwise

WRONG = "not the password at all"


def fail(client, times: int, **kwargs) -> None:
    for _ in range(times):
        assert sign_in(client, password=WRONG, **kwargs).status_code == 401


def held_back(response) -> int:
    """The seconds a 429 asks to wait (it must say)."""
    assert response.status_code == 429, response.status_code
    assert "Too many failed sign-ins to this account from here. Try again in" in response.get_data(as_text=True)
    return int(response.headers["Retry-After"])


def test_failures_from_one_address_hold_that_address_back_not_the_owner_elsewhere(app, client, editor):
    fail(client, throttle.PAIR_LIMIT, address="198.51.100.7")
    wait = held_back(sign_in(client, address="198.51.100.7"))  # even with the right password
    assert 0 < wait <= throttle.PAIR_WINDOW.total_seconds()
    assert sign_in(app.test_client(), address="203.0.113.5").status_code == 302


def test_an_account_guessed_at_from_many_addresses_still_lets_its_owner_in(app, client, editor):
    for i in range(throttle.ACCOUNT_BRAKE):
        fail(client, 1, address=f"198.51.100.{i}")
    held_back(sign_in(client, address="198.51.100.3"))  # an address that failed on it waits...
    owner = app.test_client()
    assert sign_in(owner, address="203.0.113.9").status_code == 302  # ...an address that did not, does not
    attacker = app.test_client()
    fail(attacker, 1, address="192.0.2.200")  # a new address gets one guess
    held_back(sign_in(attacker, password=WRONG, address="192.0.2.200"))


def test_an_address_trying_many_accounts_is_held_back(app, client, editor):
    for i in range(throttle.ADDRESS_LIMIT):
        assert sign_in(client, email=f"guess{i}@example.org", password=WRONG, address="198.51.100.50").status_code == 401
    response = sign_in(client, email="yet-another@example.org", password=WRONG, address="198.51.100.50")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert sign_in(app.test_client(), address="198.51.100.51").status_code == 302


def test_a_browser_the_owner_signed_in_from_is_not_held_back_by_others_at_its_address(app, editor):
    owner = app.test_client()
    assert sign_in(owner, address="192.0.2.50").status_code == 302
    assert owner.get_cookie(DEVICE_COOKIE, domain="tracker.test") is not None
    post(owner, "/logout")
    attacker = app.test_client()  # the same address (one office, one proxy), no device cookie
    fail(attacker, throttle.PAIR_LIMIT, address="192.0.2.50")
    held_back(sign_in(attacker, address="192.0.2.50"))
    assert sign_in(owner, address="192.0.2.50").status_code == 302


def test_a_device_cookie_is_held_back_by_its_own_failures(app, editor):
    browser = app.test_client()
    assert sign_in(browser).status_code == 302
    post(browser, "/logout")
    fail(browser, throttle.DEVICE_LIMIT, address="192.0.2.60")
    held_back(sign_in(browser, address="192.0.2.61"))  # another address does not help it
    assert sign_in(app.test_client(), address="192.0.2.62").status_code == 302


def test_a_forged_device_cookie_counts_for_nothing(app, client, editor):
    client.set_cookie(DEVICE_COOKIE, "forged", domain="tracker.test")
    fail(client, throttle.PAIR_LIMIT, address="192.0.2.70")
    held_back(sign_in(client, address="192.0.2.70"))


def test_failures_older_than_the_window_do_not_count(app, client, editor):
    long_ago = utcnow() - throttle.PAIR_WINDOW - dt.timedelta(minutes=1)
    db.session.add_all([LoginFailure(email="editor@example.org", address="192.0.2.1", at=long_ago)
                        for _ in range(throttle.PAIR_LIMIT)])
    db.session.commit()
    assert sign_in(client).status_code == 302


def test_a_sign_in_that_works_forgets_the_owners_own_failures(app, client, editor):
    fail(client, throttle.PAIR_LIMIT - 1)
    assert sign_in(client).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(LoginFailure.id))) == 0


@pytest.mark.committed
@pytest.mark.skipif(on_postgresql(), reason="SQLite's write lock is one for the whole database")
def test_the_password_is_checked_while_another_writer_may_write(app, client, editor, monkeypatch):
    """Sign-in held the write lock through argon2 (a fifth of a second): concurrent sign-ins stalled the site."""
    database = db.engine.url.database
    writes = []
    verify = passwords.verify_password

    def verify_while_someone_writes(stored, password):
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if the sign-in holds the write lock
            other.execute("ROLLBACK")
            writes.append("written")
        finally:
            other.close()
        return verify(stored, password)

    monkeypatch.setattr("tracker.auth.services.verify_password", verify_while_someone_writes)
    assert sign_in(client, password=WRONG).status_code == 401
    assert sign_in(client).status_code == 302
    assert writes == ["written", "written"]


def test_the_sign_in_page_of_a_held_back_address_costs_no_password_check(app, client, editor, monkeypatch):
    fail(client, throttle.PAIR_LIMIT, address="198.51.100.8")
    checks = []
    monkeypatch.setattr("tracker.auth.services.verify_password", lambda *args: checks.append(args) or False)
    held_back(sign_in(client, address="198.51.100.8"))
    assert checks == []  # refused before argon2: guessing cannot make the site spend its time


def test_behind_a_trusted_proxy_each_reader_is_held_back_by_their_own_address(app, editor):
    """Without TRACKER_TRUSTED_PROXIES every reader is the proxy: one guesser would hold everyone back."""
    behind = configured_otherwise(app, TRUSTED_PROXIES=1)

    def attempt(client, forwarded: str, password: str):
        return client.post("/login", base_url=HTTPS, environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={
            **SAME_SITE, "X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"}, data={
            "email": "editor@example.org", "password": password, "csrf_token": client.csrf_token()})

    guesser = behind.test_client()
    for _ in range(throttle.PAIR_LIMIT):
        assert attempt(guesser, "198.51.100.20", WRONG).status_code == 401
    held_back(attempt(guesser, "198.51.100.20", WRONG))
    assert attempt(behind.test_client(), "203.0.113.21", PASSWORD).status_code == 302  # the owner, elsewhere
    stored = {row.address for row in db.session.scalars(sa.select(LoginFailure))}
    assert stored == {"198.51.100.20"}  # the client's own address, not the proxy's
