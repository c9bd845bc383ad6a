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
from tracker.models import Claim, Dispute

from .client import PASSWORD
from .database import ROOT, SEED_DISPUTE, on_postgresql

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
# The served app answers from its own threads and connections: they must see what the tests commit.
pytestmark = pytest.mark.committed


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
    # These tests change data and look again at once: the browser asks every time (still with its ETag),
    # where the default max-age would show the page it kept a moment before, as it may for readers.
    policy, app.config["CACHE_CONTROL"] = app.config["CACHE_CONTROL"], "public, no-cache"
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()
    app.config["CACHE_CONTROL"] = policy


@pytest.fixture
def page(browser):
    # JavaScript off: every page must work without it.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(browser, url: str, context=None) -> None:
    """No serious or critical axe-core violation on the page (axe needs JavaScript to run)."""
    own = context is None
    context = context or browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    results = Axe().run(page)
    page.close()
    if own:
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

    # Follow "China has no intention..." to the accusation it rebuts: a short link naming who made it.
    card = page.locator("#claim-embassy-no-geopolitical-intent")
    card.get_by_role("link", name="Michael R. Pompeo: China uses its cooperation to pursue").click()
    assert page.url.endswith("#claim-pompeo-geopolitical-aims")
    target = page.locator("#claim-pompeo-geopolitical-aims")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("Worded by an editor: no verbatim source is on record.")

    # Open the press release and see the quote highlighted, the number after it linked to its claim.
    page.get_by_role("link", name="Press Release (2020.01.22)").first.click()
    link = page.locator(f'#statement-text a[href="{SEED}/claims/embassy-no-geopolitical-intent"]')
    highlight = page.locator(f'#statement-text mark[data-quote="{link.get_attribute("data-quote")}"]')
    expect(highlight).to_have_text("China has no intention to pursue geopolitical strategy or sphere of influence.")
    expect(highlight).to_be_visible()
    shot(page, "03-statement-highlighted")
    link.click()
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
    svg = page.locator(".map-frame svg.map")  # the wide drawing, at 1280 px (tests/test_browser_map.py: both)
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
    "/corrections",
    "/history/dispute/{dispute_id}",
    "/no-such-page",
]


# The markup does not depend on the database: axe runs once, on the SQLite pass.
axe_once = pytest.mark.skipif(on_postgresql(), reason="axe runs on the SQLite pass (markup is the same)")


@axe_once
def test_every_kind_of_page_passes_axe(server, browser):
    dispute_id = db.session.scalar(sa.select(Dispute.id))
    for url in EVERY_KIND_OF_PAGE:
        assert_accessible(browser, server + url.format(dispute_id=dispute_id))


# ---- the editorial loop ------------------------------------------------------------------

STATEMENT_TEXT = (
    "Remarks at the regional forum.\n\n"
    "The embassy says its cooperation rests on mutual respect. The record shows loans\u00a0with hidden "
    "terms\u2014and no open tender for the port.\n"
)
REBUTTAL = "The record shows loans\u00a0with hidden terms"


def signed_in(browser, server, email, javascript=True, **options):
    """A browser window of its own, signed in as this user."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.goto(server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as")
    return context, page


def select_in_text(page, words: str) -> None:
    """Select these words in the statement's text, as a reader would drag over them."""
    page.evaluate(
        """words => {
            const box = document.getElementById("statement-text");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error("not in the text: " + words);
        }""",
        words,
    )


