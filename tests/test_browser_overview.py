"""The overview strip in a real browser: at the top of the timeline, as wide as the page, readable at 390 px."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tracker.db import db
from tracker.models import ClaimKind, DatePrecision

from . import factories as make
from .test_browser import ARTIFACTS, SEED, assert_accessible, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.committed
WIDTHS = [(1280, 900), (390, 844)]

# The size each text of the strip is drawn at on screen: its font size times the scale it is drawn at.
RENDERED_FONT_SIZES = """svg => [...svg.querySelectorAll("text")].map(
    text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
# Each mark's box on screen.
MARK_BOXES = """svg => [...svg.querySelectorAll("a")].map(a => {
    const box = a.getBoundingClientRect(); return [box.left, box.top, box.right, box.bottom]; })"""


def window(browser, width: int, height: int):  # noqa: F811
    """A window without JavaScript: the strip needs none."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": height})
    return context, context.new_page()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_strip_heads_the_timeline_fits_the_screen_and_reads_at_12_px(server, browser, width, height):  # noqa: F811
    context, page = window(browser, width, height)
    page.goto(server + SEED)
    strip = page.locator("svg.overview-strip")
    expect(strip).to_be_visible()
    box, first_statement = strip.bounding_box(), page.locator("section.statement").first.bounding_box()
    assert box["y"] + box["height"] <= first_statement["y"]  # above the timeline's statements
    assert 0 <= box["x"] and box["x"] + box["width"] <= width
    assert box["width"] > width * .8  # as wide as the page's text
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    sizes = strip.evaluate(RENDERED_FONT_SIZES)
    assert sizes and all(11.5 <= size <= 14 for size in sizes), sizes  # neither tiny on a phone nor huge on a desk
    strip.screenshot(path=str(ARTIFACTS / f"overview-{width}.png"))

    page.locator(f'svg.overview-strip a[href="{SEED}/statements/prc-embassy-press-release"]').click()
    assert page.url == f"{server}{SEED}/statements/prc-embassy-press-release"
    expect(page.get_by_role("heading", level=1)).to_have_text("Press Release (2020.01.22)")
    context.close()


def test_every_mark_is_a_link_named_by_speaker_date_and_title(server, browser):  # noqa: F811
    context, page = window(browser, 1280, 900)
    page.goto(server + SEED)
    link = page.get_by_role("link", name="Michael R. Pompeo, 22 January 2020: Toward Closer U.S.-Caribbean Ties")
    expect(link).to_have_count(1)
    link.focus()
    page.locator("svg.overview-strip").screenshot(path=str(ARTIFACTS / "overview-focus.png"))
    page.keyboard.press("Enter")  # reached and followed from the keyboard too
    expect(page).to_have_url(f"{server}{SEED}/statements/pompeo-kingston-remarks")
    context.close()


def busy_dispute() -> str:
    """Eight speakers over two years: days, months, a year, four statements on one day, unanswered accusations."""
    d = make.dispute("busy")
    d.title = "A busy dispute"
    speakers = [make.actor(f"speaker-{i}") for i in range(8)]
    speakers[0].name = "Ministry of Foreign Affairs of a Country with a Very Long Official Name"
    for i in range(40):
        precision = DatePrecision.month if i % 9 == 4 else DatePrecision.year if i == 14 else DatePrecision.day
        day = dt.date(2019, 1, 1) + dt.timedelta(days=i * 18)
        day = day.replace(day=1) if precision is DatePrecision.month else day.replace(month=1, day=1) \
            if precision is DatePrecision.year else day
        statement = make.statement(d, f"s{i}", speaker=speakers[i % 8 if i < 30 else 0], date=day,
                                   date_precision=precision, title=f"Statement number {i}")
        if i % 7 == 0:
            make.claim(statement, f"c{i}", kind=ClaimKind.accusation)
    for j in range(4):
        make.statement(d, f"same-day-{j}", speaker=speakers[1], date=dt.date(2019, 6, 3), title=f"Same day {j}")
    db.session.commit()
    return "/disputes/busy"


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_a_busy_dispute_stays_readable_and_no_mark_hides_another(server, browser, width, height):  # noqa: F811
    url = busy_dispute()
    context, page = window(browser, width, height)
    page.goto(server + url)
    strip = page.locator("svg.overview-strip")
    expect(strip.locator("a")).to_have_count(44)
    expect(strip.locator("a.unanswered")).to_have_count(6)
    expect(strip).to_contain_text("3 other speakers")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = strip.evaluate(MARK_BOXES)
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
    assert not overlapping
    sizes = strip.evaluate(RENDERED_FONT_SIZES)
    assert all(11.5 <= size <= 14 for size in sizes), sizes
    # No text runs out of the strip, or into another (the axis' labels, the speakers' names, the legend).
    texts = strip.evaluate("""svg => { const frame = svg.getBoundingClientRect();
        return [...svg.querySelectorAll("text")].map(t => { const b = t.getBoundingClientRect();
            return [b.left - frame.left, b.right - frame.left, b.top, b.bottom, t.textContent]; }); }""")
    strip_width = strip.bounding_box()["width"]
    assert all(0 <= left and right <= strip_width for left, right, *_ in texts), texts
    crossing = [(a[4], b[4]) for i, a in enumerate(texts) for b in texts[i + 1:]
                if a[0] < b[1] and b[0] < a[1] and a[2] < b[3] - 2 and b[2] < a[3] - 2]
    assert not crossing
    strip.screenshot(path=str(ARTIFACTS / f"overview-busy-{width}.png"))
    context.close()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_timeline_with_its_strip_is_accessible(server, browser, width, height):  # noqa: F811
    url = busy_dispute()
    for address in (SEED, url):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        assert_accessible(browser, server + address, context)
        context.close()
