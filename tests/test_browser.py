"""A reader's walk through the tracker in a real browser (Chromium), with axe-core on every kind of page.

Needs Debian's Chromium at /usr/bin/chromium (or TRACKER_CHROMIUM); without it these
tests skip, saying so. Screenshots go to test-artifacts/browser/.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tracker.db import db
from tracker.models import Dispute

from .conftest import ROOT, SEED_DISPUTE

CHROMIUM = os.environ.get("TRACKER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "browser"

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium, or set TRACKER_CHROMIUM)",
        allow_module_level=True,
    )

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

SEED = f"/disputes/{SEED_DISPUTE}"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def server(app, seeded):
    """The app served on a free local port for the length of one test."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    # JavaScript off: every page must work without it.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(browser, url: str) -> None:
    """No serious or critical axe-core violation on the page (axe needs JavaScript to run)."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    results = Axe().run(page)
    context.close()
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(
        f'{v["id"]} ({v["impact"]}): {v["help"]}: {[n["target"] for n in v["nodes"][:3]]}' for v in bad
    )


def test_a_reader_follows_a_counterclaim_to_the_accusation_and_its_source(server, page):
    page.goto(server + "/")
    shot(page, "01-index")
    page.get_by_role("link", name="China's cooperation with Latin America and the Caribbean").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pompeo's accusation")
    shot(page, "02-seed-timeline")

    # Follow "China has no intention..." to the accusation it rebuts.
    card = page.locator("#claim-embassy-no-geopolitical-intent")
    card.get_by_role("link", name="China uses its cooperation to pursue a geopolitical strategy").click()
    assert page.url.endswith("#claim-pompeo-geopolitical-aims")
    target = page.locator("#claim-pompeo-geopolitical-aims")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("Not a quote: worded by an editor")

    # Open the press release and see the quote highlighted, linked to its claim.
    page.get_by_role("link", name="Press Release (2020.01.22)").first.click()
    highlight = page.locator(f'a.anchor[href="{SEED}/claims/embassy-no-geopolitical-intent"] mark')
    expect(highlight).to_have_text("China has no intention to pursue geopolitical strategy or sphere of influence.")
    expect(highlight).to_be_visible()
    shot(page, "03-statement-highlighted")
    highlight.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "China has no intention to pursue a geopolitical strategy or a sphere of influence")
    shot(page, "04-claim")


def test_a_reader_searches_a_phrase_and_lands_on_the_claim(server, page):
    page.goto(server + "/")
    page.get_by_role("searchbox", name="Search the tracker").fill("mutual respect, equality and mutual benefit")
    page.get_by_role("button", name="Search").click()
    shot(page, "05-search")
    page.get_by_role("link", name="China's cooperation rests on mutual respect, equality and mutual benefit").first.click()
    assert page.url.startswith(f"{server}{SEED}/claims/embassy-mutual-respect")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "China's cooperation rests on mutual respect, equality and mutual benefit")


def test_a_reader_opens_the_response_map(server, page):
    page.goto(server + SEED)
    page.get_by_role("link", name="Response map").click()
    svg = page.locator(".map-frame svg")
    expect(svg).to_be_visible()
    expect(svg.locator("a")).to_have_count(17)
    shot(page, "06-response-map")
    svg.locator(f'a[href="{SEED}/claims/embassy-groundless"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The accusation is groundless; the embassy strongly objects to it")


def test_pages_fit_a_phone_and_the_timeline_stacks(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    for url in ["/", SEED, f"{SEED}/side-by-side", f"{SEED}/statements/prc-embassy-press-release",
                f"{SEED}/claims/embassy-groundless", "/search?q=china"]:
        page.goto(server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url  # no sideways scrolling
    page.goto(server + SEED)
    speech, release = page.locator("#statement-pompeo-kingston-remarks"), page.locator("#statement-prc-embassy-press-release")
    assert speech.bounding_box()["x"] == release.bounding_box()["x"]  # one column
    shot(page, "07-timeline-phone")
    context.close()


EVERY_KIND_OF_PAGE = [
    "/",
    SEED,
    f"{SEED}/side-by-side",
    f"{SEED}/statements/prc-embassy-press-release",
    f"{SEED}/statements/pompeo-kingston-remarks",
    f"{SEED}/claims/embassy-groundless",
    f"{SEED}/claims/pompeo-accuses-cooperation",
    f"{SEED}/map",
    "/actors/michael-r-pompeo",
    "/search?q=cooperation",
    "/search",
    "/login",
    "/changes",
    "/history/dispute/{dispute_id}",
    "/no-such-page",
]


def test_every_kind_of_page_passes_axe(server, browser):
    dispute_id = db.session.scalar(sa.select(Dispute.id))
    for url in EVERY_KIND_OF_PAGE:
        assert_accessible(browser, server + url.format(dispute_id=dispute_id))
