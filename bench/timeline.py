"""Benchmark: the timeline page against two ceilings measured the same way.

    .venv/bin/python bench/timeline.py [--runs 30]

Builds a dispute of 100 claims and one of 10,000 claims (five evidence links
each) in a scratch SQLite database (or TRACKER_DATABASE_URL), then prints the
median time of:
  - the timeline page (GET /disputes/<slug>, first page);
  - the data ceiling: hand-written SQL fetching the same rows, rendered with
    the same template (what the page would cost with no ORM at all);
  - the framework ceiling: a route returning a fixed string.
The ratio is data ceiling / timeline: 1.0 would mean the ORM costs nothing.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask import render_template
from flask_migrate import upgrade
from wtforms import SelectChoice

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import create_app  # noqa: E402
from tracker.db import db  # noqa: E402
from tracker.disputes import queries  # noqa: E402
from tracker.disputes.forms import TimelineFilterForm  # noqa: E402
from tracker.disputes.order import Moment, reading_order  # noqa: E402
from tracker.models import (  # noqa: E402
    Actor, ActorKind, Claim, ClaimKind, DatePrecision, Dispute, Evidence, Relation, Response, Stance, Statement,
    StatementKind, format_date,
)
from tracker.models.statement import ISO_LENGTH  # noqa: E402


def build(slug: str, claims: int, per_statement: int = 100) -> None:
    """A dispute of `claims` claims, 100 to a statement, each answering the one before, five links each."""
    dispute = Dispute(slug=slug, title=f"Benchmark {slug}", summary="A generated dispute.")
    db.session.add(dispute)
    db.session.flush()
    speakers = [Actor(slug=f"{slug}-{side}", name=f"Side {side}", kind=ActorKind.person) for side in "ab"]
    db.session.add_all(speakers)
    db.session.flush()
    statements = []
    for i in range(max(1, claims // per_statement)):
        statements.append({"dispute_id": dispute.id, "slug": f"s{i}", "speaker_id": speakers[i % 2].id,
                           "title": f"Statement {i}", "kind": StatementKind.speech,
                           "date": dt.date(2020, 1, 1) + dt.timedelta(days=i), "date_precision": DatePrecision.day,
                           "text": "Some words. " * 50})
    db.session.execute(sa.insert(Statement), statements)
    ids = dict(db.session.execute(sa.select(Statement.slug, Statement.id).where(Statement.dispute_id == dispute.id)).all())
    rows = [{"dispute_id": dispute.id, "statement_id": ids[f"s{i // per_statement}"], "slug": f"c{i}",
             "summary": f"Claim number {i} of the benchmark", "kind": ClaimKind.counterclaim,
             "reconstructed": False, "quote_start": (i % per_statement) * 12, "quote_end": (i % per_statement) * 12 + 10,
             "quote_exact": "Some words", "quote_prefix": "", "quote_suffix": ". Some",
             "created_at": dt.datetime.now(dt.UTC)} for i in range(claims)]
    db.session.execute(sa.insert(Claim), rows)
    claim_ids = [i for (i,) in db.session.execute(
        sa.select(Claim.id).where(Claim.dispute_id == dispute.id).order_by(Claim.id))]
    db.session.execute(sa.insert(Response), [
        {"dispute_id": dispute.id, "claim_id": a, "target_id": b, "relation": Relation.rebuts,
         "created_at": dt.datetime.now(dt.UTC)}
        for a, b in zip(claim_ids[1:], claim_ids)])
    db.session.execute(sa.insert(Evidence), [
        {"claim_id": c, "url": f"https://example.org/{slug}/{c}/{k}", "title": f"Link {k}",
         "stance": list(Stance)[k % 3], "added_at": dt.datetime.now(dt.UTC)}
        for c in claim_ids for k in range(5)])
    db.session.commit()


# The data ceiling: the same rows with hand-written SQL, shaped for the same template.
ORDER_SQL = "SELECT id, date, speaker_id FROM statement WHERE dispute_id = :dispute"
REPLIES_SQL = """
SELECT a.statement_id, t.statement_id FROM response r
JOIN claim a ON a.id = r.claim_id JOIN claim t ON t.id = r.target_id WHERE r.dispute_id = :dispute
UNION SELECT statement_id, answered_id FROM statement_answer WHERE dispute_id = :dispute"""
STATEMENTS_SQL = """
SELECT s.id, s.slug, s.title, s.kind, s.date, s.date_precision, s.venue, s.source_url, s.text IS NULL,
       a.id, a.slug, a.name, a.role
