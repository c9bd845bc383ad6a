"""What no request may carry is refused with words, never a server error (tracker/guard.py, tracker/paging.py):
numbers beyond any row's id, control characters in addresses and NUL in forms, file parts.

The examples the hardening issue found (500s through gunicorn on SQLite or PostgreSQL) are here as they were sent.
"""

import html
from io import BytesIO

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from tracker.db import db
from tracker.models import Dispute, Role, Statement

from .client import CSRF_FIELD, HTTPS, PASSWORD, SAME_SITE, get, post, sign_in
from .database import SEED_DISPUTE
from .factories import create_user
from .forms import form_values

SEED = f"/disputes/{SEED_DISPUTE}"
NO_PAGE = "There is no page at this address."


def words(response) -> str:
    """The page as a person reads it: its characters, not their HTML escapes."""
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def admin(app):
    user = create_user("admin@example.org", "Ada Admin", Role.admin, PASSWORD)
    db.session.commit()
    return user


# ---- numbers beyond any row's id ---------------------------------------------------------

@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "99999999999999999999", "9" * 5000])
@pytest.mark.parametrize("method, route", [
    ("GET", "/history/claim/{}"), ("POST", "/history/dispute/{}/delete"), ("POST", "/revisions/{}/revert"),
    ("POST", "/review/claim/{}"), ("GET", SEED + "/responses/{}/edit"), ("GET", SEED + "/evidence/{}/edit"),
    ("GET", "/admin/users/{}/edit"), ("POST", "/admin/users/{}/password"),
])
def test_an_id_beyond_any_rows_in_an_address_matches_no_page(client, seeded, admin, method, route, number):
    """The issue's example: /history/claim/2147483648 gave a 500 on PostgreSQL (and 2**63 on SQLite)."""
    sign_in(client, email="admin@example.org")
    url = route.format(number)
    response = client.get(url, base_url=HTTPS) if method == "GET" else post(client, url)
    assert response.status_code == 404, url
    assert NO_PAGE in words(response)


def test_the_largest_id_a_row_can_have_still_reaches_the_page(app, client, seeded):
    """2**31 - 1 is routed to its page (which finds no such row); one more matches no route at all."""
    routes = app.url_map.bind("tracker.test")
    assert routes.match("/history/claim/2147483647") == ("editor.history_page",
                                                         {"object_type": "claim", "object_id": 2147483647})
    with pytest.raises(NotFound):
        routes.match("/history/claim/2147483648")
    dispute_id = db.session.scalar(sa.select(Dispute.id))
    assert client.get(f"/history/dispute/{dispute_id}", base_url=HTTPS).status_code == 200


@pytest.mark.parametrize("url, message", [
    # The examples.
    ("/changes?before=99999999999999999999", 'The "before" parameter is not a position in this list.'),
    (f"{SEED}?after=9223372036854775808", 'The "after" parameter is not a position in this timeline.'),
    ("/?after=2020-01-01~99999999999999999999", 'The "after" parameter is not a position in the list of disputes.'),
    # And the other lists' positions.
    ("/changes?before=2147483648", 'The "before" parameter is not a position in this list.'),
    (f"{SEED}?after=1.2147483648", 'The "after" parameter is not a position in this timeline.'),
    (f"{SEED}?after=2147483647", 'The "after" parameter is not a position in this timeline.'),
    ("/actors/michael-r-pompeo?after=99999999999", 'The "after" parameter is not a position in this list.'),
    ("/?after=2020-01-01T00:00:00~2147483648", 'The "after" parameter is not a position in the list of disputes.'),
    ("/corrections?after=2020-01-01T00:00:00~9223372036854775808",
     'The "after" parameter is not a position in the list of corrections.'),
    ("/?after=" + "9" * 5000, 'The "after" parameter is not a position in the list of disputes.'),
])
def test_a_position_in_a_list_beyond_any_rows_is_refused_in_words(client, seeded, url, message):
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 400, url
    assert message in words(response)


@pytest.mark.parametrize("url, message", [
    ("/admin/users?after=99999999999", 'The "after" parameter is not a position in this list.'),
    ("/admin/users?after=9223372036854775808", 'The "after" parameter is not a position in this list.'),
    ("/review?page=99999999999999999999", 'The "page" parameter is not a page of this list: give a number from 1 '
                                          "to 10,000."),
])
def test_a_position_in_an_admins_list_beyond_any_rows_is_refused_in_words(client, seeded, admin, url, message):
    sign_in(client, email="admin@example.org")
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 400, url
    assert message in words(response)


# ---- control characters ----------------------------------------------------------------

@pytest.mark.parametrize("url", ["/disputes/%00", "/disputes/a%01b", "/actors/%7F", f"{SEED}/claims/x%1Fy",
                                 "/static/style.css%00", "/history/claim%0A/1"])
def test_a_control_character_in_an_address_is_refused_in_words(client, seeded, url):
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 400, url
    assert "The address holds a" in words(response) and "which no address of this site holds" in words(response)


def test_nul_in_the_address_of_a_form_is_refused_before_the_form_is_read(client, seeded, editor):
    sign_in(client)
    response = post(client, "/disputes/%00/edit", {"title": "x"})
    assert response.status_code == 400
    assert "The address holds a NUL character (U+0000, invisible)" in words(response)


