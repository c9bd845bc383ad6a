"""The timeline's reading order (dates of any precision, replies after what they answer), its pages and lanes."""

import datetime as dt
import random
import re
from html import unescape

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.disputes.order import Moment, reading_order
from tracker.models import Claim, ClaimTag, DatePrecision, Statement, StatementAnswer

from . import factories as make
from .database import count_queries, refresh_planner_statistics

DAY, MONTH, YEAR = DatePrecision.day, DatePrecision.month, DatePrecision.year


def ids(moments) -> list[int]:
    return [m.id for m in moments]


def moment(id_: int, date: str | None, speaker: int = 1) -> Moment:
    """A statement dated "2022-06-06", "2022-06" (a month, stored as its first day), "2022" or None."""
    if date is None:
        return Moment(id_, None, speaker)
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return Moment(id_, dt.date(*parts[:3]), speaker)


# ---- the order, as a pure function --------------------------------------------------------------

def test_without_replies_statements_read_in_date_order_a_month_at_its_start_undated_last():
    moments = [moment(1, None), moment(2, "2022-06-06"), moment(3, "2022-06"), moment(4, "2022"), moment(5, "2021-12-31")]
    assert ids(reading_order(moments, [])) == [5, 4, 3, 2, 1]


def test_a_month_answering_a_day_of_that_month_comes_after_it():
    june, sixth = moment(1, "2022-06"), moment(2, "2022-06-06")
    assert ids(reading_order([june, sixth], [(1, 2)])) == [2, 1]


def test_a_same_day_reply_recorded_first_comes_after_what_it_answers():
    reply, accusation = moment(1, "2020-01-22", speaker=2), moment(2, "2020-01-22", speaker=1)
    assert ids(reading_order([reply, accusation], [(1, 2)])) == [2, 1]


def test_a_year_answering_a_day_comes_right_after_it_not_after_the_rest_of_the_year():
    moments = [moment(1, "2022"), moment(2, "2022-03-15"), moment(3, "2022-05-01"), moment(4, "2022-01-10")]
    assert ids(reading_order(moments, [(1, 2)])) == [4, 2, 1, 3]


def test_a_chain_of_replies_of_coarser_and_coarser_dates_keeps_its_order():
    # 3 (a day) <- 2 (that year) <- 1 (a month of it): each after the one it answers.
    moments = [moment(1, "2022-06"), moment(2, "2022"), moment(3, "2022-06-06")]
    assert ids(reading_order(moments, [(1, 2), (2, 3)])) == [3, 2, 1]


def test_a_reply_never_comes_before_what_it_answers_even_when_dated_earlier():
    moments = [moment(1, "2020-01-20"), moment(2, "2020-01-22"), moment(3, "2020-01-21")]
    assert ids(reading_order(moments, [(1, 2)])) == [3, 2, 1]


def test_an_undated_target_keeps_its_replies_after_it():
    assert ids(reading_order([moment(1, "2020-01-01"), moment(2, None)], [(1, 2)])) == [2, 1]


def test_answers_in_a_circle_keep_every_statement_once_earliest_first():
    moments = [moment(i, "2020-01-22") for i in range(1, 6)]
    circle = [(i, i - 1) for i in range(2, 6)] + [(1, 5)]
    assert ids(reading_order(moments, circle)) == [1, 2, 3, 4, 5]


def test_answers_to_statements_outside_the_list_and_to_itself_are_ignored():
    moments = [moment(1, "2020-01-01"), moment(2, "2020-01-02")]
    assert ids(reading_order(moments, [(1, 99), (2, 2), (1, 1)])) == [1, 2]


# ---- the page ------------------------------------------------------------------------------------

def titles(page: str) -> list[str]:
    return re.findall(r'<h2 id="title-[^"]+"><a [^>]+>([^<]+)</a></h2>', page)


def lane_heads(page: str) -> list[str]:
    return re.findall(r'<span class="lane-head lane-\d">([^<]+)</span>', page)


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def speaker(slug: str, name: str):
    actor = make.actor(slug)
    actor.name = name
    return actor


def test_the_june_reply_to_the_sixth_of_june_reads_after_it_and_its_side_takes_the_second_lane(client, app):
    d = make.dispute("june")
    # The reply is recorded first, and "June 2022" is stored as 1 June: by dates and ids it would lead.
    reply = make.statement(d, "reply", date=dt.date(2022, 6, 1), date_precision=MONTH, title="The reply",
                           speaker=speaker("accused", "The Accused"))
    accusation = make.statement(d, "accusation", date=dt.date(2022, 6, 6), title="The accusation",
                                speaker=speaker("accuser", "The Accuser"))
    make.response(make.claim(reply, "denial"), make.claim(accusation, "charge"))
    db.session.commit()
    page = get(client, "/disputes/june")
    assert titles(page) == ["The accusation", "The reply"]
    assert lane_heads(page) == ["The Accuser", "The Accused"]
    assert 'class="statement lane-1" id="statement-accusation"' in page
    assert 'class="statement lane-2" id="statement-reply"' in page


