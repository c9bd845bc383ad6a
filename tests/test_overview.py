"""The overview strip heading a timeline: dates to scale, a band per speaker, a mark per statement."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tracker.db import db, utcnow
from tracker.disputes import overview, queries
from tracker.disputes.timescale import Scale, period
from tracker.models import ClaimKind, DatePrecision, Dispute, ReviewStatus

from . import factories as make
from .database import count_queries, refresh_planner_statistics

SEED = "/disputes/china-latin-america-cooperation-2020"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onload="x &amp; ]]>'


def inline_strip(client, url: str) -> ET.Element:
    """The strip drawn inside the timeline page, parsed as XML."""
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'<figure class="overview">\s*(<svg.*?</svg>)', page, re.S)
    assert match, "no overview strip on the page"
    return ET.fromstring(match.group(1))


def download(client, slug: str) -> ET.Element:
    response = client.get(f"/disputes/{slug}/timeline.svg")
    assert response.status_code == 200
    return ET.fromstring(response.get_data())


def marks(svg: ET.Element) -> dict[str, ET.Element]:
    """Each statement's link, by statement slug (a statement drawn twice fails here)."""
    links = svg.findall(f".//{SVG}a")
    slugs = [link.get("href").rpartition("/")[2] for link in links]
    assert len(slugs) == len(set(slugs)), "a statement is drawn more than once"
    return dict(zip(slugs, links))


def where(link: ET.Element) -> tuple[float, float, float]:
    """A mark's left and right ends in % of the strip's width, and its height in px."""
    dot = link.find(f"{SVG}use")
    if dot is not None:
        x = float(dot.get("x").rstrip("%"))
        return x, x, float(dot.get("y"))
    line = link.find(f"{SVG}line")
    return float(line.get("x1").rstrip("%")), float(line.get("x2").rstrip("%")), float(line.get("y1"))


def labels(svg: ET.Element) -> list[str]:
    """The tick labels under the bands, left to right."""
    return [t.text for g in svg.iter(f"{SVG}g") if g.get("aria-hidden") for t in g.iter(f"{SVG}text")]


def dated_dispute(slug: str, *dates, speaker=None) -> Dispute:
    """A dispute with one statement per (date, precision), named s0, s1, ..."""
    d = make.dispute(slug)
    for i, (date, precision) in enumerate(dates):
        make.statement(d, f"s{i}", date=date, date_precision=precision, speaker=speaker or make.actor())
    db.session.commit()
    return d


DAY, MONTH, YEAR = DatePrecision.day, DatePrecision.month, DatePrecision.year


def test_the_strip_heads_the_timeline_with_a_link_to_each_statement(client, seeded):
    page = client.get(SEED).get_data(as_text=True)
    assert page.index('<nav class="views"') < page.index('<figure class="overview">') < page.index('class="timeline')
    assert f'href="{SEED}/timeline.svg" download>Download the overview (SVG)</a>' in page
    drawn = marks(inline_strip(client, SEED))
    assert set(drawn) == {"pompeo-kingston-remarks", "prc-embassy-press-release"}
    link = drawn["prc-embassy-press-release"]
    assert link.get("href") == f"{SEED}/statements/prc-embassy-press-release"  # the statement page: on any page
    assert link.find(f"{SVG}title").text == (
        "Embassy of the People's Republic of China in Jamaica, 22 January 2020: Press Release (2020.01.22)")
    # Two speakers, two bands: the same day, one above the other.
    (left, right, y), (left2, right2, y2) = where(drawn["pompeo-kingston-remarks"]), where(link)
    assert left == right == left2 == right2 == 50.0 and y < y2


def test_the_download_is_a_standalone_document_with_absolute_links(client, seeded):
    response = client.get(f"{SEED}/timeline.svg")
    assert response.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{seeded}-timeline.svg"'
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    svg = ET.fromstring(response.get_data())
    assert svg.get("width") == "960"  # a size of its own, away from any page
    assert svg.find(f"{SVG}title").text.startswith("Overview of the timeline: China's cooperation")
    assert svg.find(f"{SVG}desc").text == ("2 statements on 22 January 2020 in 2 bands, one per speaker, dates to "
                                            "scale. Each mark links to its statement.")
    for slug, link in marks(svg).items():
        assert link.get("href") == f"http://tracker.test{SEED}/statements/{slug}"
    assert "<style" not in text and not re.search(r"\sstyle=", text)  # no inline styles under the CSP


