"""Where a page's time goes: cProfile over requests made in-process, grouped by what the code does.

    .venv/bin/python bench/profile_pages.py [--requests 20]

On the load benchmark's data (bench/scratch.py; TRACKER_DATABASE_URL for PostgreSQL), profiles
the 100-claim timeline and the 10,000-claim claim page in the middle of its reply chain through
the Flask test client, and prints each profile's own time grouped (SQL, ORM loading, url_for,
template rendering, other) and its top functions. It counts CPU time, of this process only: on
PostgreSQL the server's own work is not in it. Profiling slows Python code more than the
database, so the shares say where to look, not what a change would gain.
"""

import argparse
import cProfile
import os
import pstats
import time

import data
import reference
import scratch

# Own time of a function, by where it is defined (the first that matches wins).
GROUPS = [
    ("SQL building (statements, cache keys, compiling)", ("sqlalchemy/sql",)),
    ("SQL running and fetching (engine, driver)", ("sqlalchemy/engine", "sqlalchemy/dialects", "sqlalchemy/pool",
                                                   "sqlite3", "psycopg")),
    ("ORM loading (objects from rows)", ("sqlalchemy/orm", "sqlalchemy/util", "sqlalchemy/event", "flask_sqlalchemy")),
    ("url_for", ("werkzeug/routing", "url_for")),
    ("template rendering", ("jinja2", "markupsafe", ".html", "tracker/templating")),
]
OTHER = "other (views, queries' Python, Flask, Werkzeug)"


def group(key: tuple) -> str:
    file, _line, function = key
    where = f"{file} {function}"
    return next((name for name, marks in GROUPS if any(m in where for m in marks)), OTHER)


def profile(client, path: str, requests: int) -> pstats.Stats:
    for _ in range(2):
        assert client.get(path).status_code == 200, path  # compiled templates, warm caches
    profiler = cProfile.Profile(time.process_time)  # CPU time: on a shared machine, waiting is not the page's
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    return pstats.Stats(profiler)


def report(label: str, stats: pstats.Stats, requests: int) -> str:
    own = {name: 0.0 for name, _ in GROUPS} | {OTHER: 0.0}
    for key, (_cc, _nc, tottime, _cumtime, _callers) in stats.stats.items():
        own[group(key)] += tottime
    total = sum(own.values())
    lines = [f"{label}: {total / requests * 1000:.0f} ms of CPU a request under the profiler", "",
             "| where | share |", "|---|--:|"]
    lines += [f"| {name} | {seconds / total:.0%} |" for name, seconds in sorted(own.items(), key=lambda i: -i[1])]
    lines += ["", "| function (own time) | share | calls a request |", "|---|--:|--:|"]
    top = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:10]
    for (file, line, function), (_cc, calls, tottime, _cumtime, _callers) in top:
        where = f"{file.split('site-packages/')[-1].split('/wt-load/')[-1]}:{line}" if line else ""
        lines.append(f"| `{function}` {where} | {tottime / total:.0%} | {calls / requests:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with scratch.database(fresh=False) as database_url:
        os.environ["TRACKER_DATABASE_URL"], os.environ["TRACKER_SECRET_KEY"] = database_url, "load benchmark"
        client = reference.create_app().test_client(use_cookies=False)
        for label, path in (("timeline (100 claims)", data.pages(data.SMALL)["timeline"]),
                            ("claim in the middle of its chain (10,000 claims)",
                             data.pages(data.LARGE)["claim, mid-chain"])):
            print(report(f"{label}, {path}", profile(client, path, args.requests), args.requests), end="\n\n")


if __name__ == "__main__":
    main()
