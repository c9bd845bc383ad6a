"""Benchmark: editors keep saving while 50 browsers from 50 addresses fail to sign in at once.

    .venv/bin/python bench/attack.py [--workers 4] [--attackers 50] [--rounds 3] [--seconds 20]

Serves the tracker with gunicorn (sync workers) on a scratch SQLite database, or on
TRACKER_DATABASE_URL's PostgreSQL (a schema of its own, dropped at the end), on loopback
only. Each attacker speaks from its own loopback address (127.0.0.2, 127.0.0.3, ...), so
the site sees 50 addresses without any proxy header. Two editors, each from an address of
its own, save a dispute's title over and over: first alone (the reference, in the same run),
then while the attackers try wrong passwords on one account.

Prints the sign-in answers by status (any 500 is a failure), and the editors' save times
(p50, p99) alone and under attack, with their ratio. Everything stops by itself.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery staple"
# Each editor saves a dispute of their own (the same one would make half the saves conflicts, 409).
DISPUTES = ["china-latin-america-cooperation-2020", "a-second-copy-for-the-benchmark"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """One browser at one loopback address: cookies kept, forms sent with their CSRF token."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.address, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": f"http://127.0.0.1:{self.port}{path}"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def submit(self, path: str, form: dict, page: str | None = None) -> tuple[int, str]:
        """POST a form with the CSRF token of the page it is on."""
        _, html = self.request("GET", page or path)
        token = CSRF.search(html)
        return self.request("POST", path, {**form, "csrf_token": token.group(1) if token else ""})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str) -> dict:
    return {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": uuid.uuid4().hex,
            "TRACKER_INSECURE_COOKIES": "1"}


def prepare(env: dict, scratch: Path) -> None:
    """Migrate, import the seed twice (a dispute for each editor), make two editors and the account under attack."""
    run = lambda *args, **kw: subprocess.run([str(BIN / "tracker"), *args], env=env, check=True,  # noqa: E731
                                             capture_output=True, text=True, **kw)
    run("db", "upgrade")
    run("import", str(ROOT / "seeds"))
    copy = scratch / "second"
    shutil.copytree(ROOT / "seeds" / "prc-embassy-2020-01-22", copy)
    toml = copy / "dispute.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'slug = "{DISPUTES[0]}"', f'slug = "{DISPUTES[1]}"', 1),
                    encoding="utf-8")
    run("import", str(copy))
    for email, role in (("ann@example.org", "editor"), ("bob@example.org", "editor"), ("ada@example.org", "admin")):
        run("user", "create", email, "--role", role, "--password", PASSWORD)


def serve(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
                               "--bind", f"127.0.0.1:{port}", "--timeout", "60", "tracker:create_app()"], env=env,
                              cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start within 30 s")


def editor_saves(port: int, name: str, dispute: str, address: str, stop: threading.Event, times: list,
                 statuses: Counter) -> None:
    """Sign in, then save the dispute's title again and again, timing each save."""
    me = Browser(port, address)
    status, _ = me.submit("/login", {"email": f"{name}@example.org", "password": PASSWORD, "next": ""})
    assert status == 302, f"{name} could not sign in: {status}"
    edit = f"/disputes/{dispute}/edit"
    n = 0
    while not stop.is_set():
        _, page = me.request("GET", edit)
        form = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
        form.update(title=f"Saved by {name}, {n}", summary="", status="open", tags="")
        started = time.monotonic()
        status, _ = me.request("POST", edit, form)
        times.append(time.monotonic() - started)
        statuses[status] += 1
        n += 1


def attacker(port: int, address: str, rounds: int, statuses: Counter, go: threading.Barrier) -> None:
    me = Browser(port, address)
    go.wait()
    for _ in range(rounds):
        status, _ = me.submit("/login", {"email": "ada@example.org", "password": "a wrong guess!", "next": ""})
        statuses[status] += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def phase(port: int, seconds: float, attack: tuple[int, int] | None) -> tuple[list[float], Counter, Counter]:
    """The two editors saving for `seconds`, with or without (attackers, rounds) at the same time."""
    stop, times, saves, sign_ins = threading.Event(), [], Counter(), Counter()
    editors = [threading.Thread(target=editor_saves,
                                args=(port, name, DISPUTES[i], f"127.0.0.{200 + i}", stop, times, saves))
               for i, name in enumerate(("ann", "bob"))]
    for thread in editors:
        thread.start()
    attackers = []
    if attack:
        count, rounds = attack
        go = threading.Barrier(count)
        attackers = [threading.Thread(target=attacker, args=(port, f"127.0.0.{2 + i}", rounds, sign_ins, go))
                     for i in range(count)]
        for thread in attackers:
            thread.start()
    deadline = time.monotonic() + seconds
    for thread in attackers:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    time.sleep(max(0.0, deadline - time.monotonic()))
    stop.set()
    for thread in editors + attackers:
        thread.join(timeout=60)
    return times, saves, sign_ins


def report(label: str, times: list[float], saves: Counter) -> str:
    if not times:
        return f"{label}: no save finished"
    return (f"{label}: {len(times)} saves ({dict(saves)}), p50 {percentile(times, .5) * 1000:.0f} ms, "
            f"p99 {percentile(times, .99) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers)")
    parser.add_argument("--attackers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="failed sign-ins per attacker")
    parser.add_argument("--seconds", type=float, default=20, help="how long each phase lasts")
    args = parser.parse_args()
    if not (BIN / "gunicorn").exists():
        sys.exit("gunicorn is not installed in this environment (pip install gunicorn)")

    server_url = os.environ.get("TRACKER_DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as scratch:
        schema = None
        if server_url.startswith("postgresql"):
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            subprocess.run(["psql", server_url.replace("+psycopg", ""), "-qc", f"CREATE SCHEMA {schema}"], check=True)
            database_url = f"{server_url}{'&' if '?' in server_url else '?'}options=-csearch_path%3D{schema}"
        else:
            database_url = f"sqlite:///{scratch}/bench.sqlite3"
        env = environment(database_url)
        prepare(env, Path(scratch))
        port = free_port()
        server = serve(env, port, args.workers, args.threads)
        try:
            alone_times, alone_saves, _ = phase(port, args.seconds / 2, None)
            times, saves, sign_ins = phase(port, args.seconds, (args.attackers, args.rounds))
        finally:
            server.terminate()
            server.wait(timeout=30)
            if schema:
                subprocess.run(["psql", server_url.replace("+psycopg", ""), "-qc", f"DROP SCHEMA {schema} CASCADE"],
                               check=True)
    engine = "PostgreSQL" if schema else "SQLite"
    print(f"{engine}, gunicorn --workers {args.workers} --threads {args.threads}; {args.attackers} attackers x "
          f"{args.rounds} failed sign-ins, each from its own address")
    print(f"sign-ins answered: {dict(sorted(sign_ins.items()))}  (500s: {sign_ins[500]})")
    print(report("editors alone (reference)", alone_times, alone_saves))
    print(report("editors under attack", times, saves))
    if alone_times and times:
        print(f"ratio under attack / alone: p50 {statistics.median(times) / statistics.median(alone_times):.2f}, "
              f"p99 {percentile(times, .99) / percentile(alone_times, .99):.2f}")
    if sign_ins[500] or saves[500]:
        sys.exit("server errors: see above")


if __name__ == "__main__":
    main()