def test_a_statement_that_says_it_answers_another_reads_after_it(client, app):
    d = make.dispute("said")
    reply = make.statement(d, "reply", date=dt.date(2022, 1, 1), date_precision=YEAR, title="The reply")
    target = make.statement(d, "target", date=dt.date(2022, 3, 3), title="The target")
    db.session.flush()
    db.session.add(StatementAnswer(statement_id=reply.id, answered_id=target.id, dispute_id=d.id))
    db.session.commit()
    assert titles(get(client, "/disputes/said")) == ["The target", "The reply"]


def test_an_answer_readers_do_not_see_does_not_reorder(client, app):
    d = make.dispute("hidden")
    reply = make.statement(d, "reply", date=dt.date(2022, 6, 1), date_precision=MONTH, title="The reply")
    target = make.statement(d, "target", date=dt.date(2022, 6, 6), title="The target")
    make.response(make.claim(reply, "answer"), make.claim(target, "charge"), deleted_at=dt.datetime(2022, 7, 1))
    db.session.commit()
    assert titles(get(client, "/disputes/hidden")) == ["The reply", "The target"]


def test_an_answer_names_the_speaker_it_answers_and_a_short_summary_linking_to_its_card(client, app):
    d = make.dispute("short")
    target = make.claim(make.statement(d, "first", speaker=speaker("accuser", "The Accuser")), "charge",
                        summary="A summary long enough to be cut short where a word ends, not in a word")
    make.response(make.claim(make.statement(d, "second", date=dt.date(2020, 2, 1)), "answer"), target)
    db.session.commit()
    page = get(client, "/disputes/short")
    link = re.search(r'<a href="#claim-charge"><span class="who">The Accuser</span>: ([^<]+)</a>', page)
    assert link and link.group(1) == "A summary long enough to be cut short where a…"


def test_more_than_four_speakers_read_in_one_column_and_a_speaker_filter_leaves_one_lane(client, app):
    d = make.dispute("many")
    for i in range(5):
        make.statement(d, f"s{i}", date=dt.date(2020, 1, 1 + i), title=f"S{i}", speaker=speaker(f"p{i}", f"Person {i}"))
    db.session.commit()
    page = get(client, "/disputes/many")
    assert titles(page) == [f"S{i}" for i in range(5)]
    assert lane_heads(page) == [] and 'class="timeline lanes-1"' in page and 'class="statement" id="statement-s0"' in page
    assert lane_heads(get(client, "/disputes/many?actor=p3")) == ["Person 3"]


# ---- pages of a large generated dispute ------------------------------------------------------------

PRECISIONS = [DAY, DAY, DAY, MONTH, YEAR]


def build_large_dispute(slug: str = "large", statements: int = 90, seed: int = 7):
    """Statements of three sides with dates of every precision, recorded in no particular order, each of most
    answering an earlier-or-same-time one through a claim; a few with more claims than a page holds."""
    rng = random.Random(seed)
    d = make.dispute(slug)
    sides = [speaker(f"{slug}-{side}", f"Side {side}") for side in "abc"]
    made, claims = [], []
    for i in rng.sample(range(statements), statements):  # ids do not follow the dates
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i * 3)
        precision = rng.choice(PRECISIONS)
        if precision is MONTH:
            day = day.replace(day=1)
        elif precision is YEAR:
            day = day.replace(month=1, day=1)
        s = make.statement(d, f"s{i:03}", title=f"S{i:03}", date=day, date_precision=precision,
                           speaker=sides[i % 3])
        count = 160 if i in (10, 50) else rng.randint(1, 4)
        mine = [make.claim(s, f"c{i:03}-{k:03}", quote_start=k, quote_end=k + 1, quote_exact="S",
                           quote_prefix="", quote_suffix="") for k in range(count)]
        if i % 5 == 0:
            mine[-1].tags.append(ClaimTag(name="ports"))
        made.append((i, s, mine))
    made.sort(key=lambda row: row[0])
    for i, s, mine in made[1:]:
        if rng.random() < 0.8:
            target = made[rng.randrange(max(0, i - 5), i)][2][0]
            make.response(mine[0], target)
            claims.append((mine[0], target))
        if i % 7 == 0:  # a claim without a quote: after the quoted ones
            make.claim(s, f"t{i:03}", reconstructed=True,
                       **dict.fromkeys(["quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix"]))
    db.session.commit()
    refresh_planner_statistics()
    every_claim = [c.slug for _, _, mine in made for c in mine] + [f"t{i:03}" for i, _, _ in made[1:] if i % 7 == 0]
    return {claim.slug: target.statement.title for claim, target in claims}, every_claim


