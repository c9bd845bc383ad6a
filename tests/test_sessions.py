"""Sessions the server can end: signing out, a new password, deactivation, a new role, signing out everywhere,
an admin's button, an absolute lifetime and an idle timeout. A stolen cookie then opens nothing."""

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from tracker.auth.sessions import SEEN
from tracker.db import db, utcnow
from tracker.models import AccountSession, Revision, Role, User

from .client import HTTPS, PASSWORD, SAME_SITE, get, post, sign_in
from .factories import create_user

ADMIN = "admin@example.org"
NEW_PASSWORD = "a brand new passphrase"


def cookie(client) -> str:
    return client.get_cookie("session", domain="tracker.test").value


def replay(client, value: str) -> None:
    """Put a copied session cookie back, as a thief would."""
    client.set_cookie("session", value, domain="tracker.test")


def can_review(client) -> bool:
    """Whether the client's session opens an editor's page (else it is sent to sign in)."""
    response = client.get("/review", base_url=HTTPS)
    response.close()
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def admin(app):
    user = create_user(ADMIN, "Ada Admin", Role.admin, PASSWORD)
    db.session.commit()
    return user


def browser(app, email="editor@example.org", password=PASSWORD):
    client = app.test_client()
    assert sign_in(client, email=email, password=password).status_code == 302
    return client


def test_signing_out_ends_the_session_on_the_server(app, client, editor):
    assert sign_in(client).status_code == 302 and can_review(client)
    stolen = cookie(client)
    post(client, "/logout")
    assert not can_review(client)
    replay(client, stolen)
    assert not can_review(client)  # the copied cookie names a session the server ended
    assert db.session.scalar(sa.select(AccountSession.ended_because)) == "signed out"


def test_a_new_password_set_by_an_admin_signs_the_account_out_everywhere(app, editor, admin):
    editors_browser, admins = browser(app), browser(app, ADMIN)
    assert post(admins, f"/admin/users/{editor.id}/password",
                {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert not can_review(editors_browser)
    edits = sa.select(sa.func.count(Revision.id)).where(Revision.action == "edit")
    post(editors_browser, "/disputes/new", {"slug": "x", "title": "X", "status": "open", "version": "0"})
    assert db.session.scalar(edits) == 0  # the old session wrote nothing
    assert can_review(admins)  # the admin's own session goes on


@pytest.mark.parametrize("change", [{"active": ""}, {"role": "contributor"}], ids=["deactivated", "new role"])
def test_deactivating_or_changing_the_role_signs_the_account_out(app, editor, admin, change):
    editors_browser, admins = browser(app), browser(app, ADMIN)
    url = f"/admin/users/{editor.id}/edit"
    page = get(admins, url)
    state = page.split('name="state" type="hidden" value="')[1].split('"')[0]
    values = {"name": "Eve Editor", "role": "editor", "active": "y", "state": state, **change}
    assert post(admins, url, {k: v for k, v in values.items() if v != ""}).status_code == 302
    assert not can_review(editors_browser)


def test_signing_out_everywhere_ends_every_browser_of_the_account(app, editor):
    first, second = browser(app), browser(app)
    assert can_review(first) and can_review(second)
    response = post(first, "/account/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not can_review(first) and not can_review(second)


def test_an_admin_ends_the_sessions_of_an_account(app, editor, admin):
    editors_browser, admins = browser(app), browser(app, ADMIN)
    page = get(admins, f"/admin/users/{editor.id}/edit")
    assert "1 browser signed in to this account" in page
    assert post(admins, f"/admin/users/{editor.id}/sessions/end").status_code == 302
    assert not can_review(editors_browser)
    revision = db.session.scalar(sa.select(Revision).filter_by(action="sign-out"))
    assert (revision.object_id, revision.user_id, revision.after) == (editor.id, admin.id, {"sessions": "1 ended"})


def test_only_an_admin_ends_the_sessions_of_another_account(app, client, editor, contributor):
    assert sign_in(client).status_code == 302
    assert post(client, f"/admin/users/{contributor.id}/sessions/end").status_code == 403


def test_a_session_ends_after_its_lifetime(app, client, editor):
    assert sign_in(client).status_code == 302 and can_review(client)
    row = db.session.scalar(sa.select(AccountSession))
    row.created_at = utcnow() - app.config["PERMANENT_SESSION_LIFETIME"] - dt.timedelta(minutes=1)
    db.session.commit()
    assert not can_review(client)


def test_a_session_ends_after_an_idle_time_and_a_visit_keeps_it_going(app, client, editor):
    assert sign_in(client).status_code == 302
    idle = app.config["SESSION_IDLE"].total_seconds()
    with client.session_transaction(base_url=HTTPS) as session:
        session[SEEN] = int(time.time() - idle + 120)  # two minutes left
    assert can_review(client)  # a visit: the time of the last one moves on
    with client.session_transaction(base_url=HTTPS) as session:
        assert session[SEEN] > time.time() - 10
        session[SEEN] = int(time.time() - idle - 1)
    assert not can_review(client)


def test_the_csrf_secret_rotates_at_sign_in(app, client, editor):
    token_before = client.csrf_token()
    with client.session_transaction(base_url=HTTPS) as session:
        raw_before = session["csrf_token"]
    assert sign_in(client).status_code == 302
    with client.session_transaction(base_url=HTTPS) as session:
        assert session.get("csrf_token") != raw_before  # gone with the old session; a new one comes with a form
    response = client.post("/disputes/new", base_url=HTTPS, headers=SAME_SITE,
                           data={"csrf_token": token_before, "slug": "x", "title": "X", "status": "open", "version": "0"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_changing_ones_password_keeps_this_browser_and_signs_out_the_others(app, editor):
    here, elsewhere = browser(app), browser(app)
    page = get(here, "/account")
    assert "Where you are signed in" in page and page.count("(this browser)") == 1
    assert "after 12 hours,\nor after 120 minutes without a visit" in page
    refused = post(here, "/account/password", {"current": "not my password", "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert refused.status_code == 400 and "This is not your current password." in refused.get_data(as_text=True)
    assert post(here, "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                            "confirm": NEW_PASSWORD}).status_code == 302
    assert can_review(here) and not can_review(elsewhere)
    assert sign_in(app.test_client(), password=NEW_PASSWORD).status_code == 302
    assert db.session.scalar(sa.select(User.id).where(User.password_hash.like("$argon2id$%")))
