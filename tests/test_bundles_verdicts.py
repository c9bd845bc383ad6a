"""Verdicts in bundles: [[verdicts]] imported through the verdict form's rules and core, exported, round-tripped."""

import datetime as dt
import tomllib

import pytest
import sqlalchemy as sa

from tracker.core import By
from tracker.core.edits import delete
from tracker.core.verdicts import set_verdict
from tracker.db import db, in_utc
from tracker.models import Claim, Correction, Evidence, Rating, Revision, Verdict

from .client import get
from .database import SEED_DISPUTE
from .test_bundles import TOML, dispute_data, edit_bundle, empty_the_database, snapshot

SLUG = "pompeo-accuses-cooperation"  # the seed claim with evidence
SEEDED_URL = "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"
OTHER_URL = "https://example.org/another-claims-evidence"
PUBLISHED = dt.datetime(2020, 2, 3, 10, 30, tzinfo=dt.UTC)
VERDICT = {"claim": SLUG, "rating": "mostly false", "explanation": "The remarks were published.\n\nContext is missing.",
           "evidence": [SEEDED_URL], "published": PUBLISHED}


def with_verdict(**changes):
    """A change to a bundle: the seed claim's verdict, and evidence on another claim."""

    def change(data):
        other = {"claim": "embassy-groundless", "url": OTHER_URL, "title": "Other", "stance": "refutes"}
        data["evidence"] = [e for e in data["evidence"] if e["url"] != OTHER_URL] + [other]
        data["verdicts"] = [{k: v for k, v in {**VERDICT, **changes}.items() if v is not None}]

    return change


def import_(runner, folder, *args):
    result = runner.invoke(args=["import", str(folder), *args])
    return result.exit_code, result.output


def verdict() -> Verdict | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Verdict))


def claim(slug: str = SLUG) -> Claim:
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def verdict_revisions() -> list[Revision]:
    return list(db.session.scalars(sa.select(Revision).filter_by(object_type="verdict").order_by(Revision.id)))


# ---- importing -------------------------------------------------------------------------------

def test_a_bundle_sets_the_verdict_with_its_evidence_date_and_history(app, client, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, with_verdict())
    code, output = import_(runner, seed_bundle)
    assert code == 0, output
    assert "1 verdict" in output
    stored = verdict()
    assert (stored.claim.slug, stored.rating) == (SLUG, Rating.mostly_false)
    assert stored.explanation == VERDICT["explanation"]
    assert [e.url for e in stored.evidence] == [SEEDED_URL]
    assert in_utc(stored.set_at) == PUBLISHED
    [revision] = verdict_revisions()
    assert revision.action == "create" and revision.source.startswith('import of bundle "bundle"')
    page = get(client, f"/disputes/{SEED_DISPUTE}/claims/{SLUG}")
    assert "Verdict: mostly false" in page and "Context is missing." in page
    assert '<time datetime="2020-02-03T10:30:00' in page


def test_a_published_day_is_midnight_utc_and_one_link_needs_no_list(app, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, with_verdict(published=dt.date(2020, 2, 3), evidence=SEEDED_URL))
    assert import_(runner, seed_bundle)[0] == 0
    assert in_utc(verdict().set_at) == dt.datetime(2020, 2, 3, tzinfo=dt.UTC)
    assert [e.url for e in verdict().evidence] == [SEEDED_URL]


def test_importing_the_same_verdict_again_changes_nothing(app, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, with_verdict())
    assert import_(runner, seed_bundle)[0] == 0
    before = snapshot()
    code, output = import_(runner, seed_bundle)
    assert code == 0 and "nothing changed" in output
    assert snapshot() == before


def test_a_changed_verdict_is_a_correction_recorded_in_the_history(app, client, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, with_verdict())
    assert import_(runner, seed_bundle)[0] == 0
    first_set = verdict().set_at

    edit_bundle(seed_bundle, with_verdict(rating="false", evidence=[]))
    code, output = import_(runner, seed_bundle)
    assert code == 1
    assert f'[[verdicts]] #1 "{SLUG}": correction: this changes published wording' in output
    assert verdict().rating is Rating.mostly_false  # nothing changed

    note = {"kind": "update", "reason": "The accusation was checked against the full remarks."}
    edit_bundle(seed_bundle, with_verdict(rating="false", evidence=[], correction=note))
    code, output = import_(runner, seed_bundle)
    assert code == 0 and "1 change (1 verdict)" in output, output
    changed = verdict()
    assert changed.rating is Rating.false and changed.evidence == []
    assert changed.set_at > first_set  # changed now: the bundle's older date does not back-date it
    assert [r.action for r in verdict_revisions()] == ["create", "edit"]
    assert verdict_revisions()[-1].before["rating"] == "mostly_false"
    correction = db.session.scalar(sa.select(Correction))
    assert (correction.object_type, correction.reason) == ("verdict", note["reason"])
    assert note["reason"] in get(client, "/corrections")


def test_a_withdrawn_verdict_is_not_set_again_by_an_import(app, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, with_verdict())
    assert import_(runner, seed_bundle)[0] == 0
    delete(verdict(), By.machine("test"))
    db.session.commit()
    before = snapshot()
    code, output = import_(runner, seed_bundle)
    assert code == 0, output
    assert f'the verdict on claim "{SLUG}": withdrawn here; left as it is here' in output
    assert snapshot() == before