@pytest.mark.parametrize("url", ["/disputes/{slug}/timeline.svg", "/disputes/{slug}"])
def test_an_unknown_dispute_is_a_404_and_a_deleted_one_a_410(client, app, url):
    assert client.get(url.format(slug="no-such-thing")).status_code == 404
    d = dated_dispute("gone", (dt.date(2020, 1, 1), DAY))
    d.deleted_at = utcnow()
    db.session.commit()
    response = client.get(url.format(slug="gone"))
    assert response.status_code == 410 and "This dispute was deleted" in response.get_data(as_text=True)


def test_dates_are_drawn_to_scale(client, app):
    dated_dispute("scale", (dt.date(2021, 3, 1), DAY), (dt.date(2021, 3, 11), DAY), (dt.date(2021, 3, 31), DAY))
    for svg in (inline_strip(client, "/disputes/scale"), download(client, "scale")):
        x0, x1, x2 = (where(marks(svg)[f"s{i}"])[0] for i in range(3))
        assert (x1 - x0) / (x2 - x0) == pytest.approx(10 / 30, abs=.002)
        assert 0 < x0 < x2 < 100
        assert labels(svg)[:2] == ["1 Mar", "2021"]  # weekly ticks, the year under the first


def test_a_month_or_a_year_is_drawn_over_its_whole_span(client, app):
    dated_dispute("spans", (dt.date(2020, 1, 1), DAY), (dt.date(2020, 2, 1), MONTH), (dt.date(2020, 3, 1), DAY),
                  (dt.date(2020, 1, 1), YEAR))
    drawn = marks(inline_strip(client, "/disputes/spans"))
    jan_1, feb, mar_1, year = (where(drawn[f"s{i}"]) for i in range(4))
    day = (mar_1[0] - jan_1[0]) / 60  # 2020 is a leap year: 60 days from 1 January to 1 March
    assert feb[0] == pytest.approx(jan_1[0] + 30.5 * day, abs=.02)  # from the start of 1 February...
    assert feb[1] == pytest.approx(mar_1[0] - .5 * day, abs=.02)  # ...to the end of 29 February
    assert year[1] - year[0] == pytest.approx(366 * day, abs=.05)
    # A bar, not a dot: a reader tells a known day from a month at a glance, and the title says which.
    assert drawn["s1"].find(f"{SVG}use") is None and drawn["s0"].find(f"{SVG}line") is None
    assert ", February 2020: " in drawn["s1"].find(f"{SVG}title").text
    assert "dated to a month or a year" in "".join(inline_strip(client, "/disputes/spans").itertext())


def test_a_one_day_dispute_is_drawn_over_a_few_days_around_it(client, app):
    dated_dispute("oneday", (dt.date(2020, 1, 22), DAY))
    svg = inline_strip(client, "/disputes/oneday")
    assert where(marks(svg)["s0"])[0] == 50.0
    assert labels(svg) == ["20 Jan", "2020", "21 Jan", "22 Jan", "23 Jan", "24 Jan"]


@pytest.mark.parametrize(("first", "last", "expected"), [
    (dt.date(2020, 1, 1), dt.date(2020, 11, 30), ["Jan", "2020", "Mar", "May", "Jul", "Sep", "Nov"]),
    (dt.date(2019, 10, 1), dt.date(2020, 3, 31), ["Nov", "2019", "Jan", "2020", "Mar"]),
    (dt.date(1990, 6, 1), dt.date(2020, 6, 1), ["1990", "2000", "2010", "2020"]),
    (dt.date(1, 1, 1), dt.date(9999, 12, 31), ["2000", "4000", "6000", "8000"]),
])
def test_ticks_step_in_days_months_or_years_as_the_span_asks(first, last, expected):
    scale = Scale.around([period(first, DAY), period(last, DAY)])
    ticks = scale.ticks(most=6)
    assert [word for tick in ticks for word in (tick.label, tick.year) if word] == expected
    assert all(0 <= scale.share(tick.day) <= 1 for tick in ticks)


