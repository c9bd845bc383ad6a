"""Benchmark: reader pages of the million-claim store, in-process, against the reference page in the same run.

    .venv/bin/python bench/million.py build URL         # first: the store (see there)
    .venv/bin/python bench/store.py URL [--requests 60] [--explain] [--profile]

Asks each page through Flask's test client (no server, no network), the pages taken in turns so
the machine's drift weighs on all alike, after a few requests to warm them. Prints per page: the
status, its size, its SQL statements and their time in one request (and the slowest one), then
p50 / p95 / p99 of the requests and p50 as a ratio of the reference's p50. The reference, measured
in the same turns: bench/reference.py's plain Flask page (hand-written SQL, one minimal template)
showing the 100 claims and 200 links of the dispute `load-100`. The aim: p95 within 50 ms.

--explain prints the query plan of each page's slowest SQL statement (EXPLAIN ANALYZE on
PostgreSQL, EXPLAIN QUERY PLAN on SQLite); --profile the CPU profile (bench/profile_pages.py's
groups) of each page whose p95 passes the aim.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import million_rows as rows  # noqa: E402

AIM_MS = 50


def late_index_page(connection) -> str:
    """The index page near its end: its `after` key made as the index makes it (latest date, id)."""
    latest = connection.execute(sa.text("SELECT d.id, max(s.date) FROM dispute d LEFT JOIN statement s "
                                        "ON s.dispute_id = d.id GROUP BY d.id")).all()
    keys = sorted(((dt.date.fromisoformat(str(day)) if day else dt.date(1, 1, 1), i) for i, day in latest),
                  reverse=True)
    day, dispute_id = keys[int(len(keys) * 0.9)]
    return f"/?after={day.isoformat()}~{dispute_id}"


def pages(connection) -> dict[str, str]:
    typical, largest = f"/disputes/{rows.REFERENCE_SLUG}", "/disputes/dispute-0"
    statements = connection.scalar(sa.text("SELECT count(*) FROM statement s JOIN dispute d ON d.id = s.dispute_id "
                                            "WHERE d.slug = 'dispute-0'"))
    middle = statements // 2
    return {
        "index, first page": "/",
        "index, a late page": late_index_page(connection),
        "timeline, typical dispute (100 claims)": typical,
        f"timeline, largest dispute ({statements * rows.CLAIMS_PER_STATEMENT:,} claims)": largest,
        "claim, typical": f"{typical}/claims/claim-12-1",
        "claim, mid-chain of the largest": f"{largest}/claims/claim-{middle}-2",
        "claim, root of the largest (fan-out)": f"{largest}/claims/claim-1-1",
        "statement, typical": f"{typical}/statements/statement-12",
        f'search "{rows.RARE_WORD}" (rare)': f"/search?q={rows.RARE_WORD}",
        f'search "{rows.COMMON_WORD}" ({rows.COMMON_PERCENT}% of claims)': f"/search?q={rows.COMMON_WORD}",
        "actor with many statements": "/actors/ministry-of-foreign-affairs",
    }


class Recorder:
    """The SQL statements one request runs, with their times."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self.before)
        sa.event.listen(self.engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self.before)
        sa.event.remove(self.engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(((time.perf_counter() - conn.info.pop("bench_started")) * 1000, statement, parameters))


def explain(engine, statement: str, parameters) -> str:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute(prefix + statement, parameters)
        return "\n".join("    " + " | ".join(str(v) for v in row) for row in cursor.fetchall())


def percentile(times: list[float], p: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ["TRACKER_SECRET_KEY"] = "bench"
    from million import make_app
    from reference import plain_app

    from tracker.db import db

    app = make_app(args.url)
    client = app.test_client(use_cookies=False)
    plain = plain_app(args.url)
    reference = plain.test_client()
    engine = plain.extensions["reference_engine"]
    with engine.connect() as connection:
        listed = pages(connection)
        counts = {t: connection.scalar(sa.text(f'SELECT count(*) FROM "{t}"'))  # nosec B608: fixed names
                  for t in ("dispute", "statement", "claim", "response", "evidence", "revision")}
    with app.app_context():
        app_engine = db.engine
    print(f"{app_engine.dialect.name}, {platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
          + ", ".join(f"{n:,} {t}" for t, n in counts.items()), flush=True)

    def get(label: str):
        return reference.get("/") if label == "reference" else client.get(listed[label])

    labels = ["reference", *listed]
    sql = {}
    for label in labels:
        for _ in range(3):
            get(label)
        recorder = Recorder(engine if label == "reference" else app_engine)
        with recorder:
            response = get(label)
        sql[label] = (response.status_code, len(response.data), recorder.statements)
        if response.status_code != 200:  # timing an error page would say nothing of the page
            raise SystemExit(f"{label}: answered {response.status_code}, not 200 (is the store migrated? "
                             "`TRACKER_DATABASE_URL=URL tracker db upgrade`)")
    times: dict[str, list[float]] = {label: [] for label in labels}
    for _ in range(args.requests):
        for label in labels:
            started = time.perf_counter()
            get(label)
            times[label].append((time.perf_counter() - started) * 1000)
    print(f"\n{args.requests} requests a page, load average {os.getloadavg()[0]:.1f} after\n")
    print("| page | status | KB | SQL | SQL ms | slowest SQL ms | p50 ms | p95 ms | p99 ms | p50 × reference | p95 ≤ 50 ms |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|")
    base = statistics.median(times["reference"])
    slow = []
    for label in labels:
        status, size, statements = sql[label]
        p50, p95, p99 = (percentile(times[label], p) for p in (50, 95, 99))
        slowest = max((s[0] for s in statements), default=0.0)
        print(f"| {label} | {status} | {size / 1024:,.0f} | {len(statements)} | {sum(s[0] for s in statements):,.1f} | "
              f"{slowest:,.1f} | {p50:,.1f} | {p95:,.1f} | {p99:,.1f} | {p50 / base:,.2f} | "
              f"{'yes' if p95 <= AIM_MS else 'no'} |", flush=True)
        if p95 > AIM_MS and label != "reference":
            slow.append(label)
    if args.explain:
        for label in labels:
            if sql[label][2]:
                ms, statement, parameters = max(sql[label][2], key=lambda s: s[0])
                print(f"\n{label}: slowest statement {ms:,.1f} ms\n    {' '.join(statement.split())[:600]}")
                print(explain(engine if label == "reference" else app_engine, statement, parameters))
    if args.profile:
        import profile_pages

        for label in slow:
            stats = profile_pages.profile(client, listed[label], 10)
            print("\n" + profile_pages.report(f"{label}, {listed[label]}", stats, 10))


if __name__ == "__main__":
    main()
