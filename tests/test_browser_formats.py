"""Feeds, exports and ClaimReview in a real browser: the CSP lets the data through, axe and a phone are content."""

import json

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Claim, Rating, Verdict

from .database import on_postgresql
from .test_browser import ARTIFACTS, SEED, assert_accessible, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.committed
CLAIM = f"{SEED}/claims/embassy-groundless"


def judged() -> None:
    claim_id = db.session.scalar(sa.select(Claim.id).filter_by(slug="embassy-groundless"))
    db.session.add(Verdict(claim_id=claim_id, rating=Rating.false, explanation="The release gives no figures."))
    db.session.commit()


def test_the_claim_review_reaches_the_browser_under_the_csp(server, browser):  # noqa: F811
    judged()
    context = browser.new_context()  # the CSP enforced, JavaScript on: as a reader's browser
    page = context.new_page()
    complaints = []
    page.on("console", lambda message: message.type == "error" and complaints.append(message.text))
    page.goto(server + CLAIM)
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "ClaimReview" and data["reviewRating"]["alternateName"] == "false"
    assert complaints == []  # no Content-Security-Policy report, nor any other error
    feeds = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert [feeds.nth(i).get_attribute("href") for i in range(feeds.count())] == ["/feed.atom", f"{SEED}/feed.atom"]
    context.close()


@pytest.mark.skipif(on_postgresql(), reason="axe runs on the SQLite pass (markup is the same)")
def test_a_claim_with_a_verdict_passes_axe(server, browser):  # noqa: F811
    judged()
    assert_accessible(browser, server + CLAIM)


def test_the_formats_section_fits_a_phone_and_its_links_answer(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + SEED)
    section = page.get_by_role("region", name="This dispute in other formats")
    section.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "formats-section-phone.png"))
    links = section.get_by_role("link")
    for i in range(links.count()):
        assert page.request.get(server + links.nth(i).get_attribute("href")).status == 200
    assert links.count() == 6
    context.close()
