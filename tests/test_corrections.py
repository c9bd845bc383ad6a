"""Public corrections: dated notes on the corrected pages, and the site-wide list."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Claim, Correction, CorrectionKind, Rating, Revision, ReviewStatus, Statement, Verdict

from . import factories as make
from .client import get
from .database import count_queries

D = "/disputes/c"
DAY = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)


@pytest.fixture
def dispute(app):
    d = make.dispute("c")
    s = make.statement(d, "s", title="The speech")
    make.statement(d, "other", title="Another speech")
    c = make.claim(s, "c", summary="The claim")
    db.session.flush()
    db.session.add(Verdict(claim_id=c.id, rating=Rating.false, explanation="Wrong."))
    db.session.commit()
    return d


def correct(object_type: str, obj, reason: str, kind=CorrectionKind.correction, when=DAY) -> Correction:
    revision = Revision(action="edit", object_type=object_type, object_id=obj.id, before={}, after={})
    db.session.add(revision)
    db.session.flush()
    row = Correction(dispute_id=db.session.scalar(sa.select(Claim.dispute_id).limit(1)), object_type=object_type,
                     object_id=obj.id, kind=kind, reason=reason, revision_id=revision.id, created_at=when)
    db.session.add(row)
    db.session.commit()
    return row


def one(model, **where):
    db.session.expire_all()
    return db.session.scalar(sa.select(model).filter_by(**where))


def notes(page: str) -> list[str]:
    """The corrections aside's notes, as readers read them."""
    aside = re.search(r'<aside class="corrections".*?</aside>', page, re.S)
    if not aside:
        return []
    return [" ".join(re.sub(r"<[^>]+>", "", li).split()) for li in re.findall(r"<li[^>]*>(.*?)</li>", aside.group(), re.S)]


def test_the_claim_page_notes_corrections_of_the_claim_its_verdict_and_its_quotes_text(client, dispute):
    claim = one(Claim, slug="c")
    correct("claim", claim, "The summary misread the quote.", when=DAY - dt.timedelta(days=2))
    correct("verdict", one(Verdict), "A source was added.", CorrectionKind.update, when=DAY)
    correct("statement", one(Statement, slug="s"), "A typo in the transcript.", CorrectionKind.clarification,
            when=DAY - dt.timedelta(days=1))
    correct("statement", one(Statement, slug="other"), "Not about this claim.")
    page = get(client, f"{D}/claims/c")
    assert notes(page) == [
        "Update, 28 November 2026: A source was added.",
        "Clarification, 27 November 2026: A typo in the transcript.",
        "Correction, 26 November 2026: The summary misread the quote.",
    ]
    assert '<h2 id="corrections-title">Corrections</h2>' in page
    assert notes(get(client, f"{D}/statements/s")) == ["Clarification, 27 November 2026: A typo in the transcript."]
    assert notes(get(client, f"{D}/statements/other")) == ["Correction, 28 November 2026: Not about this claim."]


def test_pages_without_corrections_show_no_notes(client, dispute):
    assert 'class="corrections"' not in get(client, f"{D}/claims/c")


def test_correction_reasons_are_escaped(client, dispute):
    correct("claim", one(Claim, slug="c"), '<script>alert("x")</script>')
    for url in (f"{D}/claims/c", "/corrections"):
        page = get(client, url)
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_corrections_page_lists_every_correction_with_its_dispute_and_a_link(client, dispute):
    correct("claim", one(Claim, slug="c"), "Summary fixed.", when=DAY - dt.timedelta(days=1))
    correct("statement", one(Statement, slug="s"), "Transcript fixed.", CorrectionKind.clarification)
    page = get(client, "/corrections")
    assert page.index("Transcript fixed.") < page.index("Summary fixed.")  # newest first
    assert "Clarification, <time" in page and "28 November 2026" in page
    assert f'href="{D}"' in page and "Dispute c" in page
    assert f'href="{D}/claims/c"' in page and f'href="{D}/statements/s"' in page


def test_the_link_to_a_hidden_object_is_left_out(client, dispute):
    correct("claim", one(Claim, slug="c"), "Summary fixed.")
    correct("verdict", one(Verdict), "Verdict reworded.")
    claim = one(Claim, slug="c")
    claim.review = ReviewStatus.rejected
    db.session.commit()
    page = get(client, "/corrections")
    assert "Summary fixed." in page and "Verdict reworded." in page
    assert f"{D}/claims/c" not in page and "The claim" not in page
    assert "a claim (no longer shown)" in page and "a verdict (no longer shown)" in page


def test_corrections_of_a_deleted_dispute_are_not_listed(client, dispute):
    correct("claim", one(Claim, slug="c"), "Summary fixed.")
    one(Claim, slug="c").statement.dispute.deleted_at = DAY
    db.session.commit()
    assert "Summary fixed." not in get(client, "/corrections")


def make_corrections(count: int) -> None:
    claim, statement, verdict = one(Claim, slug="c"), one(Statement, slug="s"), one(Verdict)
    targets = [("claim", claim), ("statement", statement), ("verdict", verdict)]
    for i in range(count):
        object_type, obj = targets[i % 3]
        correct(object_type, obj, f"Reason {i:03}.", when=DAY + dt.timedelta(minutes=i // 2))


def test_the_corrections_page_pages_by_50_without_gaps_or_repeats(client, dispute):
    make_corrections(120)
    seen, url = [], "/corrections"
    while url:
        page = get(client, url)
        seen += re.findall(r"Reason (\d+)\.", page)
        older = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert len(seen) == 120 and len(set(seen)) == 120
    assert seen[:2] == ["119", "118"]
    get(client, "/corrections?after=nonsense", status=400)


def test_the_corrections_page_runs_as_many_queries_for_60_corrections_as_for_2(client, dispute):
    make_corrections(2)
    few = count_queries(lambda: client.get("/corrections"))
    make_corrections(58)
    assert count_queries(lambda: client.get("/corrections")) == few
