"""The read API: what the reader pages show, as JSON, paged, cached, open to other sites, its errors problems."""

import datetime as dt

import pytest
import sqlalchemy as sa

from tracker import history
from tracker.core.by import By
from tracker.core.tokens import create_token
from tracker.db import db
from tracker.models import (
    Claim, ClaimKind, DatePrecision, Evidence, Rating, ReviewStatus, Role, Stance, Verdict, VerdictEvidence,
)
from tracker.problems import PROBLEM_TYPE

from . import factories as make
from .client import HTTPS
from .database import SEED_DISPUTE, count_queries
from .test_timeline import build_large_dispute

API = "/api/v1"
D = f"{API}/disputes/quarrel"
NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def fetch(client, url, status=200, **headers):
    response = client.get(url, base_url=HTTPS, headers=headers)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    return response


def api_path(address: str) -> str:
    """An absolute address the API gave, as the test client asks for it."""
    return address.removeprefix(HTTPS).removeprefix("http://tracker.test")


@pytest.fixture
def quarrel(app):
    """An accusation dated by its month, a denial answering it (with a verdict on evidence), a pending claim,
    pending evidence, and a statement that gets deleted."""
    d = make.dispute("quarrel")
    first = make.statement(d, "first", speaker=make.actor("accuser"), title="The accusation",
                           date=dt.date(2020, 1, 1), date_precision=DatePrecision.month)
    second = make.statement(d, "second", speaker=make.actor("answerer"), title="The answer",
                            date=dt.date(2020, 1, 22))
    accusation = make.claim(first, "accusation", summary="They did it", kind=ClaimKind.accusation)
    denial = make.claim(second, "denial", summary="We did not", kind=ClaimKind.denial)
    make.claim(second, "waiting", summary="A contributor's claim", review=ReviewStatus.pending, quote_start=11,
               quote_end=15, quote_exact="More", quote_prefix="words. ", quote_suffix=" words.")
    make.response(denial, accusation)
    shown = make.evidence(accusation, "https://example.org/report", stance=Stance.refutes, title="A report")
    make.evidence(accusation, "https://example.org/unreviewed", title="Not reviewed", review=ReviewStatus.pending)
    db.session.flush()
    verdict = Verdict(claim_id=accusation.id, rating=Rating.mostly_false, explanation="The report says otherwise.")
    db.session.add(verdict)
    db.session.flush()
    db.session.add(VerdictEvidence(verdict_id=verdict.id, evidence_id=shown.id, claim_id=accusation.id))
    gone = make.statement(d, "withdrawn", speaker=make.actor("answerer"), title="A deleted statement",
                          date=dt.date(2020, 2, 1))
    make.claim(gone, "in-deleted", summary="Cut from a deleted statement")
    db.session.flush()
    gone.deleted_at = NOW
    db.session.commit()
    return d


def test_a_dispute_shows_its_statements_claims_responses_evidence_and_verdicts(client, quarrel):
    body = fetch(client, D).get_json()
    assert body["url"] == "https://tracker.test/disputes/quarrel" and body["api_url"].endswith(D)
    first, second = body["statements"]
    assert [first["slug"], second["slug"]] == ["first", "second"]  # the deleted statement is left out
    assert first["date"] == {"date": "2020-01", "precision": "month"}
    assert second["date"] == {"date": "2020-01-22", "precision": "day"}
    assert first["speaker"]["slug"] == "accuser" and first["speaker"]["api_url"].endswith(f"{API}/actors/accuser")
    accusation = first["claims"][0]
    assert accusation["answered_by_count"] == 1
    assert [(e["title"], e["stance"]) for e in accusation["evidence"]] == [("A report", "refutes")]
    assert accusation["verdict"]["rating"] == "mostly_false" and accusation["verdict"]["label"] == "mostly false"
    assert accusation["verdict"]["explanation"] == "The report says otherwise."
    assert [c["slug"] for c in second["claims"]] == ["denial"]  # the pending claim is not shown
    (link,) = second["claims"][0]["responds_to"]
    assert link["relation"] == "rebuts" and link["claim"]["slug"] == "accusation"
    assert link["claim"]["speaker"] == "Actor accuser" and link["claim"]["api_url"].endswith(f"{D}/claims/accusation")
    assert body["next"] is None and "Link" not in fetch(client, D).headers


