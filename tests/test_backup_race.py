"""A backup taken while four editors keep saving is one consistent snapshot: exactly the saves before it.

Each thread saves only its own dispute and claim, through the write core (a revision each, and a public
correction of the claim's published wording, in the same transaction), then reads its rows back: nobody else touches them, so what it reads is what it committed. The
revisions in the restored database say which saves the backup holds; the rest follows from the logs.
"""

import threading
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from tracker import backup, backup_sqlite
from tracker.core import By
from tracker.core.claims import edit_claim
from tracker.core.disputes import save_dispute
from tracker.core.edits import CorrectionNote
from tracker.db import begin_write, db
from tracker.models import Claim, Correction, CorrectionKind, Dispute, Revision

from . import factories as make
from .database import make_app
from .test_backup import cli, tables

THREADS = 4


def saves_until(stop: threading.Event, app, i: int, ids: tuple[int, int], log: list, errors: list) -> None:
    """Keep saving thread i's dispute and claim through the core until told to stop; log each save as committed."""
    by = By(source=f"thread {i}")
    note = CorrectionNote(CorrectionKind.update, "Saved again.")  # the claim is published: a public correction
    with app.app_context():
        while not stop.is_set():
            try:
                began = time.monotonic()
                begin_write()
                dispute, claim = db.session.get(Dispute, ids[0]), db.session.get(Claim, ids[1])
                wording = f"thread {i}, save {len(log) + 1}"
                save_dispute(dispute, slug=dispute.slug, title=wording, by=by)
                edit_claim(claim, summary=wording, kind=claim.kind, quote=claim.quote_exact, slug=claim.slug, by=by,
                           correction=note)
                db.session.commit()
                committed = time.monotonic()
                log.append({"began": began, "committed": committed, "rows": committed_rows(ids, by, log)})
                db.session.rollback()
                time.sleep(0.002)  # let the other writers in (SQLite's lock is not fair)
            except Exception as error:  # reported by the test
                db.session.rollback()
                errors.append(error)
                return


def committed_rows(ids: tuple[int, int], by: By, log: list) -> dict:
    """The rows this save wrote, read back: nobody else writes them, so they are as committed."""
    since = log[-1]["rows"]["revision"][-1]["id"] if log else 0
    revisions = [row(Revision, r) for r in db.session.scalars(
        sa.select(Revision.id).where(Revision.source == by.source, Revision.id > since).order_by(Revision.id))]
    corrections = [row(Correction, c) for c in db.session.scalars(
        sa.select(Correction.id).where(Correction.revision_id.in_([r["id"] for r in revisions])).order_by(Correction.id))]
    return {"dispute": row(Dispute, ids[0]), "claim": row(Claim, ids[1]), "revision": revisions,
            "correction": corrections}


def row(model, row_id: int) -> dict:
    """A row as stored, read as tests.test_backup.tables reads it."""
    table = model.__table__
    return dict(db.session.execute(sa.select(table).where(table.c.id == row_id)).mappings().one())


def test_a_backup_taken_while_four_threads_save_holds_exactly_the_saves_before_it(fresh_database, tmp_path,
                                                                                  monkeypatch):
    source, target = make_app(fresh_database()), make_app(fresh_database())
    with source.app_context():
        upgrade()
        claims = [make.claim(make.statement(make.dispute(f"d{i}"), f"s{i}"), f"c{i}") for i in range(THREADS)]
        db.session.commit()
        ids = [(c.dispute_id, c.id) for c in claims]
    before = tables(source)
    # Slowed down (a page per step, a pause per step), so that saves go on while it runs.
    monkeypatch.setattr(backup_sqlite, "PAGES_PER_STEP", 1)
    path = tmp_path / "tracker.backup"

    stop, errors = threading.Event(), []
    logs: list[list] = [[] for _ in range(THREADS)]
    threads = [threading.Thread(target=saves_until, args=(stop, source, i, ids[i], logs[i], errors))
               for i in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        started, finished = back_up_while_they_save(source, path, logs, errors)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []

    result = cli(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    restored = tables(target)
    in_backup = {row["id"] for row in restored["revision"]}
    assert restored == expected_tables(before, logs, in_backup)

    saves = [save for log in logs for save in log]
    # The race happened: saves landed before the snapshot, after it, and while the backup ran.
    held = [save for save in saves if revision_id(save) in in_backup]
    assert 0 < len(held) < len(saves)
    assert any(started < save["committed"] < finished for save in saves)
    # One moment in time: what was committed before the backup began is in it; what began after it ended is not.
    assert all(revision_id(save) in in_backup for save in saves if save["committed"] < started)
    assert not any(revision_id(save) in in_backup for save in saves if save["began"] > finished)
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def back_up_while_they_save(source, path, logs: list[list], errors: list) -> tuple[float, float]:
    """Back up once every thread has saved, and return once each has saved again: (start, end) of the backup."""
    wait_for(lambda: all(logs) or errors)
    progress = []

    def slowly(done: int, _total: int) -> None:
        # A backup that started over whenever a writer commits would never end here.
        assert not progress or done >= progress[-1], "the backup started over"
        progress.append(done)
        time.sleep(0.005)

    with source.app_context():
        started = time.monotonic()
        backup.write_backup(path, progress=slowly)
        finished = time.monotonic()
    saved_by_then = [len(log) for log in logs]
    wait_for(lambda: all(len(log) > n for log, n in zip(logs, saved_by_then)) or errors)
    return started, finished


def expected_tables(before: dict, logs: list[list], in_backup: set[int]) -> dict:
    """The tables as they were, plus the saves the backup holds, which must be the first few of each thread's."""
    expected = {name: list(rows) for name, rows in before.items()}
    for log in logs:
        held = [revision_id(save) in in_backup for save in log]
        kept = held.count(True)
        assert held == [True] * kept + [False] * (len(log) - kept), "the backup holds a prefix of each thread's saves"
        if kept:
            last = log[kept - 1]["rows"]
            for name in ("dispute", "claim"):
                expected[name] = [last[name] if row["id"] == last[name]["id"] else row for row in expected[name]]
            for name in ("revision", "correction"):
                expected[name] += [row for save in log[:kept] for row in save["rows"][name]]
    for name in ("revision", "correction"):
        expected[name].sort(key=lambda row: row["id"])
    return expected


def revision_id(save: dict) -> int:
    """The first revision a save wrote: in the backup exactly when the save is."""
    return save["rows"]["revision"][0]["id"]


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)
