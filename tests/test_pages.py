"""The reader's pages: index, timeline, statement, claim, actor, side by side."""

import datetime as dt
import re
from html import unescape

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import (
    Claim, ClaimKind, DatePrecision, DisputeStatus, DisputeTag, Rating, Relation, Stance, Statement, Verdict,
    VerdictEvidence,
)
from tracker.statements.highlight import pieces

from . import factories as make
from .database import SEED_DISPUTE, count_queries, make_app, refresh_planner_statistics

SEED_PAGE = f"/disputes/{SEED_DISPUTE}"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def claim_card(page: str, slug: str) -> str:
    """The HTML of one claim's card."""
    match = re.search(rf'<article[^>]*id="claim-{slug}".*?</article>', page, re.S)
    assert match, f"no card for {slug}"
    return match.group()


def words_without_summaries(part: str) -> str:
    """The words a reader sees in this part of a page, leaving out claim summaries (editors' own words)."""
    part = re.sub(r"<h1>.*?</h1>|<h3 class=\"summary\".*?</h3>", " ", part, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def titles(page: str) -> list[str]:
    return re.findall(r'<h2 id="title-[^"]+"><a [^>]+>([^<]+)</a></h2>', page)


# ---- disputes index ----------------------------------------------------------

def test_index_lists_the_seed_dispute_with_counts_and_its_own_date(client, seeded):
    page = html(client, "/")
    assert "China&#39;s cooperation with Latin America and the Caribbean" in page
    assert "2 statements, 17 claims" in page
    assert f'href="{SEED_PAGE}"' in page
    assert '· <time datetime="2020-01-22">22 January 2020</time>' in page  # when it happened, not when it was imported


def test_index_shows_each_dispute_s_span_of_dates_as_precise_as_known(client, app):
    speaker = make.actor("minister")
    spans = make.dispute("spans")
    make.statement(spans, "first", date=dt.date(2019, 1, 1), date_precision=DatePrecision.year, speaker=speaker)
    make.statement(spans, "day", date=dt.date(2022, 6, 6), speaker=speaker)
    make.statement(spans, "month", date=dt.date(2022, 6, 1), date_precision=DatePrecision.month, speaker=speaker)
    make.statement(spans, "deleted-later", date=dt.date(2025, 1, 1), speaker=speaker, deleted_at=dt.datetime(2025, 2, 1))
    make.statement(make.dispute("undated"), "u", date=None, date_precision=None, speaker=speaker)
    db.session.commit()
    page = " ".join(html(client, "/").split())
    assert '<time datetime="2019">2019</time> to <time datetime="2022-06-06">6 June 2022</time>' in page
    assert "1 statement, 0 claims · no dated statement yet" in page


def test_index_without_disputes_says_how_to_load_one(client):
    assert "No disputes yet" in html(client, "/")


def test_index_search_box_and_tag_and_status_filters(client, app):
    for slug, title, status, tags in [
        ("a", "Trade quarrel", DisputeStatus.open, ["trade"]),
        ("b", "Fishing rights", DisputeStatus.settled, ["sea", "trade"]),
        ("c", "Election claims", DisputeStatus.archived, []),
    ]:
        d = make.dispute(slug)
        d.title, d.status = title, status
        d.tags = [DisputeTag(name=t) for t in tags]
    db.session.commit()
    found = lambda page: re.findall(r'<h2><a href="/disputes/(\w)">', page)  # noqa: E731
    assert sorted(found(html(client, "/?q=fish"))) == ["b"]
    assert sorted(found(html(client, "/?tag=trade"))) == ["a", "b"]
    assert sorted(found(html(client, "/?tag=trade&status=open"))) == ["a"]
    assert "No dispute matches" in html(client, "/?q=nothing-like-this")
    assert "Status: Not a valid choice" in html(client, "/?status=frozen", status=400)
    assert sorted(found(html(client, "/?q=%25"))) == []  # LIKE wildcards are taken literally


def test_index_pages_by_each_dispute_s_latest_statement(client, app):
    speaker = make.actor("minister")
    for i in range(25):
        # Made (and so imported) in the opposite order to their events.
        make.statement(make.dispute(f"d{i:02}"), f"s{i}", date=dt.date(2000, 1, 25) - dt.timedelta(days=i), speaker=speaker)
        db.session.flush()
    db.session.commit()
    first = html(client, "/")
    slugs = re.findall(r'<h2><a href="/disputes/(d\d+)">', first)
    assert slugs == [f"d{i:02}" for i in range(20)]
    after = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = html(client, after)
    assert re.findall(r'<h2><a href="/disputes/(d\d+)">', second) == [f"d{i:02}" for i in range(20, 25)]
    assert 'rel="next"' not in second
    html(client, "/?after=yesterday", status=400)


# ---- timeline ----------------------------------------------------------------

def test_timeline_shows_statements_with_speaker_date_venue_and_source(client, seeded):
    page = html(client, SEED_PAGE)
    assert titles(page) == ["Toward Closer U.S.-Caribbean Ties", "Press Release (2020.01.22)"]
    assert '<time datetime="2020-01-22">22 January 2020</time>' in page
    assert "<strong>Michael R. Pompeo</strong></a>, US Secretary of State" in page
    assert 'href="https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"' in page
    assert "No transcript of this statement is on record." in page
    assert 'class="timeline lanes-2"' in page  # one lane per side


def test_timeline_orders_by_date_honouring_precision(client, app):
    d = make.dispute("dates")
    for slug, date, precision in [
        ("undated", None, None),
        ("day", dt.date(2020, 1, 22), DatePrecision.day),
        ("month", dt.date(2020, 1, 1), DatePrecision.month),
        ("earlier", dt.date(2019, 12, 31), DatePrecision.day),
        ("year", dt.date(2019, 1, 1), DatePrecision.year),
    ]:
        make.statement(d, slug, date=date, date_precision=precision, title=slug)
    db.session.commit()
    page = html(client, "/disputes/dates")
    assert titles(page) == ["year", "earlier", "month", "day", "undated"]
    for label in ('"2019">2019</time>', '"2020-01">January 2020</time>', '"2019-12-31">31 December 2019</time>',
                  '<span class="date-unknown">date unknown</span>'):
        assert label in page
    assert "<time>" not in page  # a <time> must carry a datetime, and an unknown date has none


def test_counterclaims_link_to_what_they_answer_with_badges_and_counts(client, seeded):
    page = html(client, SEED_PAGE)
    card = claim_card(page, "embassy-no-geopolitical-intent")
    assert "China has no intention to pursue geopolitical strategy or sphere of influence." in card
    assert '<span class="badge relation-rebuts">rebuts</span>' in card
    assert 'href="#claim-pompeo-geopolitical-aims"' in card  # on this page: a jump
    accusation = claim_card(page, "pompeo-accuses-cooperation")
    assert "answered by 6 claims" in accusation and "1 context" in accusation


def test_evidence_counts_by_stance_in_a_fixed_order(client, seeded):
    claim = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-legal-compliance"))
    for i, stance in enumerate([Stance.context, Stance.refutes, Stance.supports, Stance.refutes]):
        make.evidence(claim, f"https://example.org/{i}", stance)
    db.session.commit()
    card = claim_card(html(client, SEED_PAGE), "embassy-legal-compliance")
    assert "evidence: 1 supports , 2 refutes , 1 context" in " ".join(re.sub(r"<[^>]+>", " ", card).split())


def test_reconstructed_claims_are_marked_and_never_shown_as_quotes(client, seeded):
    page = html(client, SEED_PAGE)
    card = claim_card(page, "pompeo-accuses-cooperation")
    assert 'class="claim reconstructed"' in card and "<blockquote>" not in card
    text = words_without_summaries(card)
    assert text.count("reconstructed") == 1 and "not a quote" in text  # labelled once, by its badge
    assert "Reported in Press Release (2020.01.22) as" in text
    local = words_without_summaries(claim_card(page, "pompeo-local-harm"))
    assert local.count("reconstructed") == 1 and "Worded by an editor: no verbatim source is on record." in local


@pytest.mark.parametrize(
    "query, expected",
    [
        ("relation=counters", {"embassy-sovereign-choice", "embassy-us-politicians-attack-china", "embassy-world-will-judge"}),
        ("stance=context", {"pompeo-accuses-cooperation"}),
        ("tag=environment", {"pompeo-local-harm", "embassy-environment-and-jobs"}),
        ("actor=michael-r-pompeo", {"pompeo-accuses-cooperation", "pompeo-geopolitical-aims", "pompeo-opaque-practices",
                                    "pompeo-local-harm", "pompeo-no-real-benefit"}),
        ("actor=michael-r-pompeo&relation=counters", set()),
    ],
)
def test_timeline_filters_are_plain_query_parameters(client, seeded, query, expected):
    page = html(client, f"{SEED_PAGE}?{query}")
    assert set(re.findall(r'<article[^>]*id="claim-([\w-]+)"', page)) == expected
    if not expected:
        assert "No statement matches these filters." in page


def test_a_bad_filter_is_named_and_refused(client, seeded):
    page = html(client, f"{SEED_PAGE}?relation=refutes", status=400)
    assert "Answers that: Not a valid choice" in page
    assert "Topic: Not a valid choice" in html(client, f"{SEED_PAGE}?tag=astrology", status=400)
    html(client, f"{SEED_PAGE}?after=oops", status=400)
    html(client, f"{SEED_PAGE}?after=999999", status=400)


def test_timeline_pages_by_statement_without_gaps_or_repeats(client, app):
    d = make.dispute("long")
    for i in range(60):
        make.claim(make.statement(d, f"s{i:02}", date=dt.date(2020, 1, 1) + dt.timedelta(days=i), title=f"S{i:02}"), f"c{i}")
    db.session.commit()
    seen, url, pages = [], "/disputes/long?actor=a", 0
    while url:
        page = html(client, url)
        seen += titles(page)
        pages += 1
        match = re.search(r'rel="next" href="([^"]+)"', page)
        url = match and match.group(1).replace("&amp;", "&")
        if url:
            assert "actor=a" in url  # the filters travel with the pages
    assert pages == 3
    assert seen == [f"S{i:02}" for i in range(60)]


def test_a_statement_with_many_claims_is_split_across_pages_under_1_mb(client, app):
    d = make.dispute("big")
    s = make.statement(d, "huge", text="word " * 2000)
    db.session.flush()
    for i in range(400):
        make.claim(s, f"c{i:03}", quote_start=i * 5, quote_end=i * 5 + 4, quote_exact="word",
                   quote_prefix="", quote_suffix="")
    make.claim(make.statement(d, "after", date=dt.date(2021, 1, 1)), "tail")
    db.session.commit()
    seen, url = [], "/disputes/big"
    while url:
        response = client.get(url)
        assert len(response.data) < 1_000_000
        page = response.get_data(as_text=True)
        seen += re.findall(r'<article[^>]*id="claim-([\w-]+)"', page)
        match = re.search(r'rel="next" href="([^"]+)"', page)
        url = match and match.group(1)
    assert seen == [f"c{i:03}" for i in range(400)] + ["tail"]


def test_links_to_claims_on_other_pages_go_to_the_claim_page(client, app):
    d = make.dispute("far")
    target = make.claim(make.statement(d, "s00", date=dt.date(2020, 1, 1)), "target")
    for i in range(1, 30):
        make.statement(d, f"s{i:02}", date=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    answer = make.claim(make.statement(d, "late", date=dt.date(2021, 1, 1)), "answer")
    make.response(answer, target)
    db.session.commit()
    first = html(client, "/disputes/far")
    second = html(client, re.search(r'rel="next" href="([^"]+)"', first).group(1))
    assert 'href="/disputes/far/claims/target"' in claim_card(second, "answer")


def test_unanswered_accusations_are_listed_on_timeline_and_side_by_side(client, seeded):
    assert "Not answered yet" not in html(client, SEED_PAGE)
    speech = db.session.scalar(sa.select(Statement).filter_by(slug="pompeo-kingston-remarks"))
    make.claim(speech, "pompeo-debt-traps", kind=ClaimKind.accusation, summary="Loans become debt traps",
               reconstructed=True, **dict.fromkeys(["quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix"]))
    db.session.commit()
    for url in (SEED_PAGE, f"{SEED_PAGE}/side-by-side"):
        page = html(client, url)
        assert "Not answered yet (1)" in page and "Loans become debt traps" in page


def test_side_by_side_sets_claims_against_their_answers(client, seeded):
    page = html(client, f"{SEED_PAGE}/side-by-side")
    assert "Toward Closer U.S.-Caribbean Ties (Michael R. Pompeo, 22 January 2020) against Press Release (2020.01.22)" in page
    row = re.search(r'<tr>\s*<td rowspan="3">.*?China uses its cooperation.*?</tr>', page, re.S).group()
    assert "denies" in row and "The accusation is groundless" in row
    assert "China has no intention to pursue a geopolitical strategy" in page
    html(client, f"{SEED_PAGE}/side-by-side?left=nope", status=404)


# ---- statement page ------------------------------------------------------------

def statement_text(page: str) -> str:
    """The HTML inside the statement's text box."""
    return re.search(r'<div class="verbatim" id="statement-text"[^>]*>(.*?)</div>', page, re.S).group(1)


def test_statement_page_marks_every_quote_and_links_it_by_its_number(client, seeded):
    text = statement_text(html(client, f"{SEED_PAGE}/statements/prc-embassy-press-release"))
    quote = re.search(r'<mark class="level-0" data-quote="(\d+)">(China has no intention[^<]+)</mark>(<a [^>]+>)', text)
    assert quote.group(2) == "China has no intention to pursue geopolitical strategy or sphere of influence."
    link = quote.group(3)  # right after the quote: its number, linking to its claim
    assert f'href="{SEED_PAGE}/claims/embassy-no-geopolitical-intent"' in link
    assert f'data-quote="{quote.group(1)}"' in link and f'aria-label="Claim {quote.group(1)}: China has no ' in link
    assert "<a " not in text.replace("<a class=\"to-claim\"", "")  # words are marks, never links: they can be selected
    assert len(re.findall(r'<a class="to-claim"', text)) == 13  # every quote anchored here, the reported one too
    assert "environment \u00a0and" in text  # the verbatim text, its characters kept


def test_the_marked_text_is_the_stored_text_character_for_character(client, seeded):
    """The page's text is the stored text, so offsets counted in it are offsets into the stored text."""
    stored = db.session.scalar(sa.select(Statement.text).filter_by(slug="prc-embassy-press-release"))
    text = statement_text(html(client, f"{SEED_PAGE}/statements/prc-embassy-press-release"))
    assert unescape(re.sub(r"<[^>]+>", "", text)) == stored


def test_overlapping_quotes_each_keep_their_own_marks(client, seeded):
    """The reported accusation lies inside the "groundless" sentence: both show, the inner one a level down."""
    text = statement_text(html(client, f"{SEED_PAGE}/statements/prc-embassy-press-release"))
    inner = re.search(r'<mark class="level-0" data-quote="1"><mark class="level-1 reported-quote" data-quote="2">'
                      r'(the groundless accusation[^<]+)</mark></mark>', text)
    assert inner.group(1) == "the groundless accusation\u00a0against China&#39;s cooperation with Latin America and " \
                             "Caribbean countries"
    outer = text[text.index('<mark class="level-0" data-quote="1">'):text.index('<a class="to-claim"')]
    assert unescape(re.sub(r"<[^>]+>", "", outer)) == ("We express our strong dissatisfaction and opposition to the "
                                                      "groundless accusation\u00a0against China's cooperation with "
                                                      "Latin America and Caribbean countries")


def test_statement_text_is_escaped_and_highlighted_around_markup(client, app):
    d = make.dispute("x")
    text = f"Before. {XSS} After."
    s = make.statement(d, "s", text=text)
    make.claim(s, "c", quote_start=8, quote_end=8 + len(XSS), quote_exact=XSS, quote_prefix="Before. ", quote_suffix=" After.")
    db.session.commit()
    page = html(client, "/disputes/x/statements/s")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert f'<mark class="level-0" data-quote="1">{XSS_ESCAPED}</mark>' in page


def test_highlight_pieces_handle_nested_overlapping_and_adjacent_anchors():
    class C:
        def __init__(self, name, start, end):
            self.name, self.quote_start, self.quote_end = name, start, end

    text = "0123456789"
    result = pieces(text, [C("next", 8, 10), C("inner", 3, 5), C("outer", 1, 8), C("across", 4, 9)])
    assert [(p.text, [(q.claim.name, q.level) for q in p.quotes], [q.claim.name for q in p.ends]) for p in result] == [
        ("0", [], []),
        ("12", [("outer", 0)], []),
        ("3", [("outer", 0), ("inner", 1)], []),
        ("4", [("outer", 0), ("across", 2), ("inner", 1)], ["inner"]),  # its link inside the marks going on
        ("567", [("across", 2), ("outer", 0)], ["outer"]),
        ("8", [("next", 0), ("across", 2)], ["across"]),  # level 0 is free again where "outer" ends
        ("9", [("next", 0)], ["next"]),
    ]
    assert "".join(p.text for p in result) == text
    assert [q.number for q in result[3].quotes] == [1, 3, 2]  # numbered in reading order


# ---- claim page ------------------------------------------------------------------

def test_claim_page_shows_the_quote_in_its_context(client, seeded):
    page = html(client, f"{SEED_PAGE}/claims/embassy-mutual-respect")
    context = re.search(r'<blockquote class="in-context"><p>(.*?)</p></blockquote>', page, re.S).group(1)
    assert context.startswith("China has no intention to pursue geopolitical strategy")
    assert "<mark>China has been carrying out cooperation" in context
    assert "</mark> Such cooperation has been open and transparent" in context


def test_claim_page_threads_both_ways_and_survives_a_cycle(client, app):
    d = make.dispute("t")
    root = make.claim(make.statement(d, "s1"), "root", summary="The root accusation")
    middle = make.claim(make.statement(d, "s2"), "middle", summary="A rebuttal")
    leaf = make.claim(make.statement(d, "s3"), "leaf", summary="A reply to the rebuttal")
    make.response(middle, root, Relation.rebuts)
    make.response(leaf, middle, Relation.qualifies)
    make.response(root, leaf, Relation.counters)  # a cycle
    db.session.commit()
    page = html(client, "/disputes/t/claims/leaf")
    up = page[page.index("What it answers"):page.index("What answers it")]
    assert up.index("A rebuttal") < up.index("The root accusation")
    down = html(client, "/disputes/t/claims/root")
    answers = down[down.index('id="answers"'):]
    assert answers.index("A rebuttal") < answers.index("A reply to the rebuttal")


def test_claim_page_groups_evidence_by_stance_and_shows_the_verdict(client, seeded):
    claim = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-environment-and-jobs"))
    refuting = make.evidence(claim, "https://example.org/report", Stance.refutes, title="Audit of the project",
                             publisher="Auditor", date=dt.date(2021, 3, 4))
    make.evidence(claim, "https://example.org/news", Stance.supports, title="Jobs created", publisher="Paper")
    make.evidence(claim, "https://example.org/more", Stance.refutes, title="Second audit")
    make.evidence(claim, "https://example.org/background", Stance.context, title="Background")
    db.session.flush()
    verdict = Verdict(claim_id=claim.id, rating=Rating.mostly_false, explanation="The audits found otherwise.")
    db.session.add(verdict)
    db.session.flush()
    db.session.add(VerdictEvidence(verdict_id=verdict.id, evidence_id=refuting.id, claim_id=claim.id))
    db.session.commit()
    page = html(client, f"{SEED_PAGE}/claims/embassy-environment-and-jobs")
    assert page.index("<h3>1 link that supports</h3>") < page.index("<h3>2 links that refute</h3>")
    assert "<h3>1 link that gives context</h3>" in page
    seeded_claim = db.session.scalar(sa.select(Claim).filter_by(slug="pompeo-accuses-cooperation"))
    make.evidence(seeded_claim, "https://example.org/background", Stance.context, title="Background")
    db.session.commit()
    assert "<h3>2 links that give context</h3>" in html(client, f"{SEED_PAGE}/claims/pompeo-accuses-cooperation")
    assert "Auditor, <time datetime=\"2021-03-04\">4 March 2021</time>" in page
    assert "Verdict: mostly false" in page and "The audits found otherwise." in page
    assert f'It rests on: <a href="#evidence-{refuting.id}">Audit of the project</a>' in page
    assert f"Permalink: <a href=\"http://tracker.test{SEED_PAGE}/claims/embassy-environment-and-jobs\"" in page


def test_reconstructed_claim_page_says_it_is_not_a_quote(client, seeded):
    page = html(client, f"{SEED_PAGE}/claims/pompeo-geopolitical-aims")
    assert "Worded by an editor: no verbatim source" in page and '<blockquote class="in-context">' not in page
    main = words_without_summaries(page[page.index("<main"):page.index("</main>")])
    assert main.count("reconstructed") == 1  # the badge; the heading and the note do not say it again
    reported = html(client, f"{SEED_PAGE}/claims/pompeo-accuses-cooperation")
    assert "These are the words of" in reported and "<mark>the groundless accusation" in reported


# ---- actor page and errors ----------------------------------------------------

def test_actor_page_lists_statements_and_claims_across_disputes(client, app):
    speaker = make.actor("minister")
    speaker.name = "The Minister"
    for slug in ("one", "two"):
        make.claim(make.statement(make.dispute(slug), f"s-{slug}", speaker=speaker, title=f"Speech in {slug}"), f"c-{slug}")
    make.statement(make.dispute("other"), "s-other", title="Someone else")
    db.session.commit()
    page = html(client, "/actors/minister")
    assert "<h1>The Minister</h1>" in page
    assert "Speech in one" in page and "Speech in two" in page and "Someone else" not in page
    assert 'href="/disputes/two/claims/c-two"' in page and "Dispute one</a>" in page


@pytest.mark.parametrize("url", ["/disputes/nope", f"{SEED_PAGE}/statements/nope", f"{SEED_PAGE}/claims/nope",
                                 "/actors/nope", "/no/such/page"])
def test_unknown_pages_get_a_readable_404(client, seeded, url):
    page = html(client, url, status=404)
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


# ---- escaping everywhere --------------------------------------------------------

def test_user_text_is_escaped_on_every_reader_page(client, app):
    d = make.dispute("xss")
    d.title, d.summary = XSS, XSS
    speaker = make.actor("x")
    speaker.name, speaker.role = XSS, XSS
    s = make.statement(d, "s", text=XSS + " tail", venue=XSS, title=XSS, speaker=speaker)
    c = make.claim(s, "c", summary=XSS, quote_start=0, quote_end=len(XSS), quote_exact=XSS)
    make.evidence(c, "https://example.org/x", title=XSS, publisher=XSS, excerpt=XSS)
    db.session.flush()
    db.session.add(Verdict(claim_id=c.id, rating=Rating.false, explanation=XSS))
    other = make.claim(make.statement(d, "t", text="Plain."), "answer", summary=XSS, quote_start=0, quote_end=6,
                       quote_exact="Plain.")
    make.response(other, c)
    db.session.commit()
    for url in ("/", "/disputes/xss", "/disputes/xss/statements/s", "/disputes/xss/claims/c",
                "/disputes/xss/claims/answer", "/actors/x", "/disputes/xss/side-by-side?left=s&right=t"):
        page = html(client, url)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


# ---- queries per page do not grow with the data -----------------------------------

def build_dispute(slug: str, claims: int) -> None:
    """A dispute of `claims` claims over 10 statements, each answering the previous one, with evidence."""
    d = make.dispute(slug)
    speakers = [make.actor(f"{slug}-a"), make.actor(f"{slug}-b")]
    statements = [make.statement(d, f"s{i}", speaker=speakers[i % 2], text="Some words. More words.") for i in range(10)]
    db.session.flush()
    made = [make.claim(statements[i % 10], f"c{i}", kind=ClaimKind.accusation if i < 5 else ClaimKind.counterclaim)
            for i in range(claims)]
    for previous, c in zip(made, made[1:]):
        make.response(c, previous)
    for i, c in enumerate(made):
        make.evidence(c, f"https://example.org/{slug}/{i}", Stance.refutes if i % 2 else Stance.supports)
    db.session.commit()
    refresh_planner_statistics()


PAGES = ["/", "/disputes/{slug}", "/disputes/{slug}/statements/s1", "/disputes/{slug}/claims/c5",
         "/disputes/{slug}/claims/c0", "/actors/{slug}-a", "/disputes/{slug}/side-by-side?left=s0&right=s1"]


def test_query_count_does_not_grow_with_the_dispute(client, app):
    build_dispute("small", 10)
    build_dispute("large", 1000)
    for url in PAGES:
        small = count_queries(lambda: client.get(url.format(slug="small")))
        large = count_queries(lambda: client.get(url.format(slug="large")))
        assert small == large, url
        assert client.get(url.format(slug="large")).status_code == 200


def test_a_deep_thread_is_nested_to_a_readable_depth_then_linked(client, app):
    d = make.dispute("deep")
    s = make.statement(d)
    chain = [make.claim(s, f"c{i:02}", summary=f"Claim {i:02}") for i in range(30)]
    for answer, target in zip(chain[1:], chain):
        make.response(answer, target)
    db.session.commit()
    page = html(client, "/disputes/deep/claims/c00")
    assert "Claim 12" in page and "Claim 13" not in page
    assert 'follow it from this claim' in page and 'href="/disputes/deep/claims/c12"' in page