@pytest.mark.parametrize("url, said", [
    ("/?q=%00", 'The "q" parameter of the address holds a NUL character (U+0000, invisible)'),
    ("/search?q=a%00b", 'The "q" parameter of the address holds a NUL character (U+0000, invisible)'),
    (f"{SEED}?tag=%01", 'The "tag" parameter of the address holds a control character (U+0001, invisible)'),
    (f"{SEED}/side-by-side?left=%00", 'The "left" parameter of the address holds a NUL character'),
    ("/changes?before=1%7F", 'The "before" parameter of the address holds a DEL character (U+007F, invisible)'),
    ("/?q=tab%09here", 'The "q" parameter of the address holds a control character (U+0009, invisible)'),
    ("/login?next=/%0D%0ASet-Cookie:x", 'The "next" parameter of the address holds a control character (U+000D'),
    ("/?a%00b=1", 'The "ab" parameter of the address holds a NUL character'),
])
def test_a_control_character_in_the_query_is_refused_naming_the_parameter(client, seeded, url, said):
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 400, url
    assert said in words(response)


def test_nul_in_the_sign_in_email_is_refused_naming_the_field(client, editor):
    response = client.post("/login", base_url=HTTPS, headers=SAME_SITE, data={
        "email": "a\x00@example.org", "password": "correct horse battery staple", CSRF_FIELD: client.csrf_token()})
    assert response.status_code == 400
    assert 'The "email" field holds a NUL character (U+0000, invisible), which cannot be stored.' in words(response)


@pytest.mark.parametrize("field", ["title", "summary", "tags", "slug", "version", "change_reason"])
def test_nul_in_any_field_of_a_form_is_refused_naming_the_field(client, seeded, editor, field):
    sign_in(client)
    url = f"{SEED}/edit"
    data = form_values(get(client, url))
    data[field] = "a\x00b"
    response = post(client, url, data)
    assert response.status_code == 400
    assert f'The "{field}" field holds a NUL character (U+0000, invisible)' in words(response)
    assert db.session.scalar(sa.select(Dispute.title)) != "a\x00b"


def test_tab_cr_and_lf_stay_legal_in_a_form(client, seeded, editor):
    sign_in(client)
    url = f"{SEED}/edit"
    data = form_values(get(client, url))
    data["summary"] = "First paragraph,\tindented.\r\n\r\nSecond paragraph."
    data["change_kind"], data["change_reason"] = "", ""
    assert post(client, url, data).status_code == 302
    assert db.session.scalar(sa.select(Dispute.summary)) == "First paragraph,\tindented.\n\nSecond paragraph."


def test_other_controls_in_a_form_are_left_to_the_fields_rule(client, seeded, editor):
    """A one-line field refuses them beside the field (the form kept); a statement's verbatim text keeps them,
    as the importer does: a form feed from a PDF's page break is saved through the form too."""
    sign_in(client)
    url = f"{SEED}/edit"
    data = form_values(get(client, url))
    data["title"] = "A\x0btitle"
    response = post(client, url, data)
    assert response.status_code == 400
    assert "Title: Holds an invisible character (U+000B control character)" in words(response)
    assert 'name="summary"' in response.get_data(as_text=True)  # the form, with what was typed

    edit = f"{SEED}/statements/prc-embassy-press-release/edit"
    data = form_values(get(client, edit))
    data["text"] = data["text"] + "\f\nPage 2."
    data["change_kind"], data["change_reason"] = "update", "The second page."
    assert post(client, edit, data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Statement.text).filter_by(slug="prc-embassy-press-release")).endswith(
        "\f\nPage 2.")


# ---- file parts ------------------------------------------------------------------------

def test_a_file_where_the_sign_in_form_takes_text_is_refused(client, editor):
    """The issue's example: the password sent as a file gave a TypeError (500) on both databases."""
    response = client.post("/login", base_url=HTTPS, headers=SAME_SITE, content_type="multipart/form-data", data={
        "email": "editor@example.org", "password": (BytesIO(b"correct horse battery staple"), "password.txt"),
        CSRF_FIELD: client.csrf_token()})
    assert response.status_code == 400
    assert 'This form takes no files, and "password" was sent as one. Send it as text.' in words(response)


def test_a_multipart_form_without_files_is_read_as_any_form(client, seeded, editor):
    response = client.post("/login", base_url=HTTPS, headers=SAME_SITE, content_type="multipart/form-data", data={
        "email": "editor@example.org", "password": "correct horse battery staple", CSRF_FIELD: client.csrf_token()})
    assert response.status_code == 302


def test_no_form_of_the_site_takes_a_file(client, seeded, editor):
    sign_in(client)
    url = f"{SEED}/statements/new"
    data = {**form_values(get(client, url)), CSRF_FIELD: client.csrf_token(),
            "text": (BytesIO(b"Some words."), "statement.txt")}
    response = client.post(url, base_url=HTTPS, headers={"Referer": HTTPS + url}, data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'This form takes no files, and "text" was sent as one.' in words(response)
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 2


def test_a_form_part_without_a_name_is_refused(client, seeded):
    """Found by the route fuzz test: Werkzeug reads such a part under the name None, and Flask-WTF's CSRF check
    failed on it (AttributeError, a 500) on every form."""
    body = b'--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--\r\n'
    response = client.post("/disputes/new", base_url=HTTPS, headers=SAME_SITE, data=body,
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400
    assert "A part of the form has no name that can be read. Send the form from its page." in words(response)
