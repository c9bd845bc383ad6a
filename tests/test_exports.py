"""Exports of a dispute (AIF, TimelineJS, CSV), checked against the database: what readers see, all of it."""

import csv
import datetime as dt
import io
from collections import Counter

import pytest
import sqlalchemy as sa

from tracker.core.links import record_link_checks
from tracker.db import db
from tracker.models import (Claim, DatePrecision, Dispute, Evidence, Relation, Response, ReviewStatus, Stance, Statement,
                            StatementAnswer)
from tracker.shown import CLAIM_SHOWN, EVIDENCE_SHOWN, RESPONSE_SHOWN, STATEMENT_SHOWN, claim_shown

from . import factories as make
from .client import HTTPS
from .database import SEED_DISPUTE, count_queries

SEED = f"/disputes/{SEED_DISPUTE}"
EXPORTS = ["aif.json", "timelinejs.json", "claims.csv", "responses.csv", "evidence.csv"]


def export(client, slug: str, name: str):
    response = client.get(f"/disputes/{slug}/export/{name}", base_url=HTTPS)
    assert response.status_code == 200
    response.get_data()  # a streamed body is read to its end, as a browser does
    return response


def table(client, slug: str, name: str) -> list[dict]:
    response = export(client, slug, name)
    assert response.content_type == "text/csv; charset=utf-8; header=present"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{slug}-{name}"'
    body = response.get_data().decode("utf-8")
    assert "\n" not in body.split("\r\n", 1)[0] and body.endswith("\r\n")  # RFC 4180: records end with CRLF
    return list(csv.DictReader(io.StringIO(body, newline="")))


def shown_claims(dispute_slug: str) -> set[str]:
    query = (sa.select(Claim.slug).join(Statement, Statement.id == Claim.statement_id)
             .where(Claim.dispute_id == dispute_id(dispute_slug), CLAIM_SHOWN, STATEMENT_SHOWN))
    return set(db.session.scalars(query))


def dispute_id(slug: str) -> int:
    return db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == slug))


def shown_edges(dispute_slug: str) -> Counter:
    """(answering claim, relation, answered claim) of every response readers see."""
    answer, target = sa.orm.aliased(Claim), sa.orm.aliased(Claim)
    a_statement, t_statement = sa.orm.aliased(Statement), sa.orm.aliased(Statement)
    query = (sa.select(answer.slug, Response.relation, target.slug)
             .join(answer, answer.id == Response.claim_id).join(target, target.id == Response.target_id)
             .join(a_statement, a_statement.id == answer.statement_id)
             .join(t_statement, t_statement.id == target.statement_id)
             .where(Response.dispute_id == dispute_id(dispute_slug), RESPONSE_SHOWN, claim_shown(answer),
                    claim_shown(target), a_statement.deleted_at.is_(None), t_statement.deleted_at.is_(None)))
    return Counter((a, relation.value, t) for a, relation, t in db.session.execute(query))


def one(model, **where):
    return db.session.scalar(sa.select(model).filter_by(**where))


def hide_some_of_the_seed() -> None:
    """A claim waiting for review, a deleted response, and evidence waiting for review."""
    one(Claim, slug="embassy-mutual-respect").review = ReviewStatus.pending
    db.session.scalars(sa.select(Response).order_by(Response.id)).first().deleted_at = dt.datetime.now(dt.UTC)
    for item in db.session.scalars(sa.select(Evidence)):
        item.review = ReviewStatus.pending
    db.session.commit()


