"""Personal API tokens: made on the account page (shown once, kept as a hash), revoked there, refused once
revoked or expired, or when what ends an account's sessions happens; the API answers a bad token with 401."""

import datetime as dt
import hashlib
import re

import pytest
import sqlalchemy as sa

from tracker.core import By
from tracker.core.accounts import edit_account, set_password, sign_out_everywhere
from tracker.core.tokens import create_token
from tracker.db import db, in_utc, utcnow
from tracker.models import ApiToken, Revision, Role, User

from .client import HTTPS, PASSWORD, get, post, sign_in
from .factories import create_user

TOKEN = re.compile(r'<code class="token">(trk_[A-Za-z0-9_-]+)</code>')


def browser(app, email="editor@example.org"):
    client = app.test_client()
    assert sign_in(client, email=email).status_code == 302
    return client


def make_on_page(client, name="import script", days="90") -> str:
    """Make a token on the account page; the token shown."""
    response = post(client, "/account/tokens", {"name": name, "days": days}, page_url="/account")
    page = response.get_data(as_text=True)
    assert response.status_code == 201, page
    assert response.headers["Cache-Control"] == "no-store"  # no cache keeps the page that shows it
    return TOKEN.search(page).group(1)


def api_get(client, token: str | None, url="/api/v1/"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, base_url=HTTPS, headers=headers)


def token_of(user: User, **kwargs) -> str:
    """A token made through the core (as the page does), committed."""
    _, raw = create_token(user, name=kwargs.pop("name", "script"), days=kwargs.pop("days", 90),
                          by=By.account(user))
    db.session.commit()
    return raw


def test_a_token_is_shown_once_kept_as_a_hash_and_opens_the_api(app, editor):
    client = browser(app)
    raw = make_on_page(client)
    assert raw.startswith("trk_") and len(raw) > 40
    stored = db.session.scalar(sa.select(ApiToken))
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.name, stored.prefix, stored.token_hash} and raw.startswith(stored.prefix)
    assert in_utc(stored.expires_at) - utcnow() > dt.timedelta(days=89)
    page = get(client, "/account")
    assert "import script" in page and stored.prefix in page
    assert raw not in page  # shown once: never again
    assert api_get(app.test_client(), raw).status_code == 200


def test_the_page_showing_a_token_reloaded_makes_no_second_one(app, editor):
    client = browser(app)
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', get(client, "/account")).group(1)
    form = {"name": "import script", "days": "90", "once": once}
    first = post(client, "/account/tokens", form, page_url="/account")
    assert first.status_code == 201 and TOKEN.search(first.get_data(as_text=True))
    again = post(client, "/account/tokens", form, page_url="/account")
    assert again.status_code == 302 and db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1
    assert "This form was sent again" in get(client, "/account")
    assert post(client, "/account/tokens", {**form, "once": "another page"}, page_url="/account").status_code == 201


def test_the_history_says_a_token_was_made_and_revoked_but_never_holds_it(app, editor):
    client = browser(app)
    raw = make_on_page(client, "nightly")
    token_id = db.session.scalar(sa.select(ApiToken.id))
    assert post(client, f"/account/tokens/{token_id}/revoke", page_url="/account").status_code == 302
    revisions = db.session.scalars(sa.select(Revision).where(Revision.object_type == "user")
                                   .order_by(Revision.id)).all()
    assert [(r.action, r.object_id, r.user_id) for r in revisions] == [("token", editor.id, editor.id),
                                                                       ("token-revoke", editor.id, editor.id)]
    assert "“nightly”" in revisions[0].after["api token"] and raw not in str([r.after for r in revisions])


def test_making_or_revoking_a_token_needs_the_page_s_csrf_token(app, editor):
    client = browser(app)
    response = client.post("/account/tokens", base_url=HTTPS, headers={"Referer": HTTPS + "/account"},
                           data={"name": "forged", "days": "90"})
    assert response.status_code == 400 and db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    raw = token_of(editor)
    token_id = db.session.scalar(sa.select(ApiToken.id))
    response = client.post(f"/account/tokens/{token_id}/revoke", base_url=HTTPS,
                           headers={"Referer": HTTPS + "/account"})
    assert response.status_code == 400 and api_get(client, raw).status_code == 200


@pytest.mark.parametrize("fields, message", [
    ({"name": "", "days": "90"}, "This field is required."),
    ({"name": "tab\there", "days": "90"}, "invisible character"),
    ({"name": "x" * 101, "days": "90"}, "at most 100"),
    ({"name": "ok", "days": "7"}, "Not a valid choice"),
])
def test_a_token_s_name_and_lifetime_are_checked_beside_their_field(app, editor, fields, message):
    response = post(browser(app), "/account/tokens", fields, page_url="/account")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_a_revoked_token_is_refused_with_401_and_its_reason(app, editor):
    client = browser(app)
    raw = make_on_page(client)
    token_id = db.session.scalar(sa.select(ApiToken.id))
    response = post(client, f"/account/tokens/{token_id}/revoke", page_url="/account")
    assert response.status_code == 302
    assert "revoked" in get(client, "/account") and "You have no API token." in get(client, "/account")
    refused = api_get(app.test_client(), raw)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="tracker", error="invalid_token"'
    assert refused.content_type == "application/problem+json" and "revoked" in refused.json["detail"]