def test_statements_on_the_same_day_stand_in_rows_not_on_each_other(client, app):
    dated_dispute("crowd", *[(dt.date(2020, 5, 5), DAY)] * 4, (dt.date(2020, 5, 1), MONTH))
    drawn = [where(link) for link in marks(inline_strip(client, "/disputes/crowd")).values()]
    heights = [y for _, _, y in drawn]
    assert len(set(heights)) == len(heights) == 5  # the month over them takes a row of its own
    assert sorted(heights) == [heights[0] + overview.ROW * i for i in range(5)]


def test_many_speakers_the_busiest_five_get_bands_the_rest_share_one(client, app):
    d = make.dispute("many")
    for i in range(9):
        for j in range(1 if i % 2 else 3):  # a0, a2, a4, a6, a8 speak three times
            make.statement(d, f"s{i}-{j}", speaker=make.actor(f"a{i}"), date=dt.date(2020, 1, 1 + i + j))
    db.session.commit()
    svg = inline_strip(client, "/disputes/many")
    groups = [g.get("aria-label") for g in svg.iter(f"{SVG}g") if g.get("role") == "group"]
    assert groups == ["Actor a0: 3 statements", "Actor a2: 3 statements", "Actor a4: 3 statements",
                      "Actor a6: 3 statements", "Actor a8: 3 statements", "4 other speakers: 4 statements"]
    assert "4 other speakers" in [t.text for t in svg.iter(f"{SVG}text")]
    assert "in 6 bands, one per speaker for the 5 busiest and one for the 4 others" in svg.find(f"{SVG}desc").text
    assert marks(svg)["s3-0"].find(f"{SVG}title").text.startswith("Actor a3, 4 January 2020: ")  # named on hover


def test_two_speakers_of_one_name_get_a_band_each(client, app):
    d = make.dispute("namesakes")
    for slug in ("john-smith-mp", "john-smith-reporter"):
        make.actor(slug).name = "John Smith"
        make.statement(d, slug, speaker=make.actor(slug))
    db.session.commit()
    groups = [g for g in inline_strip(client, "/disputes/namesakes").iter(f"{SVG}g") if g.get("role") == "group"]
    assert [g.get("aria-label") for g in groups] == ["John Smith: 1 statement"] * 2


def test_statements_holding_an_unanswered_accusation_are_ringed_and_say_so(client, app):
    d = dated_dispute("open", *[(dt.date(2020, 1, day), DAY) for day in (1, 2, 3, 4)])
    s0, s1, s2, s3 = sorted(d.statements, key=lambda s: s.slug)
    make.claim(s0, "left-open", kind=ClaimKind.accusation)
    answered = make.claim(s1, "answered", kind=ClaimKind.accusation)
    make.response(make.claim(s3, "answer"), answered)
    held_back = make.claim(s2, "held-back", kind=ClaimKind.accusation)
    make.response(make.claim(s3, "pending-answer", review=ReviewStatus.pending), held_back)
    db.session.commit()
    svg = inline_strip(client, "/disputes/open")
    ringed = {slug for slug, link in marks(svg).items() if link.get("class") == "unanswered"}
    expected = {claim.statement.slug for claim in queries.unanswered_accusations(d)[0]}
    assert ringed == expected == {"s0", "s2"}  # an answer readers do not see yet answers nothing
    link = marks(svg)["s0"]
    assert link.find(f"{SVG}title").text.endswith("(holds an accusation not answered yet)")
    assert link.get("stroke") == overview.UNANSWERED and marks(svg)["s1"].get("stroke") is None
    assert "holds an accusation not answered yet" in [t.text for t in svg.iter(f"{SVG}text")]  # the legend
    assert "2 hold an accusation not answered yet, ringed in red." in svg.find(f"{SVG}desc").text


