"""ClaimReview: a claim page with a published verdict carries it as JSON-LD; /claimreview.json lists verdicts."""

import datetime as dt

import extruct
import pytest
import sqlalchemy as sa

from tracker.db import db
from tracker.models import Claim, Rating, ReviewStatus, Verdict

from . import factories as make
from .client import HTTPS
from .database import SEED_DISPUTE, count_queries

SEED = f"/disputes/{SEED_DISPUTE}"
REPORTED = "pompeo-accuses-cooperation"  # Pompeo's words, reconstructed, as the embassy's release reports them
DENIAL = "embassy-groundless"  # the embassy's (an organisation's) own words
PUBLISHER = {"PUBLISHER_NAME": "Caribbean Fact Desk", "PUBLISHER_URL": "https://factdesk.example/"}


@pytest.fixture
def publisher(app):
    with pytest.MonkeyPatch.context() as patch:
        for key, value in PUBLISHER.items():
            patch.setitem(app.config, key, value)
        yield PUBLISHER


def claim(slug: str) -> Claim:
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def judge(slug: str, rating: Rating, when=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), text="Checked.") -> Verdict:
    verdict = Verdict(claim_id=claim(slug).id, rating=rating, explanation=text, set_at=when)
    db.session.add(verdict)
    db.session.commit()
    return verdict


def structured_data(client, url: str) -> list[dict]:
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == 200
    return extruct.extract(response.get_data(as_text=True), base_url=HTTPS + url, syntaxes=["json-ld"])["json-ld"]


def test_a_claim_with_a_verdict_carries_a_claim_review_google_can_read(client, seeded, publisher):
    judge(REPORTED, Rating.mostly_false)
    [review] = structured_data(client, f"{SEED}/claims/{REPORTED}")
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == f"{HTTPS}{SEED}/claims/{REPORTED}"
    assert review["claimReviewed"] == claim(REPORTED).summary
    assert review["author"] == {"@type": "Organization", "name": "Caribbean Fact Desk", "url": "https://factdesk.example/"}
    assert review["datePublished"] == "2026-11-02"
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                                      "alternateName": "mostly false"}
    said = review["itemReviewed"]
    assert said["@type"] == "Claim" and said["datePublished"] == "2020-01-22"
    assert said["author"] == {"@type": "Person", "name": "Michael R. Pompeo", "jobTitle": "US Secretary of State"}
    remarks = said["firstAppearance"]
    assert remarks["@type"] == "CreativeWork"
    assert remarks["url"] == "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"
    assert remarks["datePublished"] == "2020-01-22"
    # It appeared where it was said, and in the release that reports it.
    assert [work["url"] for work in said["appearance"]][0] == remarks["url"]
    assert said["appearance"][1]["author"]["name"] == "Embassy of the People's Republic of China in Jamaica"


def test_an_organisation_s_claim_is_an_organization_s(client, seeded, publisher):
    judge(DENIAL, Rating.false)
    [review] = structured_data(client, f"{SEED}/claims/{DENIAL}")
    assert review["itemReviewed"]["author"]["@type"] == "Organization"
    assert review["reviewRating"]["ratingValue"] == 1 and review["reviewRating"]["alternateName"] == "false"


def test_an_unsupported_claim_has_its_label_and_no_place_on_the_truth_scale(client, seeded, publisher):
    judge(DENIAL, Rating.unsupported)
    [review] = structured_data(client, f"{SEED}/claims/{DENIAL}")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "unsupported"}


def test_no_verdict_or_a_withdrawn_one_means_no_claim_review(client, seeded):
    assert structured_data(client, f"{SEED}/claims/{DENIAL}") == []
    verdict = judge(DENIAL, Rating.false)
    verdict.deleted_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    assert structured_data(client, f"{SEED}/claims/{DENIAL}") == []


def test_text_cannot_close_the_script_it_is_in(client, seeded):
    hostile = "</script><script>alert(1)</script> & <!--"
    target = claim(DENIAL)
    target.summary = hostile
    db.session.commit()
    judge(DENIAL, Rating.false)
    page = client.get(f"{SEED}/claims/{DENIAL}", base_url=HTTPS).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "\\u003c/script\\u003e" in page
    [review] = structured_data(client, f"{SEED}/claims/{DENIAL}")
    assert review["claimReviewed"] == hostile