def test_the_editorial_loop(server, browser, editor, contributor):
    """An editor adds a statement, cuts a claim by selecting text and ties it as a rebuttal; a contributor
    suggests evidence; the editor approves it; a reader sees it; the editor undoes an edit from the history."""
    desk, page = signed_in(browser, server, "editor@example.org")

    # A statement, pasted verbatim (a non-breaking space and an em dash included), answering the press release.
    page.goto(server + SEED)
    page.get_by_role("link", name="Add a statement").click()
    page.get_by_label("Title", exact=True).fill("Reply at the regional forum")
    page.get_by_label("Or a new speaker's name").fill("Regional Forum Chair")
    page.get_by_label("Kind").select_option("speech")
    page.get_by_label("Date").fill("2020-02-03")
    page.get_by_label("Source URL").fill("https://example.org/forum")
    page.get_by_label("Verbatim text").fill(STATEMENT_TEXT)
    answers = page.get_by_label("Answers")
    answers.select_option(label=answers.locator("option", has_text="Press Release").text_content())
    page.get_by_role("button", name="Add the statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply at the regional forum")
    statement_url = page.url
    shot(page, "10-editor-statement-added")

    # Cut a claim by selecting its words: the button opens the form with the quote filled in.
    select_in_text(page, REBUTTAL)
    page.get_by_role("button", name="New claim from selection").click()
    expect(page.get_by_role("textbox", name="Quote")).to_have_value(REBUTTAL)
    page.get_by_label("Summary (the claim in one line").fill("China's loans carry hidden terms")
    page.get_by_label("Kind").select_option("counterclaim")
    shot(page, "11-editor-claim-from-selection")
    page.get_by_role("button", name="Add the claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("China's loans carry hidden terms")
    expect(page.locator("blockquote.in-context mark")).to_have_text(REBUTTAL)  # anchored in the verbatim text
    claim_url = page.url

    # Tie it to the claim it answers, as a rebuttal.
    page.get_by_role("link", name="Tie to the claim it answers").click()
    page.get_by_label("The claim it answers").select_option(
        label=page.get_by_label("The claim it answers").locator("option", has_text="mutual respect, equality").first
        .text_content())
    page.get_by_label("How it answers it").select_option("rebuts")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("China's loans carry hidden terms")
    expect(page.get_by_role("region", name="What it answers")).to_contain_text(
        "China's cooperation rests on mutual respect, equality and mutual benefit")

    # A contributor suggests evidence; readers do not see it yet.
    bench, contributor_page = signed_in(browser, server, "contributor@example.org")
    contributor_page.goto(claim_url)
    contributor_page.get_by_role("link", name="Suggest evidence").click()
    contributor_page.get_by_label("Link (URL)").fill("HTTPS://Example.org/audit?b=2&a=1")
    contributor_page.get_by_label("Title", exact=True).fill("Audit of the port loan")
    contributor_page.get_by_label("What it does to the claim").select_option("supports")
    contributor_page.get_by_role("button", name="Suggest").click()
    expect(contributor_page.get_by_role("status")).to_contain_text("review")
    reader = browser.new_context(java_script_enabled=False)
    reader_page = reader.new_page()
    reader_page.goto(claim_url)
    expect(reader_page.get_by_role("link", name="Audit of the port loan")).to_have_count(0)

    # The editor approves it from the queue.
    page.goto(server + "/review")
    item = page.locator("article, li, section").filter(has_text="Audit of the port loan").last
    item.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("pprove")
    shot(page, "12-editor-approved")

    # A reader sees the claim on the timeline, with its evidence, and the link on the claim page.
    reader_page.goto(server + SEED)
    card = reader_page.locator("article", has_text="China's loans carry hidden terms").first
    expect(card).to_contain_text("1 supports")
    expect(card).to_contain_text("rebuts")
    shot(reader_page, "13-reader-timeline")
    reader_page.goto(claim_url)
    expect(reader_page.get_by_role("link", name="Audit of the port loan")).to_be_visible()
    contributor_page.goto(server + "/my/submissions")
    expect(contributor_page.get_by_role("main")).to_contain_text("approved")

    # The editor edits the statement's title, then undoes the edit from the history page.
    page.goto(statement_url)
    page.get_by_role("link", name="Edit statement").click()
    page.get_by_label("Title", exact=True).fill("A title entered by mistake")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A title entered by mistake")
    page.get_by_role("link", name="History").first.click()
    shot(page, "14-editor-history")
    page.get_by_role("button", name="Undo this change").first.click()
    reader_page.goto(statement_url)
    expect(reader_page.get_by_role("heading", level=1)).to_have_text("Reply at the regional forum")
    for context in (desk, bench, reader):
        context.close()


EDITOR_PAGES = [
    f"{SEED}/edit",
    f"{SEED}/statements/new",
    f"{SEED}/statements/prc-embassy-press-release/edit",
    f"{SEED}/statements/prc-embassy-press-release/claims/new",
    f"{SEED}/statements/prc-embassy-press-release",  # with the editor's controls
    f"{SEED}/claims/embassy-groundless",
    f"{SEED}/claims/embassy-groundless/edit",
    f"{SEED}/claims/embassy-groundless/responses/new",
    f"{SEED}/claims/embassy-groundless/evidence/new",
    f"{SEED}/claims/embassy-groundless/verdict",
    f"{SEED}/claims/embassy-groundless/merge",
    "/review",
    "/my/submissions",
    "/history/claim/{claim_id}",
    "/disputes/new",
    "/account",
]


@axe_once
def test_every_kind_of_editor_page_passes_axe(server, browser, editor):
    claim_id = db.session.scalar(sa.select(Claim.id).filter_by(slug="embassy-groundless"))
    context, page = signed_in(browser, server, "editor@example.org", bypass_csp=True)
    for url in EDITOR_PAGES:
        assert_accessible(browser, server + url.format(claim_id=claim_id), context)
    # A form sent back with errors: each error tied to its field.
    page.goto(server + f"{SEED}/statements/new")
    page.get_by_role("button", name="Add the statement").click()
    expect(page.locator(".errors").first).to_be_visible()
    results = Axe().run(page)
    assert not [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    context.close()


def test_editor_pages_fit_a_phone(server, browser, editor):
    claim_id = db.session.scalar(sa.select(Claim.id).filter_by(slug="embassy-groundless"))
    context, page = signed_in(browser, server, "editor@example.org", javascript=False)
    page.set_viewport_size({"width": 390, "height": 844})
    for url in EDITOR_PAGES:
        page.goto(server + url.format(claim_id=claim_id))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url  # no sideways scrolling
    context.close()
