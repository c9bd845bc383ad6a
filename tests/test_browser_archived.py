"""The claim page with a verdict and an archived copy beside an evidence link, in a real browser: axe-core, and a
phone's width."""

import pytest
import sqlalchemy as sa

from tracker.core import By
from tracker.core.evidence import edit_evidence
from tracker.core.verdicts import set_verdict
from tracker.db import db
from tracker.models import Evidence, Rating

from .database import SEED_DISPUTE, on_postgresql
from .test_browser import assert_accessible, browser, server  # noqa: F401  (fixtures; skips without Chromium)

CLAIM = f"/disputes/{SEED_DISPUTE}/claims/pompeo-accuses-cooperation"
ARCHIVED = "https://web.archive.org/web/20200123000000/https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"
pytestmark = [pytest.mark.committed,
              pytest.mark.skipif(on_postgresql(), reason="axe runs on the SQLite pass (markup is the same)")]


def test_a_claim_with_an_archived_copy_and_a_verdict_passes_axe_and_fits_a_phone(server, browser):  # noqa: F811
    item = db.session.scalar(sa.select(Evidence))
    by = By.machine("test")
    edit_evidence(item, url=item.url, title=item.title, stance=item.stance, publisher=item.publisher, date=item.date,
                  excerpt=item.excerpt, archived_url=ARCHIVED, by=by)
    set_verdict(item.claim, rating=Rating.mixed, explanation="Partly so.", evidence=[item.id], by=by)
    db.session.commit()
    assert_accessible(browser, server + CLAIM)

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + CLAIM)
    link = page.get_by_role("link", name="Archived copy: Toward Closer U.S.-Caribbean Ties")
    assert link.get_attribute("href") == ARCHIVED and link.get_attribute("rel") == "noopener noreferrer"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
