"""Admin: managing accounts. Role checks, validation, history without password material, no silent overwrite."""

import json
import re

import pytest
import sqlalchemy as sa

from tests.factories import create_user
from tracker.db import db
from tracker.models import Revision, Role, User

from .client import HTTPS, PASSWORD, SAME_SITE, get, post, sign_in
from .forms import form_values

ADMIN_EMAIL = "admin@example.org"
NEW_PASSWORD = "a brand new passphrase"
XSS = '<script>alert("x")</script>'


@pytest.fixture
def admin(app):
    user = create_user(ADMIN_EMAIL, "Ada Admin", Role.admin, PASSWORD)
    db.session.commit()
    return user




def account(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def edit_form(client, user_id: int) -> dict:
    """The edit form's current values, as a browser would send them back."""
    url = f"/admin/users/{user_id}/edit"
    return form_values(get(client, url), action=url)


def all_revisions_text() -> str:
    db.session.expire_all()
    return json.dumps([[r.before, r.after, r.reason] for r in db.session.scalars(sa.select(Revision))])


def assert_no_password_material(*passwords: str) -> None:
    """No revision holds a password hash, the hash column, or a password in clear."""
    text = all_revisions_text()
    assert "password_hash" not in text and "$argon2" not in text
    for user in db.session.scalars(sa.select(User)):
        assert user.password_hash not in text
    for password in (PASSWORD, NEW_PASSWORD, *passwords):
        assert password not in text


def sign_out(client) -> None:
    post(client, "/logout", page_url="/")


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ---- who may do what -------------------------------------------------------------

ADMIN_ROUTES = [("GET", "/admin/users"), ("GET", "/admin/users/new"), ("POST", "/admin/users/new"),
                ("GET", "/admin/users/{id}/edit"), ("POST", "/admin/users/{id}/edit"),
                ("GET", "/admin/users/{id}/password"), ("POST", "/admin/users/{id}/password")]


@pytest.mark.parametrize("method, url", ADMIN_ROUTES)
def test_admin_routes_are_for_admins_only(client, admin, editor, contributor, method, url):
    url = url.format(id=contributor.id)
    hash_before = contributor.password_hash
    data = {"name": "Taken over", "role": "admin", "active": "y", "email": "x@example.org",
            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}

    def attempt():
        if method == "GET":
            return client.get(url, base_url=HTTPS)
        return post(client, url, data)

    response = attempt()
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    for email in ("contributor@example.org", "editor@example.org"):
        sign_in(client, email=email)
        assert attempt().status_code == 403
    assert count(Revision) == 0 and count(User) == 3
    person = account("contributor@example.org")
    assert (person.name, person.role, person.password_hash) == ("Cody Contributor", Role.contributor, hash_before)

    sign_in(client, email=ADMIN_EMAIL)
    assert attempt().status_code in (200, 302)


def test_only_admins_see_the_users_link(client, admin, editor):
    sign_in(client)
    assert 'href="/admin/users"' not in get(client, "/")
    sign_in(client, email=ADMIN_EMAIL)
    assert '<a href="/admin/users">Users</a>' in get(client, "/")


def test_the_users_page_lists_accounts(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    page = get(client, "/admin/users")
    assert "<h1>Users</h1>" in page and page.count("<h1") == 1
    assert '<th scope="col">Email</th>' in page
    assert "editor@example.org" in page and "Eve Editor" in page and ADMIN_EMAIL in page
    assert "$argon2" not in page


def test_the_users_page_goes_on_by_keyset(client, admin):
    for n in range(55):
        db.session.add(User(email=f"u{n:02}@example.org", name=f"User {n:02}", role=Role.contributor))
    db.session.commit()
    sign_in(client, email=ADMIN_EMAIL)
    first = get(client, "/admin/users")
    assert "u48@example.org" in first and "u49@example.org" not in first  # the admin is the first of 50
    after = re.search(r'href="/admin/users\?after=(\d+)"', first).group(1)
    second = get(client, f"/admin/users?after={after}")
    assert "u49@example.org" in second and "u54@example.org" in second and ADMIN_EMAIL not in second
    assert "?after=" not in second


# ---- create ------------------------------------------------------------------------

NEW = {"email": " Ann@Example.org ", "name": "Ann Analyst", "role": "editor", "password": NEW_PASSWORD,
       "confirm": NEW_PASSWORD}


def test_an_admin_creates_an_account_and_the_history_says_who(client, admin):
    sign_in(client, email=ADMIN_EMAIL)
    response = post(client, "/admin/users/new", NEW, page_url="/admin/users/new")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    ann = account("ann@example.org")
    assert (ann.name, ann.role, ann.active) == ("Ann Analyst", Role.editor, True)
    revision = db.session.scalar(sa.select(Revision))
    assert (revision.action, revision.object_type, revision.object_id) == ("create", "user", ann.id)
    assert (revision.user.email, revision.before) == (ADMIN_EMAIL, None)
    assert revision.after == {"email": "ann@example.org", "name": "Ann Analyst", "role": "editor", "active": True}
    assert_no_password_material()
    sign_out(client)
    assert sign_in(client, email="ann@example.org", password=NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "field, value, message",
    [("email", "not-an-address", "is not an email address (e.g. ann@example.org)."),
     ("email", "", "Email: This field is required."),
     ("name", "  ", "Name: This field is required."),
     ("name", "x" * 121, "Name: Is 121 characters long; at most 120 are allowed."),
     ("role", "superuser", "Role: Invalid Choice: could not coerce."),
     ("password", "too short", "Password: Must be at least 12 characters long."),
     ("confirm", "another passphrase", "Password again: The two passwords are not the same.")],
)
def test_bad_input_is_named_kept_and_writes_nothing(client, admin, field, value, message):
    sign_in(client, email=ADMIN_EMAIL)
    data = dict(NEW, **{field: value})
    response = post(client, "/admin/users/new", data, page_url="/admin/users/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if field != "name":
        assert 'value="Ann Analyst"' in page  # the input is kept...
    assert NEW_PASSWORD not in page  # ...but never a password
    assert count(User) == 1 and count(Revision) == 0


def test_a_duplicate_email_is_refused_on_the_email_field(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    response = post(client, "/admin/users/new", dict(NEW, email="EDITOR@example.org "), page_url="/admin/users/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Email: There is already an account for editor@example.org." in page
    assert count(User) == 2 and count(Revision) == 0


def test_creating_needs_the_csrf_token(client, admin):
    sign_in(client, email=ADMIN_EMAIL)
    response = client.post("/admin/users/new", base_url=HTTPS, headers=SAME_SITE, data=NEW)
    assert response.status_code == 400 and count(User) == 1


# ---- edit ----------------------------------------------------------------------------

def test_editing_name_role_and_active_is_recorded_without_password_material(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    form = edit_form(client, editor.id)
    assert form["name"] == "Eve Editor" and form["role"] == "editor" and form["active"] == "y"
    form.update(name="Eve Chief", role="admin")
    response = post(client, f"/admin/users/{editor.id}/edit", form, page_url=f"/admin/users/{editor.id}/edit")
    assert response.status_code == 302
    eve = account("editor@example.org")
    assert (eve.name, eve.role, eve.active) == ("Eve Chief", Role.admin, True)

    form = edit_form(client, editor.id)
    form.pop("active")
    assert post(client, f"/admin/users/{editor.id}/edit", form, page_url=f"/admin/users/{editor.id}/edit").status_code == 302
    assert account("editor@example.org").active is False

    edits = list(db.session.scalars(sa.select(Revision).where(Revision.action == "edit").order_by(Revision.id)))
    assert [(r.object_type, r.object_id, r.user.email) for r in edits] == [("user", editor.id, ADMIN_EMAIL)] * 2
    assert edits[0].before["name"] == "Eve Editor" and edits[0].after["name"] == "Eve Chief"
    assert edits[0].before["role"] == "editor" and edits[0].after["role"] == "admin"
    assert (edits[1].before["active"], edits[1].after["active"]) == (True, False)
    assert_no_password_material()

    page = get(client, f"/history/user/{editor.id}")
    assert "<del>Eve Editor</del>" in page and "<ins>Eve Chief</ins>" in page
    assert "password_hash" not in page and "$argon2" not in page


def test_saving_an_unchanged_account_records_nothing(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    form = edit_form(client, editor.id)
    assert post(client, f"/admin/users/{editor.id}/edit", form, page_url=f"/admin/users/{editor.id}/edit").status_code == 302
    assert count(Revision) == 0


def test_a_deactivated_account_cannot_sign_in(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    form = edit_form(client, editor.id)
    form.pop("active")
    post(client, f"/admin/users/{editor.id}/edit", form, page_url=f"/admin/users/{editor.id}/edit")
    sign_out(client)
    assert sign_in(client, email="editor@example.org").status_code == 401


@pytest.mark.parametrize("change, field, message", [
    ({"role": "editor"}, "Role", "You cannot take away your own admin role"),
    ({"active": None}, "Active (may sign in)", "You cannot deactivate your own account"),
])
def test_an_admin_cannot_lock_themselves_out(client, admin, change, field, message):
    sign_in(client, email=ADMIN_EMAIL)
    form = edit_form(client, admin.id)
    for key, value in change.items():
        form.pop(key) if value is None else form.update({key: value})
    response = post(client, f"/admin/users/{admin.id}/edit", form, page_url=f"/admin/users/{admin.id}/edit")
    assert response.status_code == 400
    assert f"{field}: {message}" in response.get_data(as_text=True)
    me = account(ADMIN_EMAIL)
    assert (me.role, me.active) == (Role.admin, True) and count(Revision) == 0


def test_an_admin_may_rename_themselves(client, admin):
    sign_in(client, email=ADMIN_EMAIL)
    form = dict(edit_form(client, admin.id), name="Ada the Admin")
    assert post(client, f"/admin/users/{admin.id}/edit", form, page_url=f"/admin/users/{admin.id}/edit").status_code == 302
    assert account(ADMIN_EMAIL).name == "Ada the Admin"


def test_a_stale_edit_gets_409_with_both_versions_and_overwrites_nothing(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    url = f"/admin/users/{editor.id}/edit"
    mine = edit_form(client, editor.id)
    theirs = dict(mine, name="Their name")
    assert post(client, url, theirs, page_url=url).status_code == 302

    mine.update(name="My name", role="contributor")  # still carries the state it was loaded at
    response = post(client, url, mine, page_url=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this account while you were editing" in page
    assert "<td>Their name</td><td>My name</td>" in page and "<td>editor</td><td>contributor</td>" in page
    assert 'value="My name"' in page
    eve = account("editor@example.org")
    assert (eve.name, eve.role) == ("Their name", Role.editor)
    assert count(Revision) == 1

    again = dict(form_values(page, action=url), role="contributor", active="y")
    assert post(client, url, again, page_url=url).status_code == 302  # knowingly, now
    eve = account("editor@example.org")
    assert (eve.name, eve.role) == ("My name", Role.contributor)


def test_a_stale_edit_after_a_password_change_is_still_accepted(client, admin, editor):
    """The password is not part of what the form shows, so changing it makes no edit stale."""
    sign_in(client, email=ADMIN_EMAIL)
    url = f"/admin/users/{editor.id}/edit"
    form = edit_form(client, editor.id)
    post(client, f"/admin/users/{editor.id}/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert post(client, url, dict(form, name="Renamed"), page_url=url).status_code == 302


def test_editing_an_unknown_account_is_404(client, admin):
    sign_in(client, email=ADMIN_EMAIL)
    get(client, "/admin/users/999999/edit", status=404)


# ---- passwords ---------------------------------------------------------------------

def test_an_admin_sets_a_new_password(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    url = f"/admin/users/{editor.id}/password"
    page = get(client, url)
    assert page.count("<h1") == 1 and '<label for="password">Password</label>' in page
    response = post(client, url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page_url=url)
    assert response.status_code == 302
    revision = db.session.scalar(sa.select(Revision))
    assert (revision.action, revision.object_type, revision.object_id) == ("password", "user", editor.id)
    assert revision.after == {"password": "changed"} and revision.before == {}
    assert_no_password_material()
    history_page = get(client, f"/history/user/{editor.id}")
    assert "$argon2" not in history_page and NEW_PASSWORD not in history_page

    sign_out(client)
    assert sign_in(client, email="editor@example.org", password=PASSWORD).status_code == 401
    assert sign_in(client, email="editor@example.org", password=NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("password, confirm, message", [
    ("short", "short", "Password: Must be at least 12 characters long."),
    (NEW_PASSWORD, "a different passphrase", "Password again: The two passwords are not the same."),
    ("", "", "Password: This field is required."),
])
def test_a_bad_new_password_changes_nothing(client, admin, editor, password, confirm, message):
    sign_in(client, email=ADMIN_EMAIL)
    url = f"/admin/users/{editor.id}/password"
    hash_before = editor.password_hash
    response = post(client, url, {"password": password, "confirm": confirm}, page_url=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert NEW_PASSWORD not in page
    assert account("editor@example.org").password_hash == hash_before and count(Revision) == 0


# ---- escaping ----------------------------------------------------------------------

def test_a_name_is_shown_escaped_on_the_users_and_history_pages(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    url = f"/admin/users/{editor.id}/edit"
    assert post(client, url, dict(edit_form(client, editor.id), name=XSS), page_url=url).status_code == 302
    for page in (get(client, "/admin/users"), get(client, f"/history/user/{editor.id}"), get(client, url)):
        assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


# ---- account histories: private, and undone only where safe -----------------------------

def rename(client, user, name):
    form = edit_form(client, user.id)
    form["name"] = name
    url = f"/admin/users/{user.id}/edit"
    assert post(client, url, form, page_url=url).status_code == 302


def test_account_histories_are_for_admins_only(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    rename(client, editor, "Eve Renamed")
    assert "<del>Eve Editor</del>" in get(client, "/changes")
    get(client, f"/history/user/{editor.id}")
    sign_out(client)
    sign_in(client)  # the editor
    get(client, f"/history/user/{editor.id}", status=404)
    changes = get(client, "/changes")
    assert "<del>Eve Editor</del>" not in changes and "editor@example.org" not in changes
    sign_out(client)
    get(client, f"/history/user/{editor.id}", status=404)


def test_undoing_account_changes_is_guarded(client, admin, editor):
    sign_in(client, email=ADMIN_EMAIL)
    rename(client, editor, "Eve Renamed")
    rename(client, admin, "Ada Renamed")
    url = f"/admin/users/{editor.id}/password"
    post(client, url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page_url=url)
    revisions = {(r.object_id, r.action): r.id for r in db.session.scalars(sa.select(Revision))}

    refused = post(client, f"/revisions/{revisions[(editor.id, 'password')]}/revert")
    assert refused.status_code == 409 and "password cannot be undone" in refused.get_data(as_text=True)
    own = post(client, f"/revisions/{revisions[(admin.id, 'edit')]}/revert")
    assert own.status_code == 409 and "their own account" in own.get_data(as_text=True)
    assert account(ADMIN_EMAIL).name == "Ada Renamed"

    assert post(client, f"/revisions/{revisions[(editor.id, 'edit')]}/revert").status_code == 302
    assert account("editor@example.org").name == "Eve Editor"
    assert_no_password_material()