def test_a_claim_has_its_thread_both_ways_and_its_verdict(client, quarrel):
    accusation = fetch(client, f"{D}/claims/accusation").get_json()
    (answer,) = accusation["answered_by"]
    assert answer["relation"] == "rebuts" and answer["claim"]["slug"] == "denial" and answer["further"] == []
    assert accusation["responds_to"] == []
    assert accusation["verdict"]["rests_on"] == [accusation["evidence"][0]["id"]]
    assert accusation["url"] == "https://tracker.test/disputes/quarrel/claims/accusation"
    denial = fetch(client, f"{D}/claims/denial").get_json()
    assert [node["claim"]["slug"] for node in denial["responds_to"]] == ["accusation"]
    assert denial["verdict"] is None and denial["speaker"]["slug"] == "answerer"


def test_what_readers_do_not_see_is_not_in_the_api(client, quarrel):
    for address, status in ((f"{D}/claims/waiting", 404), (f"{D}/statements/withdrawn", 410),
                            (f"{D}/claims/in-deleted", 410), (f"{D}/claims/nowhere", 404)):
        problem = fetch(client, address, status).get_json()
        assert problem["status"] == status and problem["detail"]
    statement = fetch(client, f"{D}/statements/second").get_json()
    assert [c["slug"] for c in statement["claims"]] == ["denial"] and statement["claim_count"] == 1
    assert statement["text"] == "Some words. More words."
    assert [s["slug"] for s in fetch(client, f"{API}/actors/answerer").get_json()["statements"]] == ["second"]
    found = fetch(client, f"{API}/search?q=deleted").get_json()
    assert found["statements"]["items"] == [] and found["claims"]["total"] == 0
    (row,) = fetch(client, f"{API}/disputes").get_json()["items"]
    assert (row["statement_count"], row["claim_count"]) == (2, 2)
    assert row["first"] == {"date": "2020-01", "precision": "month"} and row["last"]["date"] == "2020-01-22"
    assert "Not reviewed" not in fetch(client, f"{D}/claims/accusation").get_data(as_text=True)


def test_search_finds_claims_statements_and_evidence(client, quarrel):
    found = fetch(client, f"{API}/search?q=report").get_json()
    (hit,) = found["evidence"]["items"]
    assert hit["source_url"] == "https://example.org/report" and hit["claim"]["slug"] == "accusation"
    assert hit["url"].endswith("/claims/accusation#evidence-%d" % hit["id"])
    assert [c["slug"] for c in fetch(client, f"{API}/search?q=did").get_json()["claims"]["items"]] == ["denial",
                                                                                                       "accusation"]


def follow(client, address: str, key: str) -> list:
    """Every page from `address` on, by the `next` links (the body's and the Link header's must agree)."""
    items, pages = [], 0
    while address:
        response = fetch(client, address)
        body = response.get_json()
        items += body[key]
        if body["next"]:
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
        address, pages = body["next"] and api_path(body["next"]), pages + 1
    return items, pages


