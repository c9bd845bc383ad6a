"""Curating in one go, in a real browser: the new-claim form shows the text and cuts and ties in one save;
claim pickers are searched with JavaScript and without it; the forms pass axe and fit a phone."""

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tracker.db import db
from tracker.models import Claim, Response

from .test_browser import (  # noqa: F401  (browser, server and page are fixtures)
    SEED,
    assert_accessible,
    axe_once,
    browser,
    select_in_text,
    server,
    shot,
    signed_in,
)

# The served app answers from its own threads and connections: they must see what the tests commit.
pytestmark = pytest.mark.committed

PRESS = f"{SEED}/statements/prc-embassy-press-release"
PASSAGE = "Others are in no position to impose interference or coercion out of ulterior motives."
TIE = f"{SEED}/claims/embassy-mutual-respect/responses/new"
ACCUSATION = "China uses its cooperation to pursue a geopolitical strategy and a sphere of influence, not a " \
             "partnership of equals (reconstructed from the denial)"


def test_an_editor_cuts_a_claim_from_the_text_and_ties_it_in_one_save(server, browser, editor):
    desk, page = signed_in(browser, server, "editor@example.org")
    page.goto(server + PRESS)
    select_in_text(page, PASSAGE)
    page.get_by_role("button", name="New claim from selection").click()

    # The form shows the passage in its context, and the whole text in a region that scrolls on its own.
    expect(page.get_by_role("textbox", name="Quote")).to_have_value(PASSAGE)
    passage = page.locator("blockquote.in-context mark")
    expect(passage).to_have_text(PASSAGE)
    whole = page.get_by_role("region", name="The text of Press Release (2020.01.22), verbatim (scrolls)")
    expect(whole).to_contain_text("China has no intention to pursue geopolitical strategy")
    assert whole.evaluate("box => box.scrollHeight > box.clientHeight")  # it scrolls, the form stays at hand
    form_box, text_box = page.locator("form.post-form").bounding_box(), whole.bounding_box()
    assert text_box["x"] + text_box["width"] <= form_box["x"]  # side by side on a wide screen

    page.get_by_label("Summary (the claim in one line").fill("Outsiders have no right to interfere")
    page.get_by_label("Kind").select_option("counterclaim")
    # The list narrows as the words are typed (JavaScript), and the relation is the editor's to say.
    picker = page.get_by_label("The claim it answers")
    expect(picker.locator("option")).to_have_count(18)  # every claim readers see, and "None"
    page.get_by_label("Find a claim").fill("geopolitical pompeo")
    expect(picker.locator("option")).to_have_count(2)
    expect(page.locator("#target-found")).to_have_text("1 of 17 claims listed here match “geopolitical pompeo”.")
    picker.select_option(label=ACCUSATION)
    expect(page.get_by_label("How it answers it")).to_have_value("")
    page.get_by_label("How it answers it").select_option("counters")
    shot(page, "20-cut-and-tie-form")
    page.get_by_role("button", name="Add the claim").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Outsiders have no right to interfere")
    expect(page.get_by_role("status")).to_contain_text("Claim added; it counters “China uses its cooperation")
    expect(page.get_by_role("region", name="What it answers")).to_contain_text(ACCUSATION.split(" (")[0])
    shot(page, "21-cut-and-tied")
    made = db.session.scalar(sa.select(Claim).filter_by(slug="outsiders-have-no-right-to-interfere"))
    assert db.session.scalar(sa.select(Response.relation).filter_by(claim_id=made.id)).value == "counters"

    # On a phone the text comes first, above the form, and nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + f"{PRESS}/claims/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    text_box = page.locator("#source-text").bounding_box()
    assert text_box["y"] + text_box["height"] <= page.get_by_label("Summary (the claim in one line").bounding_box()["y"]
    shot(page, "22-new-claim-phone")
    desk.close()


def test_a_picker_is_searched_without_javascript(server, browser, editor):
    desk, page = signed_in(browser, server, "editor@example.org", javascript=False)
    page.goto(server + TIE)
    page.get_by_label("How it answers it").select_option("denies")
    page.get_by_label("Find a claim").fill("opaque laws")  # words of a slug and a summary
    page.get_by_role("button", name="Find").click()

    # The server narrowed the list; the page comes back at the picker, with the relation still chosen.
    assert page.url.endswith("/responses/new#target-picker")
    expect(page.locator("#target-picker")).to_be_in_viewport()
    picker = page.get_by_label("The claim it answers")
    expect(picker.locator("option")).to_have_text([
        "Choose the claim it answers",
        "China's dealings in the region are not transparent and do not respect local laws and market rules "
        "(reconstructed from the denial)"])
    expect(page.get_by_role("status").filter(has_text="claims match")).to_have_text(
        "1 of 16 claims match “opaque laws”.")
    expect(page.get_by_label("How it answers it")).to_have_value("denies")
    shot(page, "23-picker-found-without-javascript")
    picker.select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="What it answers")).to_contain_text("China's dealings in the region")

    # On the new-claim form, what was typed survives a Find.
    page.goto(server + f"{PRESS}/claims/new")
    page.get_by_label("Summary (the claim in one line").fill("Typed before the search")
    page.get_by_role("textbox", name="Quote").fill(PASSAGE)
    page.get_by_label("Find a claim").fill("sovereign")
    page.get_by_label("Find a claim").press("Enter")  # Enter in the box is the Find button
    expect(page.get_by_label("The claim it answers").locator("option")).to_have_count(2)
    expect(page.get_by_label("Summary (the claim in one line")).to_have_value("Typed before the search")
    expect(page.get_by_role("textbox", name="Quote")).to_have_value(PASSAGE)
    desk.close()


@axe_once
def test_the_curating_forms_pass_axe_and_fit_a_phone(server, browser, editor):
    context, page = signed_in(browser, server, "editor@example.org", bypass_csp=True)
    text = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-sovereign-choice")).statement.text
    start = text.index(PASSAGE)
    urls = [f"{PRESS}/claims/new?start={start}&end={start + len(PASSAGE)}", TIE,
            f"{SEED}/claims/embassy-mutual-respect/merge", f"{SEED}/claims/embassy-groundless/evidence/new"]
    for url in urls:
        assert_accessible(browser, server + url, context)
    # Sent back: a picker narrowed to nothing, a form with errors.
    page.goto(server + TIE)
    page.get_by_label("Find a claim").fill("no claim says this")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errors").first).to_be_visible()
    results = Axe().run(page)
    assert not [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    page.set_viewport_size({"width": 390, "height": 844})
    for url in urls:
        page.goto(server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    shot(page, "24-evidence-form-phone")
    page.goto(server + TIE)
    page.get_by_label("Find a claim").fill("transparent")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("status").filter(has_text="claims match")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # narrowed, still no sideways scrolling
    shot(page, "25-tie-form-found-phone")
    context.close()
