"""Benchmark: reader pages under load, each against a plain reference page measured in the same run.

    .venv/bin/python bench/load.py [--duration 6] [--rounds 3] [--fresh]
    TRACKER_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/load.py

Serves the tracker with gunicorn (2 sync workers, loopback only) on a scratch database holding
the seeds, a dispute of 100 claims (200 evidence links) and one of 10,000 claims in reply chains
100 long (bench/data.py, imported with `tracker import`; bench/scratch.py). Beside the tracker it
serves a fixed string and the reference page: plain Flask, hand-written SQL and one minimal
template showing the 100-claim dispute's claims and links (bench/reference.py).

Each page is loaded with `wrk -t1 -c8 -d<duration>s --latency`, every page once per round, round
after round, so that the machine's drift weighs on all of them alike. Prints, per page: its size,
the SQL statements it runs (counted once, in-process, before the load), requests/s, p50 and p99
(medians of the rounds), and its ratio to the reference (the median of the rounds' ratios), with
the aims: at least 0.5 x the reference, and p99 at most 3 x p50. Also the 304 answer to a browser
that holds the page. A report, not a gate: it exits 0 whatever the figures (2 when wrk is missing).
"""

import argparse
import html
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

import data
import reference
import scratch
from tracker.db import db

REFERENCE = "/reference/"
CONNECTIONS = 8
NEXT_LINK = re.compile(r'<a\b[^>]*\brel="next"[^>]*>')
HREF = re.compile(r'\bhref="([^"]*)"')
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass
class Page:
    label: str
    path: str
    holds_etag: bool = False  # ask as a browser holding the page: If-None-Match with its ETag
    size: int = 0
    queries: int = 0
    status: int = 0
    etag: str | None = None
    rates: list[float] = field(default_factory=list)
    p50s: list[float] = field(default_factory=list)
    p99s: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    errors: int = 0


def pages(late_timeline: str) -> list[Page]:
    small, large = data.pages(data.SMALL), data.pages(data.LARGE)
    listed = [Page("fixed string, tracker app", "/bench/fixed"), Page("fixed string, plain Flask", "/reference/fixed"),
              Page("reference (plain Flask, SQL, 100 claims, 200 links)", REFERENCE), Page("index", "/")]
    for name in ("timeline", "statement", "claim, mid-chain", "side by side", "map", "actor"):
        listed.append(Page(f"{name} (100)", small[name]))
    for name in ("timeline", "statement", "claim, a root", "claim, mid-chain", "claim, a leaf", "side by side",
                 "map", "actor"):
        listed.append(Page(f"{name} (10,000)", large[name]))
        if name == "timeline":
            listed.append(Page("timeline, last page (10,000)", late_timeline))
    listed += [Page(f'search "{data.RARE_WORD}" (rare)', f"/search?q={data.RARE_WORD}"),
               Page(f'search "{data.COMMON_WORD}" (a third of claims)', f"/search?q={data.COMMON_WORD}"),
               Page("timeline (100), 304", small["timeline"], holds_etag=True),
               Page("claim, mid-chain (10,000), 304", large["claim, mid-chain"], holds_etag=True)]
    return listed


def last_page(client, path: str) -> str:
    """The timeline's last page, reached as a reader does: following "Later statements"."""
    for _ in range(500):
        link = NEXT_LINK.search(client.get(path).get_data(as_text=True))
        if not link:
            return path
        path = html.unescape(HREF.search(link.group(0)).group(1))
    raise RuntimeError(f"{path}: no last page after 500")


