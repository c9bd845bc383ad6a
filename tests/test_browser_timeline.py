"""The timeline read in Chromium at 1280 and 390 px: reading down the page is reading forward in time.

Boxes come from the rendered page (JavaScript off for the reader; axe turns it on for itself).
"""

import datetime as dt

import pytest

from tracker.db import db
from tracker.models import ClaimKind, Relation

from . import factories as make
from .test_browser import SEED, assert_accessible, axe_once, browser, server, shot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.committed

FIVE = "/disputes/five"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
# A row's padding and a date line: what may lie between one card and the next beyond the cards themselves.
SLACK = 80

# slug, day, side, title, claims: (slug, sentence, summary, answers, relation)
FIVE_STATEMENTS = [
    # The reply is recorded first (a lower id), on the day of the accusation: it must still read after it.
    ("reply", 22, "embassy", "The embassy replies", [
        ("no-trap", "Our loans carry the lowest rates in the region and no state has ever defaulted on one.",
         "The loans are cheap and no state has defaulted", "trap", Relation.denies),
        ("civil-ports", "Every port we financed is a civilian port run by its own government.",
         "The ports are civilian and run by their governments", "navy", Relation.rebuts),
        ("open-tenders", "The tenders were published in the official gazette of each country.",
         "The tenders were published", "tenders", Relation.counters),
    ]),
    ("accusation", 22, "ministry", "The ministry accuses", [
        ("trap", "These loans are designed to trap small states in debt they cannot repay, and then to take "
                 "their ports and their votes in the assemblies where it matters.",
         "The loans trap small states in debt to take their ports and votes", None, None),
        ("navy", "The ports built with this money will serve a navy, not the fishermen who were promised them.",
         "The ports will serve a navy", None, None),
        ("tenders", "No tender for any of these projects was ever open to a company from anywhere else.",
         "No tender was open", None, None),
    ]),
    ("counter", 26, "ministry", "The ministry answers the embassy", [
        ("defaults-hidden", "Defaults are hidden by rolling the loans over, as the audit of the harbour shows.",
         "Defaults are hidden by rolling loans over", "no-trap", Relation.rebuts),
        ("gazette-late", "The gazette notices appeared after the contracts were signed.",
         "The notices came after the signing", "open-tenders", Relation.qualifies),
    ]),
    ("second-reply", 27, "embassy", "The embassy answers again", [
        ("audit-misread", "The audit speaks of one loan, refinanced at the borrower's request.",
         "The audit concerns one loan, refinanced on request", "defaults-hidden", Relation.rebuts),
    ]),
    ("closing", 30, "ministry", "The ministry closes", [
        ("request-pressed", "A request made under the pressure of a due payment is no free request.",
         "A request under pressure is not free", "audit-misread", Relation.rebuts),
    ]),
]


def build_five_statements() -> None:
    """A five-statement exchange: an accusation on 22 January, the reply that day, a counter on the 26th,
    a reply on the 27th, a counter on the 30th; each claim of an answer ties to the claim it answers."""
    d = make.dispute("five")
    sides = {"ministry": make.actor("ministry"), "embassy": make.actor("embassy")}
    sides["ministry"].name, sides["embassy"].name = "Ministry of Foreign Affairs", "The Embassy"
    claims, ties = {}, []
    for slug, day, side, title, sentences in FIVE_STATEMENTS:
        text = " ".join(sentence for _, sentence, *_ in sentences)
        statement = make.statement(d, slug, text=text, date=dt.date(2020, 1, day), speaker=sides[side], title=title)
        at = 0
        for claim_slug, sentence, summary, answers, relation in sentences:
            end = at + len(sentence)
            claims[claim_slug] = make.claim(
                statement, claim_slug, summary=summary, quote_start=at, quote_end=end, quote_exact=sentence,
                quote_prefix=text[max(0, at - 32):at], quote_suffix=text[end:end + 32],
                kind=ClaimKind.accusation if answers is None else ClaimKind.counterclaim)
            at = end + 1
            if answers:
                ties.append((claim_slug, answers, relation))
    for answer, target, relation in ties:
        make.response(claims[answer], claims[target], relation)
    db.session.commit()


