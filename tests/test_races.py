"""Two editors save the same thing at the same moment: one save wins, the other gets 409, nothing is lost.

The two saves run in threads, each its own signed-in browser, against an app and a database of
their own (the saves commit for real). Each thread meets the other at a barrier right after the
core has read what the save is checked against (edits.loaded_at, or the verdict row): on
PostgreSQL both pass that point before either writes, so the database's version check settles
the race; on SQLite the second writer waits for the write lock (BEGIN IMMEDIATE), then reads the
new version and is refused. Both saves must reach that point, and with the version checks
switched off the same race must lose an edit: otherwise these tests would prove nothing.
"""

import html
import itertools
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tracker.bundles import import_bundle
from tracker.core import edits, verdicts
from tracker.db import db
from tracker.models import Revision, Role, Verdict

from .client import PASSWORD, get, post, sign_in
from .database import SEED_BUNDLE, SEED_DISPUTE, make_app
from .factories import create_user
from .forms import form_values

SEED = f"/disputes/{SEED_DISPUTE}"
CORRECTION = {"change_kind": "clarification", "change_reason": "Clearer wording."}
CLAIM = f"{SEED}/claims/embassy-mutual-respect"
# (its edit form, the field both editors change, what else they send, the SQL that reads the saved value)
EDITS = {
    "dispute": (f"{SEED}/edit", "title", {}, "SELECT title FROM dispute"),
    "claim": (f"{CLAIM}/edit", "summary", CORRECTION, "SELECT summary FROM claim WHERE slug = 'embassy-mutual-respect'"),
    "statement": (f"{SEED}/statements/prc-embassy-press-release/edit", "title", {},
                  "SELECT title FROM statement WHERE slug = 'prc-embassy-press-release'"),
    "verdict": (f"{CLAIM}/verdict", "explanation", {"rating": "mostly_true"},
                "SELECT explanation FROM verdict"),
}
ROUNDS = itertools.count(1)
# Where each save reads what it is checked against: the threads meet right after it.
MEETING = {"dispute": (edits, "loaded_at"), "claim": (edits, "loaded_at"), "statement": (edits, "loaded_at"),
           "verdict": (verdicts, "verdict_of")}


@pytest.fixture(scope="module")
def race_app(fresh_database):
    """An app with the seed and two editors, whose saves commit for real."""
    app = make_app(fresh_database())
    with app.app_context():
        upgrade()
        import_bundle(SEED_BUNDLE)
        for name in ("ann", "bob"):
            create_user(f"{name}@example.org", name.capitalize(), Role.editor, PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def race(app, kind: str, monkeypatch) -> dict:
    """Ann and Bob load the same form, then save different values at the same moment (values new to the
    database: this module's tests share it)."""
    url, field, extra, saved = EDITS[kind]
    editors = []
    with app.app_context():
        for name in ("ann", "bob"):
            client = app.test_client()
            assert sign_in(client, email=f"{name}@example.org").status_code == 302
            editors.append((name, client, form_values(get(client, url))))

    round = next(ROUNDS)
    module, function = MEETING[kind]
    reached, barrier, read = [], threading.Barrier(2, timeout=1), getattr(module, function)

    def meet_after_reading(*args, **kwargs):
        reached.append(threading.current_thread().name)
        result = read(*args, **kwargs)  # on SQLite the second save is refused here: the version moved
        try:
            barrier.wait()  # on SQLite the other writer waits for the lock meanwhile: go on alone
        except threading.BrokenBarrierError:
            pass
        return result

    monkeypatch.setattr(module, function, meet_after_reading)
    answers = {}

    def save(name, client, values):
        with app.app_context():
            response = post(client, url, dict(values, **extra, **{field: f"{name}'s {field} {round}"}), page_url=url)
            answers[name] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=save, args=editor, name=editor[0]) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        value = db.session.scalar(sa.text(saved))
        revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)).where(
            Revision.object_type == kind, Revision.source.is_(None)))
        rows = db.session.scalar(sa.select(sa.func.count(Verdict.id)))
    return {"answers": answers, "reached": sorted(set(reached)), "value": value, "revisions": revisions,
            "verdicts": rows, "values": {name: f"{name}'s {field} {round}" for name in ("ann", "bob")}}


@pytest.mark.parametrize("kind", EDITS)
def test_of_two_simultaneous_saves_one_wins_and_the_other_gets_409(race_app, kind, monkeypatch):
    before = race_revisions(race_app, kind)
    result = race(race_app, kind, monkeypatch)
    assert result["reached"] == ["ann", "bob"]  # both saves read what they are checked against
    statuses = sorted(status for status, _ in result["answers"].values())
    assert statuses == [302, 409], statuses
    winner = next(name for name, (status, _) in result["answers"].items() if status == 302)
    loser_page = next(page for status, page in result["answers"].values() if status == 409)
    assert result["value"] == result["values"][winner]
    assert result["values"][winner] in html.unescape(loser_page)  # the saved version, shown to the loser
    assert result["revisions"] == before + 1 and result["verdicts"] <= 1


@pytest.mark.filterwarnings("ignore:Dialect .* does not support updated rowcount")
@pytest.mark.parametrize("kind", ["dispute", "claim", "statement"])
def test_with_the_version_checks_switched_off_the_same_race_loses_an_edit(race_app, kind, monkeypatch):
    """The test above fails without the checks it is about: the form's version, and the database's."""
    monkeypatch.setattr(edits, "loaded_at", lambda obj, version: edits.history.snapshot(obj))
    with race_app.app_context():
        monkeypatch.setattr(db.engine.dialect, "supports_sane_rowcount", False)  # version_id_col unverified
    before = race_revisions(race_app, kind)
    result = race(race_app, kind, monkeypatch)
    assert result["reached"] == ["ann", "bob"]
    assert sorted(status for status, _ in result["answers"].values()) == [302, 302]  # both told "saved"...
    assert result["value"] in result["values"].values()  # ...but one of the two is lost
    assert result["revisions"] == before + 2


def race_revisions(app, kind: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Revision.id)).where(
            Revision.object_type == kind, Revision.source.is_(None)))
