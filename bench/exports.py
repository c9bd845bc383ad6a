"""Benchmark: the exports of a dispute of 100 claims and one of 10,000 claims (five evidence links each).

    .venv/bin/python bench/exports.py [--runs 5]

Builds both disputes (as bench/timeline.py does) in a scratch SQLite database (or TRACKER_DATABASE_URL),
then prints, for each export, the median time of the whole answer for each dispute, the ratio of the
two (100 would mean the cost grows exactly with the claims), the size of the answer, and for the CSV
tables the time to their first piece (streamed: it should not grow with the dispute).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timeline import build  # noqa: E402

from tracker import create_app  # noqa: E402

EXPORTS = ["aif.json", "timelinejs.json", "claims.csv", "responses.csv", "evidence.csv"]


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    """Median ms to the first piece and to the end of the answer, and its size in bytes."""
    first, whole, size = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, buffered=False)
        pieces = iter(response.response)
        size = len(next(pieces, b""))
        first.append(time.perf_counter() - start)
        size += sum(len(piece) for piece in pieces)
        whole.append(time.perf_counter() - start)
        response.close()
    return statistics.median(first) * 1000, statistics.median(whole) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    scratch = tempfile.mkdtemp()
    url = os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SERVER_NAME": "bench.test"})
    with app.app_context():
        upgrade()
        build("small", 100)
        build("large", 10_000)
    client = app.test_client()
    print(f"{'export':<16}{'100 claims':>12}{'10,000 claims':>15}{'ratio':>8}{'size':>10}{'first piece':>14}")
    for name in EXPORTS:
        _, small, _ = timed(client, f"/disputes/small/export/{name}", runs)
        first, large, size = timed(client, f"/disputes/large/export/{name}", runs)
        shown_first = f"{first:.0f} ms" if name.endswith(".csv") else ""
        print(f"{name:<16}{small:>9.0f} ms{large:>12.0f} ms{large / small:>8.1f}{size / 1e6:>7.1f} MB{shown_first:>14}")


if __name__ == "__main__":
    main()
