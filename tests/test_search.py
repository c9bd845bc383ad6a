"""Search: what a reader typing into the search box sees, on SQLite and on PostgreSQL."""

import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db import db
from tracker.models import Claim, ClaimKind, Evidence, Stance
from tracker.search import index

from . import factories as make
from .database import count_queries, refresh_planner_statistics

SEED = "/disputes/china-latin-america-cooperation-2020"
ZH_TEXT = "我们对此表示强烈不满和坚决反对。中方无意谋求地缘政治战略或势力范围。"


def search_page(client, q: str) -> str:
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def section(page: str, kind: str) -> str:
    """The HTML of one results section: claims, statements or evidence."""
    match = re.search(rf'<section id="{kind}".*?</section>', page, re.S)
    assert match, f"no {kind} section"
    return match.group()


def result_links(page: str, kind: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)"', section(page, kind))


def slugs(hits: index.Hits) -> list[str]:
    return [row.slug for row in hits.rows]


def evidence(on: Claim, title: str, excerpt: str | None = None, url: str = "https://example.org/a") -> Evidence:
    row = Evidence(claim=on, url=url, title=title, excerpt=excerpt, stance=Stance.context)
    db.session.add(row)
    return row


@pytest.fixture
def chinese(app):
    d = make.dispute("zh")
    s = make.statement(d, "zh-statement", text=ZH_TEXT, language="zh")
    db.session.commit()
    return s


# The seed dispute, as a reader would search it.


def test_a_phrase_typed_with_plain_spaces_finds_its_claim_first_with_a_link_to_it(client, seeded):
    page = search_page(client, "mutual respect, equality and mutual benefit")
    assert result_links(page, "claims")[0] == f"{SEED}/claims/embassy-mutual-respect"
    claims = section(page, "claims")
    assert "<mark>mutual</mark> <mark>respect</mark>, <mark>equality</mark>" in claims
    assert "Claims: 1 match" in page


def test_a_quoted_phrase_matches_across_the_texts_non_breaking_spaces(client, seeded):
    page = search_page(client, '"Michael Pompeo, Secretary of State of the United States"')
    statements = section(page, "statements")
    assert result_links(page, "statements") == [f"{SEED}/statements/prc-embassy-press-release"]
    # (snippets show a text's runs of spaces, line breaks included, as one space)
    assert "<mark>Michael Pompeo, Secretary of State of the United States</mark>" in statements


def test_a_phrase_must_match_in_order(client, seeded):
    page = search_page(client, '"respect mutual"')
    assert "No claim matches." in page and "No statement matches." in page


def test_a_word_only_in_a_statement_finds_the_statement_and_no_claim(client, seeded):
    page = search_page(client, "policy discussion")
    assert "No claim matches." in page
    assert result_links(page, "statements") == [f"{SEED}/statements/prc-embassy-press-release"]
    assert "<mark>Policy</mark> <mark>Discussion</mark>" in section(page, "statements")
    assert "Embassy of the People&#39;s Republic of China in Jamaica" in section(page, "statements")


def test_evidence_is_found_by_title_and_by_excerpt_and_links_to_its_claim(client, seeded):
    for q in ("Caribbean ties", "published remarks"):
        page = search_page(client, q)
        [link] = result_links(page, "evidence")
        assert re.fullmatch(rf"{SEED}/claims/pompeo-accuses-cooperation#evidence-\d+", link)
    assert "<mark>Caribbean</mark> <mark>Ties</mark>" in section(search_page(client, "Caribbean ties"), "evidence")


def test_search_ignores_case(client, seeded):
    page = search_page(client, "MUTUAL Respect EQUALITY")
    assert f"{SEED}/claims/embassy-mutual-respect" in result_links(page, "claims")


def test_all_words_must_match(client, seeded):
    assert "No claim matches." in search_page(client, "mutual respect zanzibar")


def test_reconstructed_claims_are_shown_as_reconstructed_never_as_quotes(client, seeded):
    claims = section(search_page(client, "groundless accusation"), "claims")
    card = re.search(r'<li class="result claim-result reconstructed">.*?</li>', claims, re.S).group()
    assert "/claims/pompeo-accuses-cooperation" in card
    assert "reconstructed, not a quote" in card and "<blockquote>" not in card
    assert "Reported in Press Release (2020.01.22) as <q>" in card
    local = section(search_page(client, "harm environment employment"), "claims")
    assert "/claims/pompeo-local-harm" in local
    assert "Worded by an editor: no verbatim source" in local and "<blockquote>" not in local