def test_disputes_come_a_page_at_a_time(client, app):
    for i in range(23):
        make.statement(make.dispute(f"d{i:02}"), "s", date=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    db.session.commit()
    items, pages = follow(client, f"{API}/disputes", "items")
    assert pages == 2 and [row["slug"] for row in items] == [f"d{i:02}" for i in reversed(range(23))]
    only = fetch(client, f"{API}/disputes?status=archived").get_json()
    assert only == {"items": [], "next": None}


def test_a_large_dispute_comes_a_timeline_page_at_a_time(client, app):
    _, every_claim = build_large_dispute("big", statements=60)
    statements, pages = follow(client, f"{API}/disputes/big", "statements")
    assert pages > 3
    claims = [claim["slug"] for statement in statements for claim in statement["claims"]]
    assert sorted(claims) == sorted(every_claim)  # each once, across pages that cut long statements


def test_queries_do_not_grow_with_the_data(client, app):
    build_large_dispute("small", statements=12)
    build_large_dispute("big", statements=90)
    for address in ("/disputes/{slug}", "/actors/{slug}-a", "/disputes"):
        counts = []
        for slug in ("small", "big"):
            url = API + address.format(slug=slug)
            fetch(client, url)
            counts.append(count_queries(lambda: client.get(url, base_url=HTTPS)))
        assert counts[0] == counts[1], address


def test_an_unchanged_answer_is_304_and_a_token_caller_s_is_private(client, quarrel):
    contributor = make.create_user("reader@example.org", "Reader", Role.contributor, "a long password here")
    _, raw = create_token(contributor, name="script", days=30, by=By(source="test"))
    db.session.commit()
    first = fetch(client, D)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    again = fetch(client, D, 304, **{"If-None-Match": etag})
    assert again.get_data() == b"" and again.headers["ETag"] == etag
    signed = fetch(client, D, **{"Authorization": f"Bearer {raw}"})
    assert signed.headers["Cache-Control"] == "private, no-cache" and signed.headers["ETag"] == etag
    assert "Set-Cookie" not in signed.headers
    evidence = db.session.scalar(sa.select(Evidence).filter_by(title="A report"))
    evidence.title = "A renamed report"
    history.record("edit", evidence, {}, by=By(source="test"))  # every change readers see writes a revision
    db.session.commit()
    assert fetch(client, D, **{"If-None-Match": etag}).headers["ETag"] != etag


def test_any_site_may_read_and_no_other_method_is_offered(client, quarrel):
    response = fetch(client, D, Origin="https://elsewhere.example")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert {"ETag", "Link", "Retry-After"} <= set(response.headers["Access-Control-Expose-Headers"].split(", "))
    preflight = client.options(D, base_url=HTTPS, headers={"Origin": "https://elsewhere.example",
                                                           "Access-Control-Request-Method": "GET",
                                                           "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert fetch(client, f"{API}/nowhere", 404).headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in fetch(client, "/disputes/quarrel").headers  # pages stay our own


@pytest.mark.parametrize(("address", "status", "field"), [
    (f"{API}/disputes?after=yesterday", 400, "after"),
    (f"{API}/disputes?status=finished", 400, "status"),
    (f"{API}/disputes/quarrel?after=12.x", 400, "after"),
    (f"{API}/disputes/quarrel?after=999999", 400, "after"),
    (f"{API}/actors/accuser?after=-1", 400, "after"),
    (f"{API}/search", 400, "q"),
    (f"{API}/search?q=" + "x" * 201, 400, "q"),
    (f"{API}/disputes/nowhere", 404, None),
    (f"{API}/actors/nobody", 404, None),
    (f"{API}/no/such/address", 404, None),
])
def test_errors_are_problems_naming_the_field(client, quarrel, address, status, field):
    response = fetch(client, address, status)
    assert response.content_type == PROBLEM_TYPE
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if field:
        (error,) = problem["errors"]
        assert error["field"] == field and error["message"]


def test_other_methods_and_other_formats_are_refused_as_problems(client, quarrel):
    refused = client.post(f"{API}/disputes", base_url=HTTPS)
    assert refused.status_code == 405 and refused.content_type == PROBLEM_TYPE and "GET" in refused.headers["Allow"]
    refused = fetch(client, D, 406, Accept="text/html")
    assert refused.content_type == PROBLEM_TYPE
    assert fetch(client, D, Accept="application/json, text/html;q=0.5").is_json


def test_the_document_lists_every_operation_with_its_errors(client):
    document = fetch(client, f"{API}/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    reads = {path: item["get"] for path, item in document["paths"].items() if "get" in item}
    assert len(reads) >= 7
    for path, operation in reads.items():
        responses = operation["responses"]
        assert {"200", "304", "400", "404", "429"} <= set(responses), path
        assert responses["429"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")


def test_a_timeline_narrows_as_the_page_does_and_its_pages_keep_the_filters(client, app):
    build_large_dispute("big", statements=60)
    statements, _ = follow(client, f"{API}/disputes/big?actor=big-b", "statements")
    assert statements and {s["speaker"]["slug"] for s in statements} == {"big-b"}
    assert "actor=big-b" in fetch(client, f"{API}/disputes/big?actor=big-b").get_json()["next"]
    tagged, _ = follow(client, f"{API}/disputes/big?tag=ports", "statements")
    assert tagged and all(claim["tags"] == ["ports"] for s in tagged for claim in s["claims"])
    problem = fetch(client, f"{API}/disputes/big?actor=nobody", 400).get_json()
    assert problem["errors"][0]["field"] == "actor"
    assert fetch(client, f"{API}/disputes/big?relation=agrees", 400).get_json()["errors"][0]["field"] == "relation"


def test_a_merged_claim_s_address_leads_to_the_surviving_claim(client, quarrel):
    duplicate = db.session.scalar(sa.select(Claim).filter_by(slug="denial"))
    duplicate.merged_into_id = db.session.scalar(sa.select(Claim.id).filter_by(slug="accusation"))
    duplicate.deleted_at = NOW
    db.session.commit()
    moved = fetch(client, f"{D}/claims/denial", 301)
    assert moved.headers["Location"].endswith(f"{D}/claims/accusation")