def statement_boxes(page) -> list[dict]:
    """Every statement card in document order: its box (page coordinates), date, speaker, and the cards it answers."""
    return page.evaluate("""() => [...document.querySelectorAll('.moment')].map(row => {
        const card = row.querySelector('.statement'), box = card.getBoundingClientRect();
        const answered = [...card.querySelectorAll('.responds a[href^="#claim-"]')]
            .map(link => document.querySelector(link.getAttribute('href')).closest('.statement').id);
        return {id: card.id, top: box.top + scrollY, bottom: box.bottom + scrollY, left: box.left,
                right: box.right, height: box.height, date: row.querySelector('.when time').getAttribute('datetime'),
                speaker: card.querySelector('.meta strong').textContent, answers: [...new Set(answered)]};
    })""")


def assert_reads_in_time(cards: list[dict]) -> None:
    """Down the page is forward in time, a reply below what it answers."""
    assert len(cards) >= 2
    assert [c["date"] for c in cards] == sorted(c["date"] for c in cards)  # document order is date order...
    for before, after in zip(cards, cards[1:]):
        assert after["top"] >= before["bottom"] - 1, (before["id"], after["id"])  # ...and so is top to bottom
    where = {c["id"]: c for c in cards}
    replies = [(c, where[target]) for c in cards for target in c["answers"] if target != c["id"]]
    assert replies, "the test data has replies"
    for reply, target in replies:
        assert reply["top"] >= target["bottom"] - 1, f'{reply["id"]} is not below {target["id"]}'


def lane_boxes(page) -> dict[str, dict]:
    """Each lane's name and the box of its head, which spans the lane."""
    return {head.inner_text(): head.bounding_box() for head in page.locator(".lane-head").all()}


def covers(card: dict, lane: dict) -> bool:
    return card["left"] <= lane["x"] + 1 and lane["x"] + lane["width"] <= card["right"] + 1


def assert_no_long_blank_lane(cards: list[dict], lanes: dict[str, dict]) -> None:
    """In each lane, a blank (where no card covers it: above the first, between two, below the last) is no
    taller than one card: the tallest of those read meanwhile beside it."""
    top, bottom = cards[0]["top"], max(c["bottom"] for c in cards)
    for name, lane in lanes.items():
        edges = [top] + [edge for c in cards if covers(c, lane) for edge in (c["top"], c["bottom"])] + [bottom]
        for start, end in zip(edges[::2], edges[1::2]):  # from the bottom of one card to the top of the next
            beside = [c["height"] for c in cards if start - 1 <= c["top"] and c["bottom"] <= end + 1]
            assert end - start <= max(beside, default=0) + SLACK, (name, start, end)


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling


@pytest.mark.parametrize("url", [SEED, FIVE])
def test_wide_timeline_has_one_row_per_statement_in_its_speakers_lane(server, browser, url):
    build_five_statements()
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(server + url)
    cards = statement_boxes(page)
    assert_reads_in_time(cards)
    assert_no_long_blank_lane(cards, lane_boxes(page))
    lanes = {}
    for card in cards:
        assert lanes.setdefault(card["speaker"], card["left"]) == card["left"]  # a speaker keeps to a lane
    assert len(set(lanes.values())) == len(lanes) == 2  # a lane per side
    assert lanes[cards[0]["speaker"]] < lanes[next(c["speaker"] for c in cards if c["speaker"] != cards[0]["speaker"])]
    heads = page.locator(".lane-head")
    assert heads.all_text_contents() == list(lanes)  # the side that speaks first has the first lane
    for name, left in lanes.items():
        assert heads.filter(has_text=name).bounding_box()["x"] == left
    fits(page, 1280)
    if url == SEED:
        shot(page, "timeline-1280")
    context.close()