# Languages written without spaces.


def test_a_chinese_phrase_finds_the_chinese_statement(client, chinese):
    for q in ("地缘政治战略", "中方", "中方 势力范围"):
        page = search_page(client, q)
        assert result_links(page, "statements") == ["/disputes/zh/statements/zh-statement"], q
    assert "<mark>地缘政治战略</mark>" in section(search_page(client, "地缘政治战略"), "statements")
    assert "<mark>中方</mark>" in section(search_page(client, "中方"), "statements")


def test_a_chinese_word_not_in_the_text_finds_nothing(client, chinese):
    for q in ("美国", "美国政府", "中方 美国"):
        assert "No statement matches." in search_page(client, q), q


def test_chinese_claims_are_found_too(app, chinese):
    make.claim(chinese, "zh-claim", summary="中方无意谋求势力范围", quote_start=16, quote_end=34,
               quote_exact=ZH_TEXT[16:34], quote_prefix=ZH_TEXT[:16], quote_suffix="")
    db.session.commit()
    assert slugs(index.search("势力范围").claims) == ["zh-claim"]
    assert slugs(index.search("中方").claims) == ["zh-claim"]


# What users type must never break the page.


@pytest.mark.parametrize("q", [
    '"', '""', "*", "AND", "OR NOT", "NEAR(", "NEAR(mutual respect, 2)", ":", "summary:mutual", "-", "-mutual",
    "(", ")", "mutual*", "^mutual", "mutual AND", '"unclosed phrase', "'", "\\", "%", "_", "&|!<->", "中方\"*",
    "{summary quote_exact}: china",
])
def test_search_syntax_in_the_query_never_breaks_the_page(client, seeded, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("q", ["\x00", "mutual\x00respect", "中\x00方"])
def test_a_search_holding_nul_is_refused_in_words(client, seeded, q):
    """No address holds a control character (tracker/guard.py); the search itself copes with NUL (below)."""
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 400
    assert "The &#34;q&#34; parameter of the address holds a NUL character" in response.get_data(as_text=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(st.characters(codec="utf-8"), max_size=index.MAX_QUERY_LENGTH)
       | st.lists(st.sampled_from(['"', "*", "AND", "NEAR(", ":", "-", "(", ")", "^", "mutual", "中方", "%", "\\"]),
                  max_size=12).map(" ".join))
def test_no_query_raises(seeded, q):
    index.search(q)


def test_operators_are_read_as_words(client, seeded):
    # "AND" is the word "and", not an operator; "mutual*" the word "mutual".
    page = search_page(client, "mutual* AND respect")
    assert f"{SEED}/claims/embassy-mutual-respect" in result_links(page, "claims")
    assert "No claim matches." in search_page(client, "NEAR(mutual zanzibar)")


XSS = '<script>alert("x")</script>'


def test_user_text_in_results_is_escaped(client, app):
    d = make.dispute("xss")
    s = make.statement(d, "s", text=f"zebra {XSS} zebra")
    c = make.claim(s, "c", summary=f"zebra {XSS}")
    evidence(c, title=f"zebra {XSS}", excerpt=f"{XSS} zebra")
    db.session.commit()
    page = search_page(client, "zebra")
    assert "<script>" not in page
    assert "<mark>zebra</mark> &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>zebra</mark>" in section(page, "statements")
    for kind in ("claims", "evidence"):
        assert "<mark>zebra</mark> &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in section(page, kind)
    assert "<script>" not in search_page(client, XSS)


# The index is written by the transaction that writes the rows.


def test_the_index_follows_writes_inside_the_transaction(app):
    s = make.statement(make.dispute(), "s")
    c = make.claim(s, "c", summary="A walrus claim")
    db.session.flush()
    assert slugs(index.search("walrus").claims) == ["c"]  # before the commit
    db.session.commit()
    assert slugs(index.search("walrus").claims) == ["c"]

    c.summary = "A narwhal claim"
    db.session.flush()
    assert slugs(index.search("walrus").claims) == []
    assert slugs(index.search("narwhal").claims) == ["c"]
    db.session.commit()
    assert slugs(index.search("narwhal").claims) == ["c"]

    s.text = "Some words about a beluga."
    db.session.commit()
    assert slugs(index.search("beluga").statements) == ["s"]

    db.session.delete(c)
    db.session.commit()
    assert slugs(index.search("narwhal").claims) == []


def test_a_rolled_back_write_leaves_nothing_in_the_index(app):
    s = make.statement(make.dispute(), "s")
    db.session.commit()
    make.claim(s, "c", summary="A walrus claim")
    db.session.flush()
    db.session.rollback()
    assert slugs(index.search("walrus").claims) == []


def test_evidence_leaves_the_index_with_its_claim(app):
    s = make.statement(make.dispute(), "s")
    c = make.claim(s, "c")
    evidence(c, title="Walrus report")
    db.session.commit()
    assert len(index.search("walrus").evidence.rows) == 1
    db.session.execute(sa.delete(Claim).where(Claim.id == c.id))  # the database cascades to evidence
    db.session.commit()
    assert index.search("walrus").evidence.rows == []


# The page itself.


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_shows_the_search_form_and_searches_nothing(client, app, q):
    statements = []

    def record(_conn, _cursor, statement, *_):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("/search", query_string={"q": q})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    searched = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE")) and "FROM revision" not in s]
    assert searched == []  # only the page's validators (the latest revision) were looked up
    page = search_page(client, q)
    assert '<label for="search-q">' in page and "<h2" not in page


def test_the_form_is_labelled_and_the_headings_are_in_order(client, seeded):
    page = search_page(client, "china")
    assert re.search(r'<label for="search-q">[^<]+</label>\s*<input type="search" id="search-q" name="q"', page)
    assert 'method="get"' in page
    headings = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert headings.count(1) == 1 and headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    assert [h for h in re.findall(r"<h2[^>]*>([^<]+)</h2>", page)] == ["Claims", "Statements", "Evidence"]


def test_an_overlong_query_gets_a_clear_message(client, seeded):
    response = client.get("/search", query_string={"q": "china " * 40})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "That search is too long: 239 characters" in page
    assert '<input type="search"' in page


def test_a_query_of_punctuation_alone_says_what_to_do(client, seeded):
    page = search_page(client, "* : -")
    assert "Nothing to search for" in page


def many_claims(slug: str, count: int) -> None:
    """A dispute whose statement, claims and one evidence link all say "walrus"."""
    s = make.statement(make.dispute(slug), "s", text="Some words about a walrus.")
    db.session.flush()
    anchor = dict(quote_start=0, quote_end=10, quote_exact="Some words", quote_prefix="", quote_suffix=" about")
    claims = [
        Claim(dispute_id=s.dispute_id, statement_id=s.id, slug=f"c{i}", summary=f"Walrus claim {i}",
              kind=ClaimKind.assertion, **anchor)
        for i in range(count)
    ]
    db.session.add_all(claims)
    evidence(claims[0], title="Walrus report", url=f"https://example.org/{slug}")
    db.session.commit()
    refresh_planner_statistics()


def test_the_number_of_queries_does_not_grow_with_the_results(client, app):
    many_claims("small", 10)
    small = count_queries(lambda: client.get("/search?q=walrus"))
    many_claims("large", 1000)
    large = count_queries(lambda: client.get("/search?q=walrus"))
    assert small == large
    page = search_page(client, "walrus")
    assert "Claims: 1,000+ matches" in page  # 1,010 match; the cap stops the count
    assert "Statements: 2 matches" in page and "Evidence: 2 matches" in page


def test_ranking_considers_only_the_capped_candidates(app, monkeypatch):
    many_claims("d", 5)
    assert index.search("walrus").claims.total == 5
    monkeypatch.setattr(index, "CANDIDATE_CAP", 3)
    claims = index.search("walrus").claims
    assert claims.total == 3 and claims.capped
    assert len(claims.rows) == 3  # not 5: the two others were never ranked


def test_the_best_match_comes_first(app):
    s = make.statement(make.dispute(), "s")
    make.claim(s, "weak", summary="A walrus among many other animals of the northern seas and coasts")
    make.claim(s, "strong", summary="Walrus, walrus, walrus")
    make.claim(s, "none", summary="A narwhal")
    db.session.commit()
    assert slugs(index.search("walrus").claims) == ["strong", "weak"]


def test_the_index_is_in_place_after_all_migrations(app):
    # On SQLite a later batch migration of these tables rebuilds them and so
    # drops their triggers: that migration must create them again.
    if db.engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        expected = {f"search_{t}_{action}" for t in index.COLUMNS for action in ("insert", "update", "delete")}
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        expected = {f"search_{t}_{kind}" for t in index.COLUMNS for kind in ("words", "trigrams")}
    assert expected <= set(db.session.scalars(sa.text(sql)))
