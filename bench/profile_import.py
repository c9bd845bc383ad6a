"""Where an import's time goes: the cProfile files of bench/import.py --profile, grouped by what the code does.

    .venv/bin/python bench/import.py --sizes 10000 --profile /tmp/import-profiles
    .venv/bin/python bench/profile_import.py /tmp/import-profiles/*.prof

Own time of each function (not cumulative), grouped by where it is defined, the first group that
matches winning. SQLite runs the search index's triggers inside the statement that inserts a row, so
their cost is in "SQL running". The profiler slows Python calls more than C code: the shares say
where to look, not what a change would gain.
"""

import pstats
import sys

GROUPS = [
    ("TOML parsing", ("tomllib",)),
    ("anchoring quotes", ("tracker/anchoring", "tracker/core/anchors", "unicodedata")),
    ("reading rules and entries", ("tracker/rules", "tracker/bundles/entry", "tracker/bundles/read", "re.Pattern",
                                   "_sre", "lib/python3.11/re/", "tracker/urls", "urllib/parse", "ipaddress")),
    ("revisions (snapshots)", ("tracker/history",)),
    ("SQL building (statements, compiling)", ("sqlalchemy/sql",)),
    ("SQL running (engine, driver, triggers)", ("sqlalchemy/engine", "sqlalchemy/dialects", "sqlalchemy/pool",
                                                "sqlite3", "psycopg")),
    ("ORM (objects, flush, loading)", ("tracker/models", "sqlalchemy/orm", "sqlalchemy/util", "sqlalchemy/event", "flask_sqlalchemy")),
    ("the core and the importer's own code", ("tracker/core", "tracker/bundles/write")),
]
OTHER = "other"


def group(key: tuple) -> str:
    file, _line, function = key
    where = f"{file} {function}"
    return next((name for name, marks in GROUPS if any(m in where for m in marks)), OTHER)


def report(path: str) -> str:
    stats = pstats.Stats(path)
    own = {name: 0.0 for name, _ in GROUPS} | {OTHER: 0.0}
    for key, (_cc, _nc, tottime, _cumtime, _callers) in stats.stats.items():
        own[group(key)] += tottime
    total = sum(own.values())
    lines = [f"{path}: {total:,.1f} s under the profiler", "", "| where | seconds | share |", "|---|--:|--:|"]
    lines += [f"| {name} | {seconds:,.1f} | {seconds / total:.0%} |"
              for name, seconds in sorted(own.items(), key=lambda i: -i[1])]
    lines += ["", "| function (own time) | seconds | calls |", "|---|--:|--:|"]
    for (file, line, function), (_cc, calls, tottime, _cumtime, _callers) in sorted(
            stats.stats.items(), key=lambda item: -item[1][2])[:15]:
        where = f"{file.split('site-packages/')[-1].split('/tracker/')[-1]}:{line}" if line else ""
        lines.append(f"| `{function}` {where} | {tottime:,.2f} | {calls:,} |")
    return "\n".join(lines)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(report(name), end="\n\n")