def test_the_five_statements_read_in_their_days_and_the_same_day_reply_second(server, browser):
    build_five_statements()
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(server + FIVE)
    cards = statement_boxes(page)
    assert [c["id"] for c in cards] == ["statement-accusation", "statement-reply", "statement-counter",
                                        "statement-second-reply", "statement-closing"]
    assert [c["speaker"] for c in cards[:2]] == ["Ministry of Foreign Affairs", "The Embassy"]
    # Each answer is a short link to the card it answers, naming who said it.
    link = page.locator("#claim-no-trap .responds a")
    assert link.get_attribute("href") == "#claim-trap"
    assert link.text_content().startswith("Ministry of Foreign Affairs: The loans trap small states")
    assert link.text_content().endswith("…")  # not the whole summary: it is on the card the link leads to
    assert "denies" in page.locator("#claim-no-trap .responds").text_content()
    marker = page.evaluate("getComputedStyle(document.querySelector('#claim-no-trap .responds li'), '::before').content")
    assert "↳" in marker  # drawn as a connector
    link.click()
    assert page.url.endswith("#claim-trap")
    shot(page, "timeline-five-1280")
    context.close()


@pytest.mark.parametrize("url", [SEED, FIVE])
def test_phone_timeline_stacks_in_reading_order_with_date_and_speaker(server, browser, url):
    build_five_statements()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(server + url)
    fits(page, 390)
    cards = statement_boxes(page)
    assert_reads_in_time(cards)
    assert len({c["left"] for c in cards}) == 1  # one column
    for before, after in zip(cards, cards[1:]):
        assert after["top"] - before["bottom"] <= SLACK  # stacked, nothing blank between
    for row in page.locator(".moment").all():
        assert row.locator(".when time").is_visible() and row.locator(".statement .meta strong").is_visible()
    if url == SEED:
        shot(page, "timeline-390")
    context.close()


def test_filtering_by_speaker_without_javascript_keeps_one_lane_in_time(server, browser):
    build_five_statements()
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(server + FIVE)
    page.get_by_label("Speaker").select_option(label="The Embassy")
    page.get_by_role("button", name="Apply").click()
    assert "actor=embassy" in page.url
    cards = statement_boxes(page)
    assert [c["id"] for c in cards] == ["statement-reply", "statement-second-reply"]
    assert page.locator(".lane-head").all_text_contents() == ["The Embassy"]
    for before, after in zip(cards, cards[1:]):
        assert after["top"] - before["bottom"] <= SLACK
    context.close()


@axe_once
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_timelines_pass_axe(server, browser, viewport):
    build_five_statements()
    context = browser.new_context(bypass_csp=True, viewport=viewport)
    for url in (SEED, FIVE, FIVE + "?actor=embassy"):
        assert_accessible(browser, server + url, context)
    context.close()


def test_a_side_speaking_again_spans_the_lanes_so_none_stays_blank(server, browser):
    d = make.dispute("runs")
    ministry, embassy = make.actor("ministry"), make.actor("embassy")
    ministry.name, embassy.name = "Ministry of Foreign Affairs", "The Embassy"
    for day, slug, speaker in [(1, "first", ministry), (2, "second", ministry), (3, "third", ministry),
                               (4, "answer", embassy), (5, "again", embassy), (6, "last", ministry)]:
        make.statement(d, slug, text=f"Words of the {slug} statement. " * 12, date=dt.date(2020, 1, day),
                       speaker=speaker, title=f"The {slug} statement")
    db.session.commit()
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(server + "/disputes/runs")
    cards = statement_boxes(page)
    assert [c["id"] for c in cards] == [f"statement-{s}" for s in ("first", "second", "third", "answer", "again", "last")]
    heads = lane_boxes(page)
    for card in cards:  # each card covers its speaker's lane; one that follows its own side covers them all
        assert covers(card, heads[card["speaker"]]), card["id"]
    spans = {c["id"] for c in cards if all(covers(c, lane) for lane in heads.values())}
    assert spans == {"statement-second", "statement-third", "statement-again"}
    assert_no_long_blank_lane(cards, heads)
    for before, after in zip(cards, cards[1:]):
        assert after["top"] >= before["bottom"] - 1  # still one row each, in time
    fits(page, 1280)
    shot(page, "timeline-runs-1280")
    context.close()