FROM statement s JOIN actor a ON a.id = s.speaker_id
WHERE s.id IN :ids"""
CLAIMS_SQL = """
SELECT c.id, c.statement_id, c.slug, c.summary, c.kind, c.reconstructed, c.quote_exact
FROM claim c WHERE c.statement_id IN :ids
ORDER BY CASE c.statement_id {places} END, coalesce(c.quote_start, 2147483647), c.id LIMIT :limit"""
RESPONSES_SQL = """
SELECT r.claim_id, r.relation, t.id, t.slug, t.summary, a.name FROM response r JOIN claim t ON t.id = r.target_id
JOIN statement s ON s.id = t.statement_id JOIN actor a ON a.id = s.speaker_id
WHERE r.claim_id IN :ids ORDER BY r.id"""
ANSWERS_SQL = "SELECT target_id, count(*) FROM response WHERE target_id IN :ids GROUP BY target_id"
EVIDENCE_SQL = "SELECT claim_id, stance, count(*) FROM evidence WHERE claim_id IN :ids GROUP BY claim_id, stance"
TAGS_SQL = "SELECT claim_id, name FROM claim_tag WHERE claim_id IN :ids ORDER BY name"
TOPICS_SQL = """
SELECT DISTINCT t.name FROM claim_tag t JOIN claim c ON c.id = t.claim_id WHERE c.dispute_id = :d ORDER BY t.name"""
UNANSWERED_SQL = """
SELECT c.slug, c.summary, s.title FROM claim c JOIN statement s ON s.id = c.statement_id
WHERE c.dispute_id = :d AND c.kind = 'accusation' AND NOT EXISTS (SELECT 1 FROM response r WHERE r.target_id = c.id)
ORDER BY coalesce(s.date, '9999-12-31'), s.id, coalesce(c.quote_start, 2147483647), c.id LIMIT 50"""
LINKS_SQL = """
SELECT sa.statement_id, sa.answered_id, s.slug, s.title FROM statement_answer sa JOIN statement s ON s.id = sa.answered_id
WHERE sa.statement_id IN :ids OR sa.answered_id IN :ids"""


def expanding(sql: str) -> sa.TextClause:
    return sa.text(sql).bindparams(sa.bindparam("ids", expanding=True))


def raw_timeline(slug: str):
    """The first timeline page from hand-written SQL into plain objects, through the same template."""
    connection = db.session.connection()
    dispute = SimpleNamespace(**connection.execute(
        sa.text("SELECT id, slug, title, summary, status FROM dispute WHERE slug = :slug"), {"slug": slug}).one()._mapping)
    dispute.status = SimpleNamespace(value=dispute.status)
    dispute.tag_names = list(connection.scalars(
        sa.text("SELECT name FROM dispute_tag WHERE dispute_id = :d ORDER BY name"), {"d": dispute.id}))
    actors = [SimpleNamespace(id=i, slug=s, name=n) for i, s, n in connection.execute(sa.text(
        "SELECT DISTINCT a.id, a.slug, a.name FROM actor a JOIN statement s ON s.speaker_id = a.id "
        "WHERE s.dispute_id = :d ORDER BY a.id"), {"d": dispute.id})]
    moments = [Moment(i, dt.date.fromisoformat(d) if isinstance(d, str) else d, a)
               for i, d, a in connection.execute(sa.text(ORDER_SQL), {"dispute": dispute.id})]
    replies = connection.execute(sa.text(REPLIES_SQL), {"dispute": dispute.id}).all()
    window = [m.id for m in reading_order(moments, replies)][:queries.PAGE_STATEMENTS]
    statements = []
    for sid, sslug, title, kind, date, precision, venue, source, no_text, aid, aslug, aname, arole in connection.execute(
            expanding(STATEMENTS_SQL), {"ids": window}):
        date = dt.date.fromisoformat(date) if isinstance(date, str) else date
        precision = DatePrecision(precision) if precision else None
        statements.append(SimpleNamespace(
            id=sid, slug=sslug, title=title, kind=StatementKind(kind), venue=venue, source_url=source,
            has_text=not no_text, date_label=format_date(date, precision),
            date_iso=date.isoformat()[:ISO_LENGTH[precision]] if date else None, speaker_id=aid,
            speaker=SimpleNamespace(slug=aslug, name=aname, role=arole), answers=[], answered_by=[]))
    statements.sort(key=lambda s: window.index(s.id))
    by_id = {s.id: s for s in statements}
    for statement_id, answered_id, _slug, _title in connection.execute(expanding(LINKS_SQL), {"ids": list(by_id)}):
        if statement_id in by_id and answered_id in by_id:
            by_id[statement_id].answers.append(SimpleNamespace(answered=by_id[answered_id]))
            by_id[answered_id].answered_by.append(SimpleNamespace(statement=by_id[statement_id]))
    claims = []
    places = " ".join(f"WHEN {int(statement_id)} THEN {i}" for i, statement_id in enumerate(window))
    for cid, statement_id, cslug, summary, kind, reconstructed, quote in connection.execute(
            expanding(CLAIMS_SQL.format(places=places)), {"ids": window, "limit": queries.PAGE_CLAIMS}):
        claims.append(SimpleNamespace(id=cid, statement_id=statement_id, slug=cslug, summary=summary,
                                      kind=ClaimKind(kind), reconstructed=bool(reconstructed), is_reported=False,
                                      quote_exact=quote, verdict=None, tags=[], tag_names=[]))
    claim_by_id = {c.id: c for c in claims}
    ids = list(claim_by_id)
    for claim_id, name in connection.execute(expanding(TAGS_SQL), {"ids": ids}):
        claim_by_id[claim_id].tag_names.append(name)
        claim_by_id[claim_id].tags.append(name)
    topics = list(connection.scalars(sa.text(TOPICS_SQL), {"d": dispute.id}))
    facts = queries.ClaimFacts()
    for claim_id, relation, tid, tslug, tsummary, tspeaker in connection.execute(expanding(RESPONSES_SQL), {"ids": ids}):
        facts.answers[claim_id].append(SimpleNamespace(relation=Relation(relation), id=tid, slug=tslug, summary=tsummary,
                                                       speaker=tspeaker))
    facts.answered_by.update(dict(connection.execute(expanding(ANSWERS_SQL), {"ids": ids}).all()))
    for claim_id, stance, count in connection.execute(expanding(EVIDENCE_SQL), {"ids": ids}):
        facts.evidence[claim_id][Stance(stance)] = count
    grouped = defaultdict(list)
    for claim in claims:
        grouped[claim.statement_id].append(claim)
    page = SimpleNamespace(statements=[(s, grouped[s.id]) for s in statements], facts=facts, next_cursor=None,
                           continues=False, claim_ids=set(ids))
    form = TimelineFilterForm(formdata=None)
    form.actor.choices = [SelectChoice("", "every speaker")] + [SelectChoice(a.slug, a.name) for a in actors]
    form.tag.choices = [SelectChoice("", "every topic")] + [SelectChoice(t) for t in topics]
    unanswered = [SimpleNamespace(slug=s, summary=m, statement=SimpleNamespace(title=t)) for s, m, t in connection.execute(
        sa.text(UNANSWERED_SQL), {"d": dispute.id})]
    return render_template(
        "disputes/timeline.html", dispute=dispute, lane_actors=actors, form=form, page=page,
        lanes={a.id: i for i, a in enumerate(actors, start=1)}, unanswered=unanswered,
        unanswered_total=len(unanswered), filter_args={},
    )


def medians_ms(client, urls: list[str], runs: int) -> list[float]:
    """Median time of each URL, requested in turn each round so that drift in the
    machine's speed (a shared VM) weighs on all of them alike."""
    times: list[list[float]] = [[] for _ in urls]
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm caches and compiled templates
    for _ in range(runs):
        for i, url in enumerate(urls):
            start = time.perf_counter()
            client.get(url)
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        config = {"SECRET_KEY": "bench", "PROPAGATE_EXCEPTIONS": True}
        if "TRACKER_DATABASE_URL" not in os.environ:
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{scratch}/bench.sqlite3"
        app = create_app(config)
        app.add_url_rule("/bench/raw/<slug>", "bench_raw", raw_timeline)
        app.add_url_rule("/bench/fixed", "bench_fixed", lambda: "fixed")
        with app.app_context():
            upgrade()
            engine = db.engine.dialect.name
            for slug, size in (("bench-100", 100), ("bench-10000", 10_000)):
                if not db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == slug)):
                    started = time.perf_counter()
                    build(slug, size)
                    print(f"built {slug}: {size} claims, {size * 5} evidence links in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        print(f"\n{engine}, median of {args.runs} requests, first page of the timeline")
        print(f"{'dispute':<14}{'timeline':>12}{'data ceiling':>15}{'framework':>12}{'ratio':>8}{'page size':>12}")
        for slug in ("bench-100", "bench-10000"):
            size = len(client.get(f"/disputes/{slug}").data)
            page, data, fixed = medians_ms(client, [f"/disputes/{slug}", f"/bench/raw/{slug}", "/bench/fixed"], args.runs)
            print(f"{slug:<14}{page:>10.1f}ms{data:>13.1f}ms{fixed:>10.2f}ms{data / page:>8.2f}{size / 1024:>10.0f}kB")


if __name__ == "__main__":
    main()