def inspect() -> list[Page]:
    """Each page once through the test client: its status, size, ETag and SQL statements."""
    app = reference.create_app()
    client = app.test_client(use_cookies=False)
    with app.app_context():
        engines = [db.engine, app.extensions["reference_app"].extensions["reference_engine"]]
    listed = pages(last_page(client, data.pages(data.LARGE)["timeline"]))
    etags = {}
    for page in sorted(listed, key=lambda p: p.holds_etag):  # a page's ETag before asking with it
        page.etag = etags.get(page.path) if page.holds_etag else None
        statements = []
        record = lambda *args: statements.append(args[2])  # noqa: E731
        for engine in engines:
            sa.event.listen(engine, "before_cursor_execute", record)
        try:
            response = client.get(page.path, headers={"If-None-Match": page.etag} if page.etag else {})
        finally:
            for engine in engines:
                sa.event.remove(engine, "before_cursor_execute", record)
        page.status, page.size, page.queries = response.status_code, len(response.data), len(statements)
        etags.setdefault(page.path, response.headers.get("ETag"))
    return listed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(database_url: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": "load benchmark"}
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(scratch.BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "120",
             "--pythonpath", str(Path(__file__).resolve().parent), "reference:create_app()"],
            env=env, cwd=scratch.ROOT, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/fixed", timeout=5).read()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.3)
    stop(server)
    sys.exit(f"gunicorn did not start:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def load(port: int, page: Page, seconds: int) -> None:
    """One wrk run on the page; its requests/s, p50 and p99 added to the page's rounds."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "60s"]
    if page.holds_etag:
        command += ["-H", f"If-None-Match: {page.etag}"]
    result = subprocess.run([*command, f"http://127.0.0.1:{port}{page.path}"], capture_output=True, text=True,
                            timeout=seconds + 120)
    out = result.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not (rate and p50 and p99) or float(rate.group(1)) == 0:
        print(f"  {page.label}: no request finished in the run{result.stderr}", file=sys.stderr)
        page.errors += 1
        return
    page.rates.append(float(rate.group(1)))
    page.p50s.append(milliseconds(p50.group(1)))
    page.p99s.append(milliseconds(p99.group(1)))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(r"Socket errors: .*timeout (\d+)", out)
    page.errors += (int(bad.group(1)) if bad else 0) + (int(failed.group(1)) if failed else 0)


def warm(port: int, listed: list[Page]) -> None:
    """Every page a few times first: each worker compiles its templates and fills its caches."""
    for page in listed:
        for _ in range(4):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{page.path}", timeout=120).read()
            except urllib.error.HTTPError:
                pass  # its status is in the table


def drain(port: int) -> None:
    """Wait for the requests wrk left in flight: the workers answer them even though nobody listens,
    and on slow pages they would eat into the next page's run. Behind them in the queue, a fixed
    string comes back once they are taken."""
    for _ in range(2):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/reference/fixed", timeout=300).read()


def measure(port: int, listed: list[Page], rounds: int, seconds: int) -> None:
    reference = next(p for p in listed if p.path == REFERENCE)
    for n in range(1, rounds + 1):
        started = time.monotonic()
        for page in listed:
            load(port, page, seconds)
            drain(port)
        for page in listed:
            if len(page.rates) == n and len(reference.rates) == n:
                page.ratios.append(page.rates[-1] / reference.rates[-1])
        print(f"round {n} of {rounds}: {time.monotonic() - started:.0f} s", flush=True)


def table(listed: list[Page]) -> str:
    lines = ["| page | KB | SQL | requests/s | p50 ms | p99 ms | p99/p50 | × reference | ≥ 0.5 × | p99 ≤ 3 × p50 |",
             "|---|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|"]
    for page in listed:
        if not page.rates:
            lines.append(f"| {page.label} | {page.size / 1024:.0f} | {page.queries} | no request finished | | | | | no | |")
            continue
        p50, p99 = statistics.median(page.p50s), statistics.median(page.p99s)
        ratio = statistics.median(page.ratios) if page.ratios else float("nan")
        status = "" if page.status in (200, 304) else f" (answered {page.status})"
        errors = f" ({page.errors} errors)" if page.errors else ""
        lines.append(
            f"| {page.label}{status}{errors} | {page.size / 1024:.0f} | {page.queries} | "
            f"{statistics.median(page.rates):,.1f} | {p50:.1f} | {p99:.1f} | {p99 / p50 if p50 else float('nan'):.1f} | {ratio:.2f} | "
            f"{'yes' if ratio >= 0.5 else 'no'} | {'yes' if p99 <= 3 * p50 else 'no'} |")
    readers = [p for p in listed if p.ratios and not p.path.startswith(("/bench/", "/reference/"))]
    held = sum(statistics.median(p.ratios) >= 0.5 for p in readers)
    steady = sum(statistics.median(p.p99s) <= 3 * statistics.median(p.p50s) for p in readers)
    lines.append(f"\nReader pages at least 0.5 × the reference: {held} of {len(readers)}; "
                 f"with p99 at most 3 × p50: {steady} of {len(readers)}.")
    return "\n".join(lines)


def machine(database_url: str) -> str:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        version = connection.scalar(sa.text("SELECT version()" if engine.dialect.name == "postgresql"
                                            else "SELECT 'SQLite ' || sqlite_version()"))
    engine.dispose()
    gunicorn = subprocess.run([str(scratch.BIN / "gunicorn"), "--version"], capture_output=True, text=True).stdout
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, {version.split(' on ')[0]}, "
            f"{gunicorn.strip()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=6, help="seconds of wrk per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="import the generated data again, not the kept copy")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: the load benchmark needs it (Debian: apt-get install wrk).", file=sys.stderr)
        sys.exit(2)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the server is stopped and files removed
    with scratch.database(args.fresh) as database_url, tempfile.TemporaryDirectory(prefix="tracker-load-") as folder:
        os.environ["TRACKER_DATABASE_URL"], os.environ["TRACKER_SECRET_KEY"] = database_url, "load benchmark"
        started = time.monotonic()
        listed = inspect()
        print(f"pages: each asked once in-process in {time.monotonic() - started:.0f} s", flush=True)
        print(f"before: {machine(database_url)}", flush=True)
        port = free_port()
        server = serve(database_url, port, Path(folder) / "gunicorn.log")
        try:
            warm(port, listed)
            measure(port, listed, args.rounds, args.duration)
        finally:
            stop(server)
        print(f"after: {machine(database_url)}")
    print(f"\ngunicorn, 2 sync workers; wrk -t1 -c{CONNECTIONS} -d{args.duration}s, {args.rounds} interleaved rounds; "
          "medians of the rounds\n")
    print(table(listed))


if __name__ == "__main__":
    main()
