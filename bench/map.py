"""Benchmark: the response map's size and time, against the timeline page measured in the same run.

    .venv/bin/python bench/map.py [--runs 10]

Builds the disputes of bench/timeline.py (100 and 10,000 claims, each answering the one before)
in a scratch SQLite database (or TRACKER_DATABASE_URL), then prints, for each, the median time
and the size of the map page, of the map download (map.svg) and of the timeline page, and the
map's time as a ratio of the timeline's. It then walks every page of the 10,000-claim map once
and prints the largest. Run from another checkout, it measures that checkout's map.
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline import build, medians_ms  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.db import db  # noqa: E402
from tracker.models import Dispute  # noqa: E402


def every_page(client, url: str) -> list[int]:
    """The size of each page of the map, following its "next" links."""
    sizes = []
    while url:
        body = client.get(url).get_data(as_text=True)
        sizes.append(len(body.encode()))
        found = re.search(r'<a rel="next" href="([^"]+/map\?after=[^"]+)"', body)
        url = found.group(1).replace("&amp;", "&") if found else None
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app({"SECRET_KEY": "bench", "PROPAGATE_EXCEPTIONS": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch}/bench.sqlite3"})
        with app.app_context():
            upgrade()
            for slug, size in (("bench-100", 100), ("bench-10000", 10_000)):
                if not db.session.scalar(sa.select(Dispute.id).where(Dispute.slug == slug)):
                    build(slug, size)
        client = app.test_client()
        print(f"median of {args.runs} requests; sizes of one answer")
        print(f"{'dispute':<13}{'map page':>17}{'map.svg':>17}{'timeline':>17}{'map / timeline':>16}")
        for slug in ("bench-100", "bench-10000"):
            urls = [f"/disputes/{slug}/map", f"/disputes/{slug}/map.svg", f"/disputes/{slug}"]
            sizes = [len(client.get(url).data) for url in urls]
            times = medians_ms(client, urls, args.runs)
            cells = "".join(f"{t:>9.0f}ms{s / 1024:>6.0f}kB" for t, s in zip(times, sizes))
            print(f"{slug:<13}{cells}{times[0] / times[2]:>16.2f}")
        started = time.perf_counter()
        pages = every_page(client, "/disputes/bench-10000/map")
        print(f"bench-10000: {len(pages)} map pages, the largest {max(pages) / 1024:.0f} kB, "
              f"all of them in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