def walk(client, url: str) -> tuple[list[str], list[str], int]:
    """Every page from `url` on: the statements in the order met (a statement split across pages counted once),
    the claims in the order met, and how many pages continued a statement of the page before."""
    statements, claims, continued = [], [], 0
    while url:
        page = get(client, url)
        met = titles(page)
        if "Continued from the previous page." in page:
            assert met[0] == statements[-1]
            met, continued = met[1:], continued + 1
        statements += met
        claims += re.findall(r'<article[^>]*id="claim-([\w-]+)"', page)
        match = re.search(r'rel="next" href="([^"]+)"', page)
        url = match and match.group(1).replace("&amp;", "&")
    return statements, claims, continued


def of(claim_slug: str) -> str:
    """The title of a generated claim's statement ("c010-002" and "t010" are claims of "S010")."""
    return f"S{claim_slug[1:4]}"


def test_walking_every_page_meets_each_statement_and_claim_once_in_reading_order(client, app):
    answered, every_claim = build_large_dispute()
    statements, claims, continued = walk(client, "/disputes/large")
    assert sorted(statements) == [f"S{i:03}" for i in range(90)]  # none skipped, none repeated
    assert sorted(claims) == sorted(every_claim)
    assert continued == 2  # the two statements longer than a page
    place = {title: i for i, title in enumerate(statements)}
    for claim, target in answered.items():
        assert place[target] < place[of(claim)], (claim, target)  # a reply never before what it answers
    # Claims come statement by statement, as the statements are read; in a statement, quoted ones first.
    assert [of(c) for c in claims] == sorted((of(c) for c in claims), key=place.get)
    assert claims.index("t014") > claims.index("c014-000")


@pytest.mark.parametrize("query", ["actor=large-b", "relation=rebuts", "tag=ports", "actor=large-a&relation=rebuts"])
def test_filtered_pages_follow_the_same_order(client, app, query):
    build_large_dispute()
    everything, _, _ = walk(client, "/disputes/large")
    narrowed, claims, _ = walk(client, f"/disputes/large?{query}")
    assert len(narrowed) == len(set(narrowed))
    assert narrowed == [title for title in everything if title in set(narrowed)]  # the same order, a part of it
    if query == "actor=large-b":
        assert set(narrowed) == {f"S{i:03}" for i in range(90) if i % 3 == 1}
    if "relation" in query:
        assert claims and all(c.endswith("-000") for c in claims)  # only claims that answer
    if query == "tag=ports":
        assert set(narrowed) == {f"S{i:03}" for i in range(0, 90, 5)}


def test_bad_cursors_are_refused_with_a_clear_400(client, app):
    d = make.dispute("mine")
    mine = make.statement(d, "mine")
    mine_claim = make.claim(mine, "c")
    gone = make.statement(d, "gone", deleted_at=dt.datetime(2021, 1, 1))
    other = make.statement(make.dispute("other"), "elsewhere")
    other_claim = make.claim(other, "oc")
    db.session.commit()
    assert titles(get(client, f"/disputes/mine?after={mine.id}.{mine_claim.id}")) == ["Statement mine"]
    for after in ["oops", "1.2.3", "-1", "1e3", "99999999999999999999", "999999", ".1",
                  str(other.id), str(gone.id), f"{mine.id}.{other_claim.id}", f"{mine.id}.999999"]:
        page = get(client, f"/disputes/mine?after={after}", status=400)
        assert 'The "after" parameter is not a position in this timeline.' in unescape(page), after


def test_queries_per_page_do_not_grow_with_the_dispute(client, app):
    build_large_dispute("small", statements=12)
    build_large_dispute("big", statements=90)
    for query in ("", "?actor={slug}-a", "?relation=rebuts&tag=ports", "?after={statement}", "?after={statement}.{claim}"):
        counts = []
        for slug in ("small", "big"):
            # Statement 10 has more claims than a page holds: its page starts at its 100th.
            statement = db.session.scalar(
                sa.select(Statement).where(Statement.slug == "s010", Statement.dispute.has(slug=slug)))
            claim = db.session.scalar(
                sa.select(Claim.id).where(Claim.slug == "c010-100", Claim.statement_id == statement.id))
            url = f"/disputes/{slug}" + query.format(slug=slug, statement=statement.id, claim=claim)
            get(client, url)
            counts.append(count_queries(lambda: client.get(url)))
        assert counts[0] == counts[1], query