BAD_VERDICTS = {
    "unknown claim": (
        dict(claim="no-such-claim"),
        '[[verdicts]] #1 "no-such-claim": claim: unknown claim "no-such-claim"'),
    "unknown rating": (
        dict(rating="pants on fire"),
        "rating: 'pants on fire' is not one of: true, mostly true, mixed, mostly false, false, unsupported, "
        "misleading"),
    "no rating": (
        dict(rating=None),
        "rating: is required (one of: true, mostly true"),
    "evidence of another claim": (
        dict(evidence=[OTHER_URL]),
        f'evidence: "{OTHER_URL}" is not evidence of claim "{SLUG}" in this bundle'),
    "not a link": (
        dict(evidence=["javascript:alert(1)"]),
        "evidence: 'javascript:alert(1)': only http:// and https:// links are accepted"),
    "empty explanation": (
        dict(explanation="  "),
        f'"{SLUG}": explanation: is required'),
    "published not a date": (
        dict(published="last week"),
        "published: 'last week' is not a date (2020-01-22) nor a date and time with its offset"),
    "published without its offset": (
        dict(published=dt.datetime(2020, 2, 3, 10, 30)),
        "published: datetime.datetime(2020, 2, 3, 10, 30) is not a date and time with its offset"),
    "published in the future": (
        dict(published=dt.date(2999, 1, 1)),
        "published: 2999-01-01 is in the future"),
    "misspelt key": (
        dict(ratin="false"),
        "ratin: unknown key (expected one of: claim, correction, deleted_at, evidence, explanation, published, "
        "rating)"),
}


@pytest.mark.parametrize("changes, message", BAD_VERDICTS.values(), ids=BAD_VERDICTS.keys())
def test_a_bad_verdict_is_named_and_nothing_is_imported(app, runner, seeded, seed_bundle, changes, message):
    edit_bundle(seed_bundle, with_verdict(**changes))
    before = snapshot()
    code, output = import_(runner, seed_bundle)
    assert code == 1
    assert f"{seed_bundle / TOML} [[verdicts]] #1" in output and message in output
    assert snapshot() == before


def test_two_verdicts_on_one_claim_and_evidence_readers_do_not_see_are_refused(app, runner, seeded, seed_bundle):
    def change(data):
        with_verdict()(data)
        data["verdicts"].append(dict(VERDICT))
        data["evidence"][0]["review"] = "pending"
    edit_bundle(seed_bundle, change)
    code, output = import_(runner, seed_bundle)
    assert code == 1
    assert f'[[verdicts]] #2 "{SLUG}": claim: claim "{SLUG}" has a verdict already in this bundle' in output
    assert f'evidence: "{SEEDED_URL}" is not shown on claim "{SLUG}" (it is pending' in output
    assert verdict() is None


# ---- exporting -------------------------------------------------------------------------------

def exported(runner, slug, folder, *args) -> dict:
    result = runner.invoke(args=["export", *args, slug, str(folder)])
    assert result.exit_code == 0, result.output
    return tomllib.loads((folder / TOML).read_text(encoding="utf-8"))


def set_by_editor(rating=Rating.misleading) -> Verdict:
    item = db.session.scalar(sa.select(Evidence).filter_by(url=SEEDED_URL))
    made = set_verdict(claim(), rating=rating, explanation="Worded to mislead.", evidence=[item.id],
                       by=By.machine("test"))
    db.session.commit()
    return made


def test_export_writes_the_verdict_and_the_round_trip_is_identical(app, runner, seeded, tmp_path):
    set_by_editor()
    original = dispute_data(SEED_DISPUTE)
    assert original["verdicts"][SLUG][0] is Rating.misleading
    data = exported(runner, SEED_DISPUTE, tmp_path / "out")
    [entry] = data["verdicts"]
    assert entry["claim"] == SLUG and entry["rating"] == "misleading" and entry["evidence"] == [SEEDED_URL]
    assert entry["explanation"] == "Worded to mislead." and isinstance(entry["published"], dt.datetime)
    set_at = verdict().set_at

    empty_the_database()
    code, output = import_(runner, tmp_path / "out")
    assert code == 0, output
    assert verdict().rating is Rating.misleading and verdict().set_at == set_at
    assert dispute_data(SEED_DISPUTE) == original
    exported(runner, SEED_DISPUTE, tmp_path / "again")
    assert (tmp_path / "again" / TOML).read_text() == (tmp_path / "out" / TOML).read_text()


def test_a_withdrawn_verdict_is_exported_only_with_all_and_comes_back_withdrawn(app, runner, seeded, tmp_path):
    delete(set_by_editor(), By.machine("test"))
    db.session.commit()
    assert "verdicts" not in exported(runner, SEED_DISPUTE, tmp_path / "shown")
    [entry] = exported(runner, SEED_DISPUTE, tmp_path / "all", "--all")["verdicts"]
    assert entry["rating"] == "misleading" and isinstance(entry["deleted_at"], dt.datetime)

    original = dispute_data(SEED_DISPUTE)
    empty_the_database()
    code, output = import_(runner, tmp_path / "all")
    assert code == 0, output
    assert verdict().deleted_at is not None and claim().verdict is None  # readers see no verdict
    assert dispute_data(SEED_DISPUTE) == original
    exported(runner, SEED_DISPUTE, tmp_path / "again", "--all")
    assert (tmp_path / "again" / TOML).read_text() == (tmp_path / "all" / TOML).read_text()


def test_a_verdict_lists_only_the_evidence_readers_see(app, runner, seeded, tmp_path):
    set_by_editor()
    delete(db.session.scalar(sa.select(Evidence).filter_by(url=SEEDED_URL)), By.machine("test"))
    db.session.commit()
    assert "evidence" not in exported(runner, SEED_DISPUTE, tmp_path / "out")["verdicts"][0]
    # Importing the bundle here again changes nothing: the hidden evidence is no change to the verdict.
    before = snapshot()
    code, output = import_(runner, tmp_path / "out")
    assert code == 0 and "nothing changed" in output, output
    assert snapshot() == before
