"""Two editors save the same object at the same moment: one save wins, the other gets 409, nothing is lost.

The saves run in two threads that meet at a barrier right after each has checked the version it
was loaded at, so on PostgreSQL both pass the check and the race is settled by version_id_col;
on SQLite the second writer waits for the write lock (BEGIN IMMEDIATE) and sees the new version.
"""

import threading

import pytest
import sqlalchemy as sa

from tracker.auth.services import create_user
from tracker.db import db
from tracker.editor import services
from tracker.models import Revision, Role

from .client import PASSWORD, get, post, sign_in
from .database import SEED_DISPUTE
from .forms import form_values

SEED = f"/disputes/{SEED_DISPUTE}"
# The two saves run in threads, each on a connection of its own: their commits must be real.
pytestmark = pytest.mark.committed


# (its edit form, the field both editors change, other fields they send, how to read the saved value)
CORRECTION = {"change_kind": "clarification", "change_reason": "Clearer wording."}
EDITS = {
    "dispute": (f"{SEED}/edit", "title", {}, lambda: db.session.scalar(sa.text("SELECT title FROM dispute"))),
    "claim": (f"{SEED}/claims/embassy-mutual-respect/edit", "summary", CORRECTION,
              lambda: db.session.scalar(sa.text("SELECT summary FROM claim WHERE slug = 'embassy-mutual-respect'"))),
    "statement": (f"{SEED}/statements/prc-embassy-press-release/edit", "title", {},
                  lambda: db.session.scalar(sa.text("SELECT title FROM statement WHERE slug = 'prc-embassy-press-release'"))),
}


@pytest.mark.parametrize("kind", EDITS)
def test_of_two_simultaneous_saves_one_wins_and_the_other_gets_409(app, seeded, kind, monkeypatch):
    url, field, extra, saved_value = EDITS[kind]
    clients = []
    for name in ("ann", "bob"):
        create_user(f"{name}@example.org", name.capitalize(), Role.editor, PASSWORD)
        db.session.commit()
        client = app.test_client()
        assert sign_in(client, email=f"{name}@example.org").status_code == 302
        clients.append((name, client, form_values(get(client, url))))

    barrier = threading.Barrier(2, timeout=2)
    checked = services.loaded_at

    def meet_after_the_check(obj, form):
        before = checked(obj, form)
        try:
            barrier.wait()  # on SQLite the other writer is still waiting for the lock: go on alone
        except threading.BrokenBarrierError:
            pass
        return before

    monkeypatch.setattr(services, "loaded_at", meet_after_the_check)
    answers = {}

    def save(name, client, values):
        response = post(client, url, dict(values, **extra, **{field: f"{name}'s {field}"}), page_url=url)
        answers[name] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=save, args=c) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [302, 409], statuses
    winner = next(name for name, (status, _) in answers.items() if status == 302)
    loser_page = next(page for status, page in answers.values() if status == 409)
    db.session.rollback()  # end this test's read snapshot (SQLite WAL) to see the threads' commits
    assert saved_value() == f"{winner}'s {field}"
    assert f"{winner}&#39;s {field}" in loser_page  # the saved version, shown to the loser
    edits = sa.select(sa.func.count(Revision.id)).where(Revision.action == "edit", Revision.object_type == kind)
    assert db.session.scalar(edits) == 1
