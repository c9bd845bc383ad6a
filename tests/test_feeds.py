"""Atom feeds of the site, of a dispute and of an actor: what readers see, newest first, read as feed readers do."""

import datetime as dt
import re

import feedparser
import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Claim, Correction, CorrectionKind, Rating, Revision, ReviewStatus, Statement, Verdict

from . import factories as make
from .client import HTTPS
from .database import SEED_DISPUTE, count_queries

SEED = f"/disputes/{SEED_DISPUTE}"
POMPEO = "/actors/michael-r-pompeo"


def read(client, url: str):
    """The feed as a feed reader sees it; a reader would show a badly formed one with a warning (bozo)."""
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def one(model, **where):
    return db.session.scalar(sa.select(model).filter_by(**where))


def judge(slug: str, rating=Rating.false, text="Checked against the record.") -> Verdict:
    verdict = Verdict(claim_id=one(Claim, slug=slug).id, rating=rating, explanation=text)
    db.session.add(verdict)
    db.session.commit()
    return verdict


def correct(obj, object_type: str, reason: str) -> Correction:
    revision = Revision(action="edit", object_type=object_type, object_id=obj.id, before={}, after={})
    db.session.add(revision)
    db.session.flush()
    row = Correction(dispute_id=obj.dispute_id, object_type=object_type, object_id=obj.id,
                     kind=CorrectionKind.clarification, reason=reason, revision_id=revision.id)
    db.session.add(row)
    db.session.commit()
    return row


def test_the_site_feed_has_new_statements_verdicts_and_corrections(client, seeded):
    judge("embassy-groundless", text="The release gives no figures.")
    correct(one(Claim, slug="pompeo-local-harm"), "claim", "Closer to the remarks' words.")
    parsed = read(client, "/feed.atom")
    assert parsed.feed.title == "Tracker: new statements, verdicts and corrections"
    assert parsed.feed.link == f"{HTTPS}/"
    found = titles(parsed)
    assert "Michael R. Pompeo: Toward Closer U.S.-Caribbean Ties" in found
    assert "Embassy of the People's Republic of China in Jamaica: Press Release (2020.01.22)" in found
    verdict = next(e for e in parsed.entries if e.title.startswith("Verdict: false: "))
    assert verdict.summary == "The release gives no figures."
    assert verdict.link == f"{HTTPS}{SEED}/claims/embassy-groundless"
    correction = next(e for e in parsed.entries if e.title.startswith("Clarification to the claim"))
    assert correction.summary == "Closer to the remarks' words."
    assert correction.link == f"{HTTPS}{SEED}/claims/pompeo-local-harm"
    for entry in parsed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.updated_parsed is not None
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)
    assert [e.updated_parsed for e in parsed.entries] == sorted((e.updated_parsed for e in parsed.entries), reverse=True)


def test_an_entry_keeps_its_id_when_its_statement_is_renamed(client, seeded):
    before = {e.link.rsplit("/", 1)[1]: e.id for e in read(client, "/feed.atom").entries}
    statement = one(Statement, slug="prc-embassy-press-release")
    statement.slug, statement.title = "embassy-release", "A new title"
    db.session.commit()
    after = {e.link.rsplit("/", 1)[1]: e.id for e in read(client, "/feed.atom").entries}
    assert after["embassy-release"] == before["prc-embassy-press-release"]


def test_ids_come_from_the_publisher_s_address_when_it_is_set(app, client, seeded, monkeypatch):
    ids = {e.id for e in read(client, "/feed.atom").entries}
    monkeypatch.setitem(app.config, "PUBLISHER_URL", "https://factdesk.example/")
    again = read(client, "/feed.atom")
    assert {e.id for e in again.entries}.isdisjoint(ids)
    assert again.feed.author_detail.href == "https://factdesk.example/"


def test_feeds_leave_out_what_readers_do_not_see(client, seeded):
    judge("embassy-groundless")
    one(Claim, slug="embassy-groundless").review = ReviewStatus.pending
    one(Statement, slug="pompeo-kingston-remarks").deleted_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    found = titles(read(client, "/feed.atom"))
    assert not any(t.startswith("Verdict") for t in found)
    assert not any(t.startswith("Michael R. Pompeo: ") for t in found)


def test_a_dispute_s_feed_and_an_actor_s_feed_hold_theirs_only(client, seeded):
    other = make.dispute("other")
    make.statement(other, "elsewhere", title="Said elsewhere", speaker=make.actor("someone-else"))
    db.session.commit()
    assert "Actor someone-else: Said elsewhere" in titles(read(client, "/feed.atom"))
    dispute_feed = read(client, f"{SEED}/feed.atom")
    assert dispute_feed.feed.link == f"{HTTPS}{SEED}"
    assert "Actor someone-else: Said elsewhere" not in titles(dispute_feed) and len(dispute_feed.entries) == 2
    judge("pompeo-local-harm")
    judge("embassy-groundless")
    pompeo = titles(read(client, f"{POMPEO}/feed.atom"))
    assert all(t.startswith(("Michael R. Pompeo: ", "Verdict: false: ")) for t in pompeo)
    assert sum(t.startswith("Verdict") for t in pompeo) == 1  # the verdict on his claim, not the embassy's
    assert titles(read(client, "/actors/someone-else/feed.atom")) == ["Actor someone-else: Said elsewhere"]


def test_unknown_disputes_and_actors_have_no_feed(client, seeded):
    assert client.get("/disputes/no-such/feed.atom").status_code == 404
    assert client.get("/actors/no-such/feed.atom").status_code == 404


def test_a_feed_holds_the_latest_fifty_with_the_same_queries_however_many(client, app):
    d = make.dispute("big")
    for i in range(3):
        make.statement(d, f"s{i}")
    db.session.commit()
    few = count_queries(lambda: client.get("/disputes/big/feed.atom"))
    for i in range(3, 70):
        make.statement(d, f"s{i}")
    db.session.commit()
    assert count_queries(lambda: client.get("/disputes/big/feed.atom")) == few
    parsed = read(client, "/disputes/big/feed.atom")
    assert len(parsed.entries) == 50
    assert parsed.entries[0].link.endswith("/statements/s69")  # the newest first


def test_any_text_gives_a_well_formed_feed(client, seeded):
    judge("embassy-groundless", text="<b>bold</b> & \x0bvertical tab, \x0cform feed ]]> \U0001F600")
    parsed = read(client, f"{SEED}/feed.atom")
    verdict = next(e for e in parsed.entries if e.title.startswith("Verdict"))
    # Plain text, as written (less the two characters XML cannot carry): not markup.
    assert verdict.summary_detail.type == "text/plain"
    assert verdict.summary == "<b>bold</b> & vertical tab, form feed ]]> \U0001F600"


def test_pages_link_their_feeds(client, seeded):
    def alternates(url):
        page = client.get(url, base_url=HTTPS).get_data(as_text=True)
        return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', page)

    assert alternates("/") == ["/feed.atom"]
    assert alternates(SEED) == ["/feed.atom", f"{SEED}/feed.atom"]
    assert alternates(f"{SEED}/claims/pompeo-local-harm") == ["/feed.atom", f"{SEED}/feed.atom"]
    assert alternates(POMPEO) == ["/feed.atom", f"{POMPEO}/feed.atom"]


@pytest.mark.parametrize("url", ["/feed.atom", f"{SEED}/feed.atom", f"{POMPEO}/feed.atom"])
def test_a_feed_answers_304_to_its_etag(client, seeded, url):
    first = client.get(url, base_url=HTTPS)
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get(url, base_url=HTTPS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
