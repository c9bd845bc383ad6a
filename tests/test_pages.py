"""The minimal read pages: the list of disputes and one dispute."""

import re

import pytest
import sqlalchemy as sa

from tracker.db import db

from . import factories as make
from .conftest import make_app

SEED_PAGE = "/disputes/china-latin-america-cooperation-2020"


def claim_card(page: str, slug: str) -> str:
    """The HTML of one claim's card."""
    match = re.search(rf'<article[^>]*id="claim-{slug}".*?</article>', page, re.S)
    assert match, f"no card for {slug}"
    return match.group()


def test_index_lists_the_seed_dispute(client, seeded):
    page = client.get("/").get_data(as_text=True)
    assert "China&#39;s cooperation with Latin America and the Caribbean" in page
    assert "2 statements, 17 claims" in page
    assert f'href="{SEED_PAGE}"' in page


def test_index_without_disputes_says_how_to_load_one(client):
    page = client.get("/").get_data(as_text=True)
    assert "No disputes yet" in page and "tracker import seeds/" in page


def test_dispute_page_shows_statements_in_order_with_speaker_date_and_source(client, seeded):
    page = client.get(SEED_PAGE).get_data(as_text=True)
    speech, release = page.index("Toward Closer U.S.-Caribbean Ties"), page.index("Press Release (2020.01.22)")
    assert speech < release
    assert '<time datetime="2020-01-22">22 January 2020</time>' in page
    assert "Michael R. Pompeo</strong>, US Secretary of State" in page
    assert 'href="https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"' in page
    assert "No transcript of this statement is on record." in page


def test_counterclaims_link_to_what_they_answer(client, seeded):
    page = client.get(SEED_PAGE).get_data(as_text=True)
    card = claim_card(page, "embassy-no-geopolitical-intent")
    assert "China has no intention to pursue geopolitical strategy or sphere of influence." in card
    assert '<span class="badge relation-rebuts">rebuts</span>' in card
    assert 'href="#claim-pompeo-geopolitical-aims"' in card
    assert 'id="claim-pompeo-geopolitical-aims"' in page


def test_reconstructed_claims_are_marked_and_never_shown_as_quotes(client, seeded):
    page = client.get(SEED_PAGE).get_data(as_text=True)
    card = claim_card(page, "pompeo-accuses-cooperation")
    assert 'class="claim reconstructed"' in card and "reconstructed, as reported" in card
    assert "<blockquote>" not in card
    assert "Not a quote. Reported in" in card
    assert "Answered by 6 claims" in card
    assert "Not a quote: worded by an editor" in claim_card(page, "pompeo-local-harm")


def test_unknown_dispute_gets_a_readable_404(client):
    response = client.get("/disputes/no-such-thing")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Not Found</h1>" in page and "Back to the list of disputes" in page


def test_server_errors_get_a_readable_500_page(fresh_database):
    app = make_app(fresh_database())
    app.config["TESTING"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_user_text_is_escaped_everywhere_on_the_dispute_page(client, app):
    d = make.dispute("xss")
    d.title, d.summary = XSS, XSS
    s = make.statement(d, "s", text=XSS + " tail", venue=XSS)
    s.title = XSS
    s.speaker.name = XSS
    make.claim(s, "c", summary=XSS, quote_start=0, quote_end=len(XSS), quote_exact=XSS)
    db.session.commit()
    for url in ("/", "/disputes/xss"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def count_queries(app, fetch) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    db.session.remove()  # as in a real request: a new session, a new transaction
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        fetch()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def build_dispute(slug: str, statements: int, claims_per_statement: int) -> None:
    d = make.dispute(slug)
    previous = None
    for i in range(statements):
        s = make.statement(d, f"s{i}", text="Some words. More words.")
        for j in range(claims_per_statement):
            c = make.claim(s, f"c{i}-{j}")
            if previous is not None:
                make.response(c, previous)
            previous = c
    db.session.commit()


@pytest.mark.parametrize("url", ["/", "/disputes/{slug}"])
def test_query_count_does_not_grow_with_the_dispute(client, app, url):
    build_dispute("small", statements=2, claims_per_statement=2)
    build_dispute("large", statements=20, claims_per_statement=10)
    small = count_queries(app, lambda: client.get(url.format(slug="small")))
    large = count_queries(app, lambda: client.get(url.format(slug="large")))
    assert small == large
    assert client.get(url.format(slug="large")).status_code == 200
