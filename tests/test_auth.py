"""Accounts and the security defaults: passwords, sign-in throttling, cookies, CSRF, redirects, headers."""

import re

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Role, User
from tracker.security import safe_next

from .client import HTTPS, PASSWORD, SAME_SITE, sign_in
from .database import SEED_DISPUTE
from .forms import form_values


def test_passwords_are_hashed_with_argon2id_above_owasp_minimum(editor):
    params = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", editor.password_hash)
    assert params, editor.password_hash
    memory, passes, lanes = map(int, params.groups())
    assert memory >= 19 * 1024 and passes >= 2 and lanes >= 1
    assert PASSWORD not in editor.password_hash


def test_cli_creates_an_account_asking_for_the_password_twice(app, runner):
    result = runner.invoke(args=["user", "create", "Ann@Example.org", "--role", "editor"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "created editor ann@example.org" in result.output and PASSWORD not in result.output
    user = db.session.scalar(sa.select(User).filter_by(email="ann@example.org"))
    assert user.role is Role.editor and user.password_hash.startswith("$argon2id$")

    again = runner.invoke(args=["user", "create", "ann@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 1 and "there is already an account for ann@example.org" in again.output
    short = runner.invoke(args=["user", "create", "bob@example.org"], input="short\nshort\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert runner.invoke(args=["user", "create", "c@example.org", "--role", "king"]).exit_code == 2
    bad = runner.invoke(args=["user", "create", "not-an-address"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert bad.exit_code == 1 and '"not-an-address" is not an email address' in bad.output


def test_signing_in_sets_a_strict_session_cookie_and_follows_a_safe_next(client, editor):
    response = sign_in(client, next_url=f"/disputes/{SEED_DISPUTE}?tag=jobs")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/disputes/{SEED_DISPUTE}?tag=jobs"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    page = client.get("/", base_url=HTTPS).get_data(as_text=True)
    assert "Eve Editor, editor" in page and "Sign out" in page


def test_a_wrong_password_is_refused_without_saying_which_part_is_wrong(client, editor):
    for email, password in [("editor@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)]:
        response = sign_in(client, email=email, password=password)
        assert response.status_code == 401
        assert "The email or the password is not right." in response.get_data(as_text=True)


def test_an_inactive_account_cannot_sign_in(client, editor):
    editor.active = False
    db.session.commit()
    assert sign_in(client).status_code == 401


def test_sign_in_needs_the_csrf_token(client, editor):
    response = client.post("/login", base_url=HTTPS, headers=SAME_SITE,
                           data={"email": "editor@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF token is missing" in response.get_data(as_text=True)


def test_signing_out_is_a_post_with_a_token(client, editor):
    sign_in(client)
    assert client.get("/logout", base_url=HTTPS).status_code == 405
    client.post("/logout", base_url=HTTPS, headers=SAME_SITE)  # no token: nothing happens
    page = client.get("/", base_url=HTTPS).get_data(as_text=True)
    assert "Sign out" in page
    client.post("/logout", base_url=HTTPS, headers=SAME_SITE, data=form_values(page, action="/logout"))
    assert "Sign in" in client.get("/", base_url=HTTPS).get_data(as_text=True)


@pytest.mark.parametrize("target", ["/", "/disputes/x", "/search?q=a%20b", "/disputes/x#claim-y"])
def test_next_may_go_anywhere_on_the_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/", "http:evil",
                                    "javascript:alert(1)", "evil.example", "/\t/evil.example", "/\\/evil", "", None])
def test_next_never_leaves_the_site(target):
    assert safe_next(target) is None


def test_an_unsafe_next_lands_on_the_home_page(client, editor):
    response = sign_in(client, next_url="//evil.example/")
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("url", ["/", f"/disputes/{SEED_DISPUTE}", f"/disputes/{SEED_DISPUTE}/claims/embassy-groundless",
                                 f"/disputes/{SEED_DISPUTE}/map.svg", "/search?q=china", "/static/style.css", "/login",
                                 "/no-such-page"])
def test_every_response_carries_the_security_headers(client, seeded, url):
    response = client.get(url)
    headers = response.headers
    response.close()
    policy = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