def test_undated_and_deleted_statements(client, app):
    d = dated_dispute("undated", (dt.date(2020, 1, 1), DAY), (dt.date(2020, 2, 1), DAY), (None, None))
    make.statement(d, "deleted", date=dt.date(2030, 1, 1)).deleted_at = utcnow()
    db.session.commit()
    svg = inline_strip(client, "/disputes/undated")
    drawn = marks(svg)
    assert set(drawn) == {"s0", "s1", "s2"}
    assert where(drawn["s2"])[0] > where(drawn["s1"])[0]  # undated last, at the right end
    assert "no date" in labels(svg)
    assert drawn["s2"].find(f"{SVG}title").text == "Actor a, date unknown: Statement s2"
    assert "1 without a date stand at the right end." in svg.find(f"{SVG}desc").text


def test_a_dispute_of_undated_statements_draws_them_apart_with_no_axis(client, app):
    dated_dispute("dateless", (None, None), (None, None))
    svg = inline_strip(client, "/disputes/dateless")
    assert labels(svg) == ["no date"]
    (x0, _, y0), (x1, _, y1) = (where(link) for link in marks(svg).values())
    assert x0 == x1 and y0 != y1


def test_hostile_names_and_titles_come_out_as_text(client, app):
    d = dated_dispute("hostile", (dt.date(2020, 1, 1), DAY))
    d.title = HOSTILE
    statement = d.statements[0]
    statement.title = HOSTILE + "\x0b"  # a control character XML forbids even escaped
    statement.speaker.name = HOSTILE
    db.session.commit()
    page = client.get("/disputes/hostile").get_data(as_text=True)
    assert "<script>alert" not in page and '" onload="x' not in page
    for svg in (inline_strip(client, "/disputes/hostile"), download(client, "hostile")):
        link = marks(svg)["s0"]
        assert link.find(f"{SVG}title").text == f"{HOSTILE}, 1 January 2020: {HOSTILE}"
        assert not svg.findall(f".//{SVG}script") and all(e.get("onload") is None for e in svg.iter())
        assert HOSTILE in [t.text for t in svg.iter(f"{SVG}text")]  # the band's name, as text
        assert svg.find(f"{SVG}title").text == f"Overview of the timeline: {HOSTILE}"


def test_a_dispute_without_statements_has_no_strip_and_a_download_saying_so(client, app):
    make.dispute("bare")
    db.session.commit()
    assert '<figure class="overview">' not in client.get("/disputes/bare").get_data(as_text=True)
    svg = download(client, "bare")
    assert "This dispute has no statements yet." in "".join(svg.itertext()) and not marks(svg)


def build_dispute(slug: str, statements: int) -> None:
    """`statements` statements over two years from seven speakers, some to a month, some with accusations."""
    d = make.dispute(slug)
    speakers = [make.actor(f"{slug}-{i}") for i in range(7)]
    for i in range(statements):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=i * 730 // statements)
        statement = make.statement(d, f"s{i}", speaker=speakers[i % 7], date=day,
                                   date_precision=MONTH if i % 10 == 0 else DAY, title=f"Statement number {i}")
        if i % 5 == 0:
            make.claim(statement, f"c{i}", kind=ClaimKind.accusation)
    db.session.commit()
    refresh_planner_statistics()


def test_queries_stay_bounded_and_the_picture_small_as_the_dispute_grows(client, app):
    build_dispute("small", 10)
    build_dispute("large", 500)
    for url in ("/disputes/{slug}", "/disputes/{slug}/timeline.svg"):
        small = count_queries(lambda: client.get(url.format(slug="small")))
        large = count_queries(lambda: client.get(url.format(slug="large")))
        assert small == large, url
    large = SimpleNamespace(id=db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == "large")))
    assert count_queries(lambda: overview.marks(large)) <= 2  # one query for the whole strip (after SQLite's BEGIN)
    document = client.get("/disputes/large/timeline.svg").get_data()
    assert len(document) < 300_000, len(document)
    svg = ET.fromstring(document)
    assert len(marks(svg)) == 500
    assert float(svg.get("height")) < 720  # crowded bands stop growing: five rows of marks at most
