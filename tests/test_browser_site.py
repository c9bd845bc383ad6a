"""The site in a real browser: its icon, a header that stays one row on a wide screen, captions and quotes laid out as written."""

import pytest

from tracker.db import db
from tracker.models import Role

from .client import PASSWORD
from .factories import create_user
from .test_browser import ARTIFACTS, browser, server, shot, signed_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.committed


def test_every_page_has_an_icon_and_no_request_for_one_fails(server, browser):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(server + "/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(server + icon).status == 200
    assert page.request.get(server + "/favicon.ico").status == 200  # what browsers ask for whatever pages say
    assert failed == []
    context.close()


def test_the_signed_in_header_is_one_row_at_1280_px(server, browser):  # noqa: F811
    create_user("admin@example.org", "Ada Lovelace-Byron", Role.admin, PASSWORD)  # the longest menu there is
    db.session.commit()
    context, page = signed_in(browser, server, "admin@example.org")
    tops = page.evaluate("""() => [...document.querySelectorAll(
        "header.site > .brand, header.site nav a, header.site .site-search, header.site .account")]
        .map(element => element.getBoundingClientRect().top)""")
    shot(page, "header-1280-admin")
    assert max(tops) - min(tops) < 20, tops  # every part of the header on the first row
    context.close()


def test_the_side_by_side_caption_spans_a_phone(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/disputes/china-latin-america-cooperation-2020/side-by-side")
    caption = page.locator("table.side-by-side caption").bounding_box()
    shot(page, "side-by-side-390")
    assert caption["width"] > 300, caption  # it was squeezed to about 115 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_a_quote_in_context_keeps_the_statement_s_line_breaks(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/disputes/china-latin-america-cooperation-2020/claims/pompeo-accuses-cooperation")
    # The context starts with the press release's title line, then a blank line, then its first paragraph.
    tops = page.evaluate("""() => {
        const text = document.querySelector("blockquote.in-context p").firstChild;
        const top = (from, to) => { const range = document.createRange();
            range.setStart(text, from); range.setEnd(text, to); return range.getBoundingClientRect().top; };
        const paragraph = text.data.indexOf("We express");
        return [top(0, 5), top(paragraph, paragraph + 10)];
    }""")
    shot(page, "claim-in-context-1280")
    assert tops[1] - tops[0] > 30, tops  # the paragraph starts below the title line, after a blank line
    context.close()


def test_the_index_dates_a_dispute_by_its_statements_and_reconstructions_are_labelled_once(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/")
    entry = page.locator("ul.disputes li").first
    assert entry.locator("time").get_attribute("datetime") == "2020-01-22"  # the events, not the import
    assert "22 January 2020" in entry.inner_text()
    page.goto(server + "/disputes/china-latin-america-cooperation-2020#claim-pompeo-local-harm")
    card = page.locator("#claim-pompeo-local-harm")
    summary = card.locator("h3").inner_text()
    said = card.inner_text().replace(summary, "")
    assert said.lower().count("reconstructed") == 1, said
    assert page.locator("time:not([datetime])").count() == 0
    context.close()
