"""Benchmark: what the overview strip adds to the timeline page, and its size, as disputes grow.

    .venv/bin/python bench/overview.py [--runs 20]

Builds disputes of 100, 1,000 and 5,000 statements (eight speakers over three years, one
statement in five holding an accusation nobody answers) in a scratch SQLite database (or
TRACKER_DATABASE_URL), then prints for each the median time of the timeline page with its
strip and without it (the strip left out), their ratio (1.0: the strip costs nothing), the
download's time and its size.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from markupsafe import Markup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import create_app  # noqa: E402
from tracker.db import db  # noqa: E402
from tracker.disputes import overview  # noqa: E402
from tracker.models import (  # noqa: E402
    Actor, ActorKind, Claim, ClaimKind, DatePrecision, Dispute, Statement, StatementKind,
)


def build(slug: str, statements: int) -> None:
    dispute = Dispute(slug=slug, title=f"Benchmark {slug}", summary="A generated dispute.")
    speakers = [Actor(slug=f"{slug}-{i}", name=f"Speaker {i}", kind=ActorKind.person) for i in range(8)]
    db.session.add_all([dispute, *speakers])
    db.session.flush()
    db.session.execute(sa.insert(Statement), [
        {"dispute_id": dispute.id, "slug": f"s{i}", "speaker_id": speakers[i % 8].id, "title": f"Statement {i}",
         "kind": StatementKind.speech, "date": dt.date(2020, 1, 1) + dt.timedelta(days=i * 1095 // statements),
         "date_precision": DatePrecision.month if i % 10 == 0 else DatePrecision.day}
        for i in range(statements)])
    ids = dict(db.session.execute(sa.select(Statement.slug, Statement.id).where(Statement.dispute_id == dispute.id)).all())
    db.session.execute(sa.insert(Claim), [
        {"dispute_id": dispute.id, "statement_id": ids[f"s{i}"], "slug": f"c{i}", "summary": f"Accusation {i}",
         "kind": ClaimKind.accusation, "reconstructed": True, "created_at": dt.datetime.now(dt.UTC)}
        for i in range(0, statements, 5)])
    db.session.commit()


def elapsed_ms(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) * 1000


def medians(client, page: str, runs: int) -> tuple[float, float, float]:
    """The page with its strip, without it, and the download: taken in turns, so the machine's drift
    (a quarter from one minute to the next) falls on all three alike."""
    strip, times = overview.strip, ([], [], [])
    for _ in range(runs):
        times[0].append(elapsed_ms(client, page))
        overview.strip = lambda dispute: Markup("")
        times[1].append(elapsed_ms(client, page))
        overview.strip = strip
        times[2].append(elapsed_ms(client, page + "/timeline.svg"))
    return tuple(statistics.median(t) for t in times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SERVER_NAME": "bench.test"})
        client = app.test_client()
        with app.app_context():
            upgrade()
            sizes = (100, 1000, 5000)
            for size in sizes:
                build(f"bench-{size}", size)
            print(f"{'statements':>10} {'page ms':>8} {'no strip':>9} {'ratio':>6} {'svg ms':>7} {'svg KB':>7}")
            for size in sizes:
                page = f"/disputes/bench-{size}"
                with_strip, without, download = medians(client, page, runs)
                kilobytes = len(client.get(page + "/timeline.svg").get_data()) / 1024
                print(f"{size:>10} {with_strip:>8.1f} {without:>9.1f} {without / with_strip:>6.2f} "
                      f"{download:>7.1f} {kilobytes:>7.0f}")


if __name__ == "__main__":
    main()
