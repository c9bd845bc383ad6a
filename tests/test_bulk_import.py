"""Importing big bundles: queries that do not grow with the entries, progress told, no bar off a terminal."""

import io
import sys
from pathlib import Path

import sqlalchemy as sa
import tomli_w

from tracker.bundles import import_bundle
from tracker.cli import progress_bar
from tracker.db import begin_write, db
from tracker.models import Claim, Evidence, Response, Revision

from .database import count_queries


def write_bundle(folder: Path, claims: int) -> Path:
    """A bundle of one statement whose every sentence is quoted by a claim answering the claim before it,
    each claim with two links."""
    sentences = [f"Point number {n} of the reply is that the figures were never published." for n in range(claims)]
    folder.mkdir()
    (folder / "reply.txt").write_text(" ".join(sentences), encoding="utf-8")
    data = {
        "dispute": {"slug": f"{folder.name}-dispute", "title": "A big dispute"},
        "actors": [{"slug": f"{folder.name}-ministry", "name": "The Ministry", "kind": "organisation"}],
        "statements": [{"slug": "reply", "actor": f"{folder.name}-ministry", "title": "Reply", "kind": "press release",
                        "text_file": "reply.txt"}],
        "claims": [{"slug": f"point-{n}", "statement": "reply", "summary": f"Point {n}", "kind": "assertion",
                    "quote": sentence, **({"responds_to": f"point-{n - 1}", "relation": "supports"} if n else {})}
                   for n, sentence in enumerate(sentences)],
        "evidence": [{"claim": f"point-{n}", "url": f"https://example.org/{n}/{k}", "title": f"Source {n}.{k}",
                      "stance": "supports"} for n in range(claims) for k in range(2)],
    }
    (folder / "dispute.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return folder


def imported(folder: Path, progress=None):
    begin_write()
    report = import_bundle(folder, progress=progress)
    db.session.commit()
    return report


def test_queries_do_not_grow_with_the_entries_of_a_bundle(app, tmp_path):
    small, big = write_bundle(tmp_path / "small", 10), write_bundle(tmp_path / "big", 200)
    fresh = [count_queries(lambda f=f: imported(f)) for f in (small, big)]
    again = [count_queries(lambda f=f: imported(f)) for f in (small, big)]
    assert fresh[1] == fresh[0]
    assert again[1] == again[0]


def test_a_big_bundle_is_written_whole_with_a_revision_for_each_row(app, tmp_path):
    report = imported(write_bundle(tmp_path / "big", 200))
    assert report.changes == {"dispute": 1, "actor": 1, "statement": 1, "claim": 200, "response": 199,
                              "evidence": 400}
    counts = {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
              for model in (Claim, Response, Evidence, Revision)}
    assert counts == {"Claim": 200, "Response": 199, "Evidence": 400, "Revision": 802}
    last = db.session.scalar(sa.select(Claim).where(Claim.slug == "point-199"))
    assert last.quote_exact == "Point number 199 of the reply is that the figures were never published."
    assert last.responses[0].target.slug == "point-198"
    assert imported(tmp_path / "big").summary() == "nothing changed"


def test_progress_is_told_up_to_every_entry(app, tmp_path):
    told = []
    imported(write_bundle(tmp_path / "big", 600), progress=lambda done, total: told.append((done, total)))
    entries = 1 + 600 + 599 + 1200  # statements, claims, responses, evidence
    assert told[-1] == (entries, entries)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert len(told) > 2


def test_the_command_draws_no_bar_off_a_terminal(app, runner, tmp_path):
    result = runner.invoke(args=["import", str(write_bundle(tmp_path / "big", 20))])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == f"{tmp_path / 'big'}: imported dispute 'big-dispute': 82 changes (1 actor, 20 claims, " \
                            "1 dispute, 40 evidence, 19 responses, 1 statement)\n"


def test_on_a_terminal_the_bar_fills_up(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress_bar("bundle: writing") as progress:
        progress(500, 1000)
        progress(1000, 1000)
    assert "bundle: writing" in screen.getvalue()
    assert "100%" in screen.getvalue()