@pytest.mark.parametrize("hidden", [False, True])
def test_aif_has_a_node_per_claim_and_statement_and_an_edge_per_response(client, seeded, hidden):
    if hidden:
        hide_some_of_the_seed()
    graph = export(client, SEED_DISPUTE, "aif.json").get_json()
    nodes = {node["nodeID"]: node for node in graph["nodes"]}
    assert len(nodes) == len(graph["nodes"])
    claim_slugs = {c.id: c.slug for c in db.session.scalars(sa.select(Claim))}
    i_nodes = {claim_slugs[int(n.removeprefix("I-claim-"))] for n, node in nodes.items() if node["type"] == "I"}
    assert i_nodes == shown_claims(SEED_DISPUTE)
    statements = db.session.scalars(sa.select(Statement).where(STATEMENT_SHOWN)).all()
    assert sorted(n for n, node in nodes.items() if node["type"] == "L") == sorted(f"L-statement-{s.id}" for s in statements)
    assert {p["name"] for p in graph["participants"]} == {s.speaker.name for s in statements}
    assert len(graph["locutions"]) == len(statements)
    # Each response: answering claim -> scheme node -> answered claim, the scheme node's type by its relation.
    into = {edge["toID"]: edge["fromID"] for edge in graph["edges"] if edge["toID"].startswith(("CA-", "RA-"))}
    out = {edge["fromID"]: edge["toID"] for edge in graph["edges"] if edge["fromID"].startswith(("CA-", "RA-"))}
    drawn = Counter()
    for node_id, node in nodes.items():
        if node["type"] in ("CA", "RA"):
            answer, target = into[node_id], out[node_id]
            drawn[claim_slugs[int(answer.removeprefix("I-claim-"))], node["text"],
                  claim_slugs[int(target.removeprefix("I-claim-"))]] += 1
            assert node["type"] == ("RA" if node["text"] in ("supports", "concedes") else "CA")
    assert drawn == shown_edges(SEED_DISPUTE) and sum(drawn.values()) > 0
    # Every claim is asserted by the statement it was cut from.
    pairs = {(edge["fromID"], edge["toID"]) for edge in graph["edges"]}
    for claim in db.session.scalars(sa.select(Claim).where(Claim.slug.in_(i_nodes))):
        assert {(f"L-statement-{claim.statement_id}", f"YA-claim-{claim.id}"),
                (f"YA-claim-{claim.id}", f"I-claim-{claim.id}")} <= pairs
    answers = db.session.scalars(sa.select(StatementAnswer)).all()
    assert sum(node["type"] == "TA" for node in nodes.values()) == len(answers) > 0
    assert all(edge["fromID"] in nodes and edge["toID"] in nodes for edge in graph["edges"])


def test_timelinejs_has_one_event_per_dated_statement_at_its_precision(client, app):
    d = make.dispute("dates")
    make.statement(d, "day", speaker=make.actor("ann"))
    make.statement(d, "month", date=dt.date(2020, 2, 1), date_precision=DatePrecision.month, speaker=make.actor("bob"))
    make.statement(d, "year", date=dt.date(2019, 1, 1), date_precision=DatePrecision.year, speaker=make.actor("ann"))
    make.statement(d, "undated", date=None, date_precision=None)
    make.statement(d, "gone", deleted_at=dt.datetime.now(dt.UTC))
    hostile = make.statement(d, "hostile", title='<img src=x onerror="alert(1)">', speaker=make.actor("bob"))
    db.session.commit()
    timeline = export(client, "dates", "timelinejs.json").get_json()
    assert timeline["title"]["text"]["headline"] == "Dispute dates"
    events = {event["unique_id"]: event for event in timeline["events"]}
    assert len(events) == len(timeline["events"]) == 4
    by_slug = {s.slug: s.id for s in db.session.scalars(sa.select(Statement))}
    assert events[f"statement-{by_slug['year']}"]["start_date"] == {"year": 2019, "display_date": "2019"}
    assert events[f"statement-{by_slug['month']}"]["start_date"] == {"year": 2020, "month": 2,
                                                                     "display_date": "February 2020"}
    assert events[f"statement-{by_slug['day']}"]["start_date"] == {"year": 2020, "month": 1, "day": 22,
                                                                   "display_date": "22 January 2020"}
    assert Counter(e["group"] for e in events.values()) == {"Actor ann": 2, "Actor bob": 2}
    shown = events[f"statement-{hostile.id}"]["text"]["headline"]
    assert shown == "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"  # TimelineJS shows it as HTML


def test_timelinejs_of_the_seed_links_each_statement(client, seeded):
    events = export(client, SEED_DISPUTE, "timelinejs.json").get_json()["events"]
    assert [e["text"]["headline"] for e in events] == ["Toward Closer U.S.-Caribbean Ties", "Press Release (2020.01.22)"]
    assert f"{HTTPS}{SEED}/statements/pompeo-kingston-remarks" in events[0]["text"]["text"]


@pytest.mark.parametrize("hidden", [False, True])
def test_csv_tables_hold_what_readers_see(client, seeded, hidden):
    if hidden:
        hide_some_of_the_seed()
    claims = table(client, SEED_DISPUTE, "claims.csv")
    assert {row["slug"] for row in claims} == shown_claims(SEED_DISPUTE) and len(claims) == len(shown_claims(SEED_DISPUTE))
    first = next(row for row in claims if row["slug"] == "embassy-groundless")
    assert first["speaker"] == "Embassy of the People's Republic of China in Jamaica"
    assert first["statement_date"] == "2020-01-22" and first["url"] == f"{HTTPS}{SEED}/claims/embassy-groundless"
    responses = table(client, SEED_DISPUTE, "responses.csv")
    assert Counter((r["claim"], r["relation"], r["target"]) for r in responses) == shown_edges(SEED_DISPUTE)
    evidence = table(client, SEED_DISPUTE, "evidence.csv")
    expected = db.session.scalar(sa.select(sa.func.count()).select_from(Evidence).where(EVIDENCE_SHOWN))
    assert len(evidence) == expected == (0 if hidden else 1)