def test_no_one_revokes_another_account_s_token_from_their_page(app, editor, contributor):
    raw = token_of(contributor)
    token_id = db.session.scalar(sa.select(ApiToken.id))
    assert post(browser(app), f"/account/tokens/{token_id}/revoke", page_url="/account").status_code == 404
    assert api_get(app.test_client(), raw).status_code == 200


def test_an_expired_token_is_refused(app, editor):
    raw = token_of(editor, days=30)
    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    db.session.commit()
    assert api_get(app.test_client(), raw).status_code == 401
    assert "expired <time" in get(browser(app), "/account")


@pytest.fixture
def admin(app):
    user = create_user("admin@example.org", "Ada Admin", Role.admin, PASSWORD)
    db.session.commit()
    return user


ENDINGS = {
    "signed out everywhere": lambda user, admin: sign_out_everywhere(user, by=By.account(user)),
    "an admin's button": lambda user, admin: sign_out_everywhere(user, by=By.account(admin)),
    "a new password": lambda user, admin: set_password(user, "another long passphrase", by=By.account(user)),
    "deactivated": lambda user, admin: edit_account(user, name=user.name, role=user.role, active=False,
                                                    by=By.account(admin)),
    "a new role": lambda user, admin: edit_account(user, name=user.name, role=Role.contributor, active=True,
                                                   by=By.account(admin)),
}


@pytest.mark.parametrize("ending", ENDINGS, ids=list(ENDINGS))
def test_what_ends_every_session_of_an_account_revokes_its_tokens(app, editor, admin, ending):
    raw = token_of(editor)
    assert api_get(app.test_client(), raw).status_code == 200
    ENDINGS[ending](db.session.get(User, editor.id), admin)
    db.session.commit()
    assert api_get(app.test_client(), raw).status_code == 401


def test_a_disabled_account_s_token_is_refused_even_if_not_revoked(app, editor):
    raw = token_of(editor)
    db.session.execute(sa.update(User).values(active=False))  # as an older database might hold it
    db.session.commit()
    assert api_get(app.test_client(), raw).status_code == 401


@pytest.mark.parametrize("header, status, error", [
    ("Basic ZWRpdG9yOnBhc3M=", 400, "invalid_request"),
    ("Bearer", 400, "invalid_request"),
    ("Bearer trk_not-a-token-at-all", 401, "invalid_token"),
    ("Bearer something-else", 401, "invalid_token"),
])
def test_a_bad_authorization_header_is_a_problem_saying_so(app, editor, header, status, error):
    response = app.test_client().get("/api/v1/", base_url=HTTPS, headers={"Authorization": header})
    assert response.status_code == status and response.content_type == "application/problem+json"
    assert f'error="{error}"' in response.headers["WWW-Authenticate"]


def test_last_used_is_written_at_most_once_a_minute(app, editor):
    raw = token_of(editor)
    client = app.test_client()

    def last_used():
        db.session.expire_all()
        return db.session.scalar(sa.select(ApiToken.last_used_at))

    assert last_used() is None
    api_get(client, raw)
    first = last_used()
    assert first is not None
    api_get(client, raw)
    assert last_used() == first  # a second request within the minute writes nothing
    earlier = utcnow() - dt.timedelta(minutes=2)
    db.session.execute(sa.update(ApiToken).values(last_used_at=earlier))
    db.session.commit()
    api_get(client, raw)
    assert in_utc(last_used()) > earlier + dt.timedelta(minutes=1)


def test_a_token_opens_no_session(app, editor):
    raw = token_of(editor)
    response = api_get(app.test_client(), raw)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_an_admin_sees_an_account_s_tokens_and_their_button_revokes_them(app, editor, admin):
    raw = token_of(editor)
    admins = browser(app, "admin@example.org")
    assert "and 1 API token not revoked" in get(admins, f"/admin/users/{editor.id}/edit")
    assert post(admins, f"/admin/users/{editor.id}/sessions/end").status_code == 302
    assert api_get(app.test_client(), raw).status_code == 401
    assert "and 0 API tokens not revoked" in get(admins, f"/admin/users/{editor.id}/edit")
    revision = db.session.scalar(sa.select(Revision).filter_by(action="sign-out"))
    assert revision.after == {"sessions": "0 ended", "api tokens": "1 revoked"}  # the editor had no browser


def test_a_request_with_a_token_names_it_for_the_rate_limits_and_acts_as_its_owner(app, editor):
    import flask
    from flask_login import current_user

    raw = token_of(editor)
    with app.test_client() as client:
        assert api_get(client, raw).status_code == 200
        assert flask.g.api_token_id == db.session.scalar(sa.select(ApiToken.id))
        assert current_user.id == editor.id
    with app.test_client() as client:
        assert api_get(client, None).status_code == 200
        assert "api_token_id" not in flask.g and not current_user.is_authenticated


def test_an_account_holds_at_most_twenty_live_tokens(app, editor):
    for _ in range(20):
        token_of(editor)
    response = post(browser(app), "/account/tokens", {"name": "one more", "days": "90"}, page_url="/account")
    assert response.status_code == 400 and "revoke one you no longer use" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 20
