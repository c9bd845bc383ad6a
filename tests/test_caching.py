"""HTTP caching: pages a reader without an account sees may be kept by browsers and shared caches and
asked again cheaply; nothing personal is ever public."""

import pytest

from .client import HTTPS, get, post, sign_in
from .database import SEED_DISPUTE, count_queries
from .forms import form_values

SEED = f"/disputes/{SEED_DISPUTE}"
READER_PAGES = ["/", SEED, f"{SEED}/map", f"{SEED}/map.svg", f"{SEED}/side-by-side",
                f"{SEED}/statements/prc-embassy-press-release", f"{SEED}/claims/pompeo-accuses-cooperation",
                "/actors/michael-r-pompeo", "/search?q=cooperation", "/corrections"]
PUBLIC = "public, max-age=60, stale-while-revalidate=300"
PRIVATE = "private, no-cache"


def fetch(client, url, **headers):
    return client.get(url, base_url=HTTPS, headers=headers)


@pytest.mark.parametrize("url", READER_PAGES)
def test_an_anonymous_reader_page_is_public_and_sets_no_cookie(client, seeded, url):
    response = fetch(client, url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PUBLIC
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong: the same bytes for everyone
    assert response.headers["Last-Modified"].endswith(" GMT")


def test_an_unchanged_page_is_answered_304_without_being_drawn(client, seeded):
    first = fetch(client, SEED)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    answers = []
    # The latest revision (and the test harness's savepoint), and nothing the page would load.
    assert count_queries(lambda: answers.append(fetch(client, SEED, **{"If-None-Match": etag}))) <= 2
    again = answers[0]
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == PUBLIC
    assert fetch(client, SEED, **{"If-Modified-Since": modified}).status_code == 304
    assert client.head(SEED, base_url=HTTPS, headers={"If-None-Match": etag}).status_code == 304
    assert fetch(client, SEED, **{"If-None-Match": '"something-else"'}).status_code == 200


def test_an_editor_s_change_renews_every_reader_page(app, client, seeded, editor):
    etag = fetch(client, SEED).headers["ETag"]
    search_etag = fetch(client, "/search?q=cooperation").headers["ETag"]
    desk = app.test_client()
    assert sign_in(desk).status_code == 302
    form = form_values(get(desk, f"{SEED}/edit"))
    form.update(title="A title readers must see at once")
    assert post(desk, f"{SEED}/edit", form).status_code == 302
    renewed = fetch(client, SEED, **{"If-None-Match": etag})
    assert renewed.status_code == 200 and "A title readers must see at once" in renewed.get_data(as_text=True)
    assert renewed.headers["ETag"] != etag
    assert fetch(client, "/search?q=cooperation", **{"If-None-Match": search_etag}).status_code == 200


def test_signed_in_pages_stay_private(client, seeded, editor):
    sign_in(client)
    response = fetch(client, SEED)
    assert response.status_code == 200 and "Edit the dispute" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == PRIVATE
    assert "ETag" not in response.headers and "Cookie" in response.headers["Vary"]


def test_signing_in_and_out_makes_the_browser_drop_the_pages_it_kept(client, seeded, editor):
    # Otherwise the public page kept a minute ago would show without the account's menu.
    assert sign_in(client).headers["Clear-Site-Data"] == '"cache"'
    assert post(client, "/logout", page_url="/").headers["Clear-Site-Data"] == '"cache"'


@pytest.mark.parametrize("url, status", [("/login", 200), ("/disputes/no-such-dispute", 404),
                                         (f"{SEED}?after=nonsense", 400), ("/review", 302)])
def test_forms_errors_and_editor_pages_are_never_public(client, seeded, url, status):
    response = fetch(client, url)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == PRIVATE
    assert "ETag" not in response.headers


def test_the_operator_sets_the_cache_policy(client, seeded, app):
    app.config["CACHE_CONTROL"] = "public, max-age=5"
    assert fetch(client, SEED).headers["Cache-Control"] == "public, max-age=5"
