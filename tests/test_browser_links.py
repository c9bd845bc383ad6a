"""Link checks on a claim page in a real browser: said in words, readable at 390 px, no axe violation."""

import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tracker.core.links import record_link_checks
from tracker.db import db
from tracker.models import Claim, Stance

from . import factories as make
from .test_browser import ARTIFACTS, SEED, assert_accessible, browser, server  # noqa: F401  (fixtures)
from .database import on_postgresql

pytestmark = pytest.mark.committed
CLAIM = f"{SEED}/claims/pompeo-accuses-cooperation"
LONG_HOST = "www." + "a-very-long-sub-domain-name-of-a-newspaper-archive" * 2 + ".example"


@pytest.fixture
def checked(server):  # noqa: F811
    """The seed claim's evidence, and two links more, each with its last check."""
    claim = db.session.scalar(sa.select(Claim).filter_by(slug="pompeo-accuses-cooperation"))
    make.evidence(claim, "https://news.example/moved", Stance.context, title="A moved report")
    make.evidence(claim, "https://news.example/gone", Stance.refutes, title="A vanished report")
    db.session.flush()
    when = dt.datetime(2026, 11, 29, 8, tzinfo=dt.UTC)
    states = {"https://news.example/moved": dict(status=200, redirects=[f"https://{LONG_HOST}/a"],
                                                 final_url=f"https://{LONG_HOST}/a"),
              "https://news.example/gone": dict(status=404)}
    record_link_checks([{"evidence_id": item.id, "url": item.url, "checked_at": when,
                         **states.get(item.url, dict(status=200))} for item in claim.evidence])
    db.session.commit()
    return server


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_each_links_check_reads_in_words_and_fits_the_screen(checked, browser, width, height):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(checked + CLAIM)
    checks = page.locator(".link-check")
    expect(checks).to_have_count(3)
    expect(page.get_by_text(f"Link checked 29 November 2026: redirected → {LONG_HOST}")).to_be_visible()
    expect(page.get_by_text("Link checked 29 November 2026: dead (404)")).to_be_visible()
    expect(page.get_by_text("Link checked 29 November 2026: ok")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"links-claim-{width}.png"), full_page=True)
    context.close()


@pytest.mark.skipif(on_postgresql(), reason="axe runs on the SQLite pass (markup is the same)")
def test_a_claim_page_with_link_checks_passes_axe(checked, browser):  # noqa: F811
    assert_accessible(browser, checked + CLAIM)
