"""Benchmark: importing generated bundles, fresh and again unchanged, against reading them alone.

    .venv/bin/python bench/import.py [--sizes 1000,10000] [--profile DIR] [--memory]

Generates bundles of 1,000 and 10,000 claims (add 100000 to --sizes for the big one): 50 claims
to a statement, each statement a text of real sentences in which each of its claims quotes one,
each statement answering the one before, each claim answering a claim of the statement before,
two evidence links on every claim. Each bundle is imported into a fresh, migrated SQLite database
(or a fresh schema of TRACKER_DATABASE_URL), then imported again unchanged. Each import runs in a
child process of its own, which reports its seconds and its peak memory (getrusage maxrss);
--memory adds what holds it (tracemalloc, which slows the import down).

The reference, measured in the same child just before the import, is reading and checking the
same bundle without writing (read_bundle: TOML, every rule, every quote anchored). The ratio is
import / reference: the cost of writing, revisions and search index included.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_STATEMENT = 50
WORDS = ("the government minister said that our cooperation with partners in the region has brought roads ports "
         "schools and hospitals to millions of people while critics claim the loans carry hidden conditions debt "
         "and influence over policy we reject these groundless accusations which ignore the facts on the ground "
         "trade grew investment created jobs local workers were trained and every agreement was signed openly by "
         "sovereign governments who chose freely what serves their nations best according to the published "
         "figures of the central bank and independent auditors the record speaks for itself").split()
RELATIONS = ("rebuts", "denies", "qualifies", "concedes", "supports", "counters")
STANCES = ("supports", "refutes", "context")


def toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def generate(folder: Path, claims: int, seed: int = 1) -> None:
    """Write a bundle of `claims` claims into `folder` (see the module's docstring)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    statements = max(1, claims // PER_STATEMENT)
    out = ['[dispute]\nslug = "bench-dispute"\ntitle = "A generated dispute"\nsummary = "For the benchmark."\n',
           '[[actors]]\nslug = "bench-side-a"\nname = "Side A"\nkind = "organisation"\n',
           '[[actors]]\nslug = "bench-side-b"\nname = "Side B"\nkind = "person"\n']
    quotes: list[list[str]] = []
    for s in range(statements):
        sentences: list[str] = []
        while len(sentences) < PER_STATEMENT * 2:  # half of the text is quoted
            words = rng.choices(WORDS, k=rng.randint(10, 18))
            sentence = " ".join(words).capitalize() + rng.choice((".", ".", ".", "!", "?"))
            if sentence not in sentences:
                sentences.append(sentence)
        text = "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)) + "\n"
        (folder / f"s{s}.txt").write_text(text, encoding="utf-8")
        quotes.append(sentences[::2])
        out.append(f'[[statements]]\nslug = "s{s}"\nactor = "bench-side-{"ab"[s % 2]}"\ntitle = "Statement {s}"\n'
                   f'kind = "press release"\ndate = 2020-{1 + s % 12:02d}-{1 + s % 28:02d}\nlanguage = "en"\n'
                   f'text_file = "s{s}.txt"\n' + (f'responds_to = "s{s - 1}"\n' if s else ""))
    for c in range(claims):
        s, k = divmod(c, PER_STATEMENT)
        s = min(s, statements - 1)
        quote = quotes[s][k % len(quotes[s])].rstrip(".!?")
        out.append(f'[[claims]]\nslug = "c{c}"\nstatement = "s{s}"\nsummary = {toml_string(quote[:80])}\n'
                   f'kind = "{"accusation" if s % 2 == 0 else "denial"}"\nquote = {toml_string(quote)}\n')
        if s:
            out.append(f'responds_to = "c{c - PER_STATEMENT}"\nrelation = "{RELATIONS[c % len(RELATIONS)]}"\n')
    for c in range(claims):
        for k in range(2):
            out.append(f'[[evidence]]\nclaim = "c{c}"\nurl = "https://example.org/report/{c}/{k}"\n'
                       f'title = "Report {c}.{k}"\npublisher = "Example Press"\ndate = 2020-02-01\n'
                       f'stance = "{STANCES[(c + k) % 3]}"\n')
    (folder / "dispute.toml").write_text("\n".join(out), encoding="utf-8")


def fresh_database(workdir: Path, name: str) -> str:
    server = os.environ.get("TRACKER_DATABASE_URL")
    if not server:
        return f"sqlite:///{workdir / f'{name}.sqlite3'}"
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    return sa.make_url(server).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


def drop_schemas(urls: list[str]) -> None:
    server = os.environ.get("TRACKER_DATABASE_URL")
    if not server:
        return
    import sqlalchemy as sa

    engine = sa.create_engine(server)
    with engine.begin() as connection:
        for url in urls:
            schema = sa.make_url(url).query["options"].removeprefix("-csearch_path=")
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def child(args: list[str]) -> dict:
    """Run this script as a child (`--child ...`) and return what it reports."""
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    if result.returncode:
        sys.exit(f"child {args} failed:\n{result.stderr}")
    if os.environ.get("BENCH_IMPORT_MEMORY") and "traced:" in result.stderr:
        print(result.stderr[result.stderr.index("traced:"):], end="", flush=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def in_child(action: str, url: str, folder: str, profile: str | None) -> None:
    """The child's side: migrate, or time reading and then importing one bundle."""
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.bundles import import_bundle, read_bundle
    from tracker.db import begin_write, db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if action == "migrate":
            upgrade()
            print(json.dumps({}))
            return
        started = time.perf_counter()
        read_bundle(Path(folder))
        db.session.rollback()
        reference = time.perf_counter() - started
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        memory = Memory() if os.environ.get("BENCH_IMPORT_MEMORY") else None
        started = time.perf_counter()
        begin_write()
        report = import_bundle(Path(folder), progress=memory.progress if memory else None)
        db.session.commit()
        if memory:
            memory.report(sys.stderr)
        seconds = time.perf_counter() - started
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        print(json.dumps({"seconds": seconds, "reference": reference, "peak_mb": peak, "summary": report.summary()}))


class Memory:
    """What holds an import's memory (tracemalloc): the lines that allocated what is held when the most is,
    looked at as the entries are written (at each thousand entries; the reading's plan is held then too)."""

    def __init__(self):
        import tracemalloc

        self.tracemalloc, self.most, self.snapshot = tracemalloc, 0, None
        tracemalloc.start()

    def progress(self, done: int, total: int) -> None:
        held, _peak = self.tracemalloc.get_traced_memory()
        if held > self.most * 1.1:
            self.most, self.snapshot = held, self.tracemalloc.take_snapshot()

    def report(self, out) -> None:
        _held, peak = self.tracemalloc.get_traced_memory()
        print(f"traced: peak {peak / 2**20:,.0f} MB; held at most {self.most / 2**20:,.0f} MB, by:", file=out)
        for stat in self.snapshot.statistics("lineno")[:12] if self.snapshot else []:
            print(f"  {stat.size / 2**20:8,.1f} MB {stat.count:>10,} blocks  {stat.traceback}", file=out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000", help="claims per bundle, comma-separated")
    parser.add_argument("--profile", help="write cProfile stats of each import into this folder")
    parser.add_argument("--memory", action="store_true", help="say what holds the memory (tracemalloc: slower)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        in_child(*[None if a == "-" else a for a in args.child])
        return
    if args.memory:
        os.environ["BENCH_IMPORT_MEMORY"] = "1"  # for the children
    engine = "PostgreSQL" if os.environ.get("TRACKER_DATABASE_URL") else "SQLite"
    made: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        print(f"{engine}; reference: reading and checking the same bundle without writing, in the same process")
        print(f"{'claims':>8} {'import':>9} {'seconds':>8} {'reference':>10} {'ratio':>6} {'peak MB':>8}  changes")
        for size in [int(s) for s in args.sizes.split(",")]:
            bundle = workdir / f"bundle-{size}"
            generate(bundle, size)
            url = fresh_database(workdir, f"db-{size}")
            made.append(url)
            child(["migrate", url, "-", "-"])
            for run in ("fresh", "unchanged"):
                profile = str(Path(args.profile) / f"import-{size}-{run}.prof") if args.profile else "-"
                r = child(["import", url, str(bundle), profile])
                print(f"{size:>8,} {run:>9} {r['seconds']:>8.2f} {r['reference']:>10.2f} "
                      f"{r['seconds'] / r['reference']:>6.1f} {r['peak_mb']:>8.0f}  {r['summary'][:60]}", flush=True)
    drop_schemas(made)


if __name__ == "__main__":
    main()