def test_csv_cells_cannot_run_as_formulas_and_keep_every_character(client, app):
    d = make.dispute("csv")
    s = make.statement(d, "s", speaker=make.actor("speaker"))
    formulas = ["=HYPERLINK(\"http://evil.example\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]
    for i, text in enumerate(formulas):
        make.claim(s, f"c{i}", summary=text)
    c = make.claim(s, "quoted", summary='Says "no", twice,\nthen 中文 and ½ – fine')
    make.evidence(c, "https://example.org/a", Stance.context, title="=1+1", publisher="-the publisher")
    db.session.commit()
    claims = {row["slug"]: row for row in table(client, "csv", "claims.csv")}
    assert [claims[f"c{i}"]["summary"] for i in range(len(formulas))] == ["'" + text for text in formulas]
    assert claims["quoted"]["summary"] == 'Says "no", twice,\nthen 中文 and ½ – fine'
    [item] = table(client, "csv", "evidence.csv")
    assert item["title"] == "'=1+1" and item["publisher"] == "'-the publisher" and item["stance"] == "context"


def test_evidence_csv_carries_the_archived_copy_and_the_link_s_last_check(client, app):
    s = make.statement(make.dispute("csv"), "s", speaker=make.actor("speaker"))
    c = make.claim(s, "c")
    copy = "https://web.archive.org/web/20200123000000/https://example.org/moved"
    moved = make.evidence(c, "https://example.org/moved", Stance.context, archived_url=copy)
    never = make.evidence(c, "https://example.org/never", Stance.context)
    db.session.flush()
    record_link_checks([{"evidence_id": moved.id, "url": moved.url, "status": 200,
                         "redirects": ["https://example.org/new-home"], "final_url": "https://example.org/new-home",
                         "checked_at": dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)}])
    db.session.commit()
    rows = {row["url"]: row for row in table(client, "csv", "evidence.csv")}
    checked, unchecked = rows[moved.url], rows[never.url]
    assert checked["archived_url"] == copy and checked["link_state"] == "redirected"
    assert checked["link_status"] == "200" and checked["link_final_url"] == "https://example.org/new-home"
    assert checked["link_checked_at"].startswith("2026-11-29T08:00")
    assert unchecked["archived_url"] == unchecked["link_state"] == unchecked["link_checked_at"] == ""


def build_dispute(slug: str, claims: int) -> None:
    """Statements, claims answering each other with every relation, evidence, a statement answering another."""
    d = make.dispute(slug)
    accuser, answerer = make.statement(d, "accusation"), make.statement(d, "answer", speaker=make.actor("b"))
    db.session.flush()
    db.session.add(StatementAnswer(statement_id=answerer.id, answered_id=accuser.id, dispute_id=d.id))
    made = [make.claim(accuser, f"r{i}") for i in range(5)]
    relations = list(Relation)
    for i in range(claims - 5):
        answer = make.claim(answerer, f"a{i}")
        make.response(answer, made[i % 5], relations[i % len(relations)])
        make.evidence(answer, f"https://example.org/{i}")
        made.append(answer)
    db.session.commit()


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_runs_the_same_queries_for_a_small_dispute_and_a_large_one(client, app, name):
    build_dispute("small", claims=8)
    build_dispute("large", claims=300)
    small = count_queries(lambda: export(client, "small", name).get_data())
    large = count_queries(lambda: export(client, "large", name).get_data())
    assert small == large
    body = export(client, "large", name).get_data()
    if name.endswith(".csv"):
        assert len(body.decode().splitlines()) > 295  # streamed in pieces, and whole


@pytest.mark.parametrize("name", EXPORTS)
def test_an_unknown_dispute_has_no_exports(client, app, name):
    assert client.get(f"/disputes/no-such/export/{name}").status_code == 404


def test_the_timeline_links_its_formats_and_an_export_answers_304(client, seeded):
    page = client.get(SEED, base_url=HTTPS).get_data(as_text=True)
    assert "This dispute in other formats" in page
    for name in EXPORTS:
        assert f'href="{SEED}/export/{name}"' in page
    assert f'href="{SEED}/feed.atom"' in page
    first = export(client, SEED_DISPUTE, "claims.csv")
    again = client.get(f"{SEED}/export/claims.csv", base_url=HTTPS, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