def feed(client, query: str = "", status: int = 200):
    response = client.get(f"/claimreview.json{query}", base_url=HTTPS)
    assert response.status_code == status
    return response


def test_the_data_feed_lists_the_verdicts_published_since_a_date(client, seeded, publisher):
    judge(REPORTED, Rating.mostly_false, when=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    judge(DENIAL, Rating.false, when=dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC))
    everything = feed(client).get_json()
    assert everything["@context"] == "https://schema.org" and everything["@type"] == "DataFeed"
    items = everything["dataFeedElement"]
    assert [item["@type"] for item in items] == ["DataFeedItem", "DataFeedItem"]
    assert [item["item"][0]["url"].rsplit("/", 1)[1] for item in items] == [REPORTED, DENIAL]  # oldest first
    assert items[1]["dateCreated"] == "2026-11-05T12:00:00+00:00"
    assert items[1]["item"][0]["@type"] == "ClaimReview"
    assert items[1]["item"][0]["reviewRating"]["alternateName"] == "false"
    since = feed(client, "?since=2026-11-01").get_json()["dataFeedElement"]
    assert [item["item"][0]["claimReviewed"] for item in since] == [claim(DENIAL).summary]
    assert feed(client, "?since=2026-11-05T13:00:00%2B01:00").get_json()["dataFeedElement"] == since  # 12:00 UTC
    assert feed(client, "?since=2026-11-05T12:00:01Z").get_json()["dataFeedElement"] == []


def test_the_data_feed_leaves_out_what_readers_do_not_see(client, seeded):
    judge(DENIAL, Rating.false)
    claim(DENIAL).review = ReviewStatus.pending
    db.session.commit()
    assert feed(client).get_json()["dataFeedElement"] == []


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-11-01T25:00", "0001-01-01T00:00:00+01:00", "1"])
def test_a_since_that_is_not_a_date_is_a_400_naming_it(client, seeded, since):
    response = feed(client, f"?since={since}", status=400)
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400 and '"since"' in problem["detail"]


def test_a_long_feed_goes_on_at_its_link(client, app, monkeypatch):
    monkeypatch.setattr("tracker.claimreview.FEED_PAGE", 2)
    d = make.dispute("many")
    s = make.statement(d, "s")
    claims = [make.claim(s, f"c{i}") for i in range(5)]
    db.session.flush()
    for i, c in enumerate(claims):
        db.session.add(Verdict(claim_id=c.id, rating=Rating.true, explanation="Yes.",
                               set_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))  # one moment: the id orders them
    db.session.commit()
    seen, url = [], "/claimreview.json?since=2026-01-01"
    while url:
        response = client.get(url, base_url=HTTPS)
        seen += [item["item"][0]["url"].rsplit("/", 1)[1] for item in response.get_json()["dataFeedElement"]]
        link = response.headers.get("Link")
        url = link[1:link.index(">")].removeprefix(HTTPS) if link else None
    assert seen == [f"c{i}" for i in range(5)]
    assert feed(client, "?after=nonsense", status=400).get_json()["detail"].startswith('The "after" parameter')


def test_the_data_feed_runs_the_same_queries_for_one_verdict_or_many(client, app):
    d = make.dispute("many")
    s = make.statement(d, "s")
    claims = [make.claim(s, f"c{i}") for i in range(30)]
    db.session.flush()
    ids = [c.id for c in claims]
    db.session.add(Verdict(claim_id=ids[0], rating=Rating.true, explanation="Yes."))
    db.session.commit()
    one = count_queries(lambda: feed(client))
    for claim_id in ids[1:]:
        db.session.add(Verdict(claim_id=claim_id, rating=Rating.false, explanation="No."))
    db.session.commit()
    assert count_queries(lambda: feed(client)) == one
    assert len(feed(client).get_json()["dataFeedElement"]) == 30
