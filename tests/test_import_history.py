"""Imports go through the write core: every change is a revision by the import, published wording changes
only with a correction, nothing editors held back is ever published, and export holds back what readers don't see."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracker.db import db, utcnow
from tracker.models import (
    Claim, Correction, Dispute, Evidence, Response, ReviewStatus, Revision, Statement,
)

from . import factories
from .client import get
from .database import SEED_BUNDLE, SEED_DISPUTE
from .test_bundles import claim_entry, edit_bundle

TOML = "dispute.toml"
RELEASE = "prc-embassy-press-release"


def claim(slug: str) -> Claim:
    db.session.expire_all()
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def import_(runner, *args) -> tuple[int, str]:
    result = runner.invoke(args=["import", *map(str, args)])
    return result.exit_code, result.output


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def empty_database() -> None:
    """Every row gone, as in a new database (the seed's too)."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


# ---- an import is history ----------------------------------------------------------------

def test_every_imported_row_has_a_revision_by_the_import(app, runner):
    code, output = import_(runner, SEED_BUNDLE)
    assert code == 0 and "39 changes (2 actors, 17 claims, 1 dispute, 1 evidence, 16 responses, 2 statements)" in output
    revisions = db.session.scalars(sa.select(Revision)).all()
    assert {r.action for r in revisions} == {"create"} and all(r.user_id is None for r in revisions)
    assert all(r.source.startswith(f'import of bundle "{SEED_BUNDLE.name}" (run by ') for r in revisions)
    for model, kind in ((Claim, "claim"), (Statement, "statement"), (Response, "response"), (Evidence, "evidence")):
        ids = set(db.session.scalars(sa.select(model.id)))
        assert {r.object_id for r in revisions if r.object_type == kind} == ids


def test_the_import_is_named_on_history_pages_and_recent_changes(client, seeded):
    release = db.session.scalar(sa.select(Statement).filter_by(slug=RELEASE))
    for page in (get(client, "/changes"), get(client, f"/history/statement/{release.id}")):
        assert f"by import of bundle &#34;{SEED_BUNDLE.name}&#34; (run by " in page


def test_importing_the_same_bundle_again_says_nothing_changed(app, runner, seeded):
    revisions = count(Revision)
    code, output = import_(runner, SEED_BUNDLE)
    assert code == 0 and f"imported dispute '{SEED_DISPUTE}': nothing changed" in output
    assert count(Revision) == revisions


def test_an_unpublished_change_is_one_revision_by_the_import(app, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, lambda data: data["statements"][0].update(venue="Kingston, Jamaica"))
    code, output = import_(runner, seed_bundle)
    assert code == 0 and "1 change (1 statement)" in output
    revision = db.session.scalar(sa.select(Revision).filter_by(action="edit"))
    assert (revision.object_type, revision.after["venue"], revision.source.split(" (")[0]) == (
        "statement", "Kingston, Jamaica", 'import of bundle "bundle"')


# ---- published wording: a correction, or the import is refused ---------------------------------

def reword(data):
    claim_entry(data, "embassy-mutual-respect")["summary"] = "Cooperation rests on mutual respect (reworded)"
    claim_entry(data, "embassy-groundless")["summary"] = "The accusation is groundless (reworded)"


def test_rewording_published_claims_without_a_correction_is_refused_naming_each_entry(app, runner, seeded,
                                                                                       seed_bundle):
    edit_bundle(seed_bundle, reword)
    revisions = count(Revision)
    code, output = import_(runner, seed_bundle)
    assert code == 1 and "not imported, nothing changed" in output
    for slug in ("embassy-mutual-respect", "embassy-groundless"):
        assert f'"{slug}": correction: this changes published wording' in output
    assert 'add correction = { kind = "clarification", reason = "..." } to the entry' in output
    assert claim("embassy-mutual-respect").summary != "Cooperation rests on mutual respect (reworded)"
    assert count(Revision) == revisions and count(Correction) == 0


def test_a_correction_given_in_the_entry_is_published(client, runner, seeded, seed_bundle):
    def with_notes(data):
        reword(data)
        for slug in ("embassy-mutual-respect", "embassy-groundless"):
            claim_entry(data, slug)["correction"] = {"kind": "clarification", "reason": f"Plainer words for {slug}."}

    edit_bundle(seed_bundle, with_notes)
    code, output = import_(runner, seed_bundle)
    assert code == 0 and "2 changes (2 claims)" in output
    notes = {c.reason: c.kind.value for c in db.session.scalars(sa.select(Correction))}
    assert notes == {"Plainer words for embassy-mutual-respect.": "clarification",
                     "Plainer words for embassy-groundless.": "clarification"}
    assert "Plainer words for embassy-groundless." in get(client, "/corrections")


def test_a_correction_given_on_the_command_line_covers_every_entry(app, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, reword)
    code, output = import_(runner, seed_bundle, "--correction", "update", "--reason", "The wording was updated.")
    assert code == 0, output
    assert [(c.kind.value, c.reason) for c in db.session.scalars(sa.select(Correction))] == [
        ("update", "The wording was updated.")] * 2
    revision = db.session.scalar(sa.select(Revision).filter_by(action="edit", object_id=claim("embassy-groundless").id))
    assert revision.reason == "The wording was updated." and revision.source.startswith("import of bundle")


@pytest.mark.parametrize("args, message", [
    (["--correction", "update"], "--correction and --reason go together"),
    (["--reason", "why"], "--correction and --reason go together"),
    (["--correction", "oops", "--reason", "why"], "'oops' is not one of"),
])
def test_a_half_given_correction_flag_is_refused_before_anything_is_read(app, runner, seed_bundle, args, message):
    code, output = import_(runner, seed_bundle, *args)
    assert code == 2 and message in output and count(Dispute) == 0


def test_rewording_a_claim_readers_do_not_see_needs_no_correction(app, runner, seeded, seed_bundle):
    held = claim("embassy-mutual-respect")
    held.review = ReviewStatus.pending
    db.session.commit()
    edit_bundle(seed_bundle, lambda data: claim_entry(data, "embassy-mutual-respect").update(summary="Reworded"))
    code, output = import_(runner, seed_bundle)
    assert code == 0, output
    assert claim("embassy-mutual-respect").summary == "Reworded" and count(Correction) == 0


def test_a_corrected_text_quoted_by_published_claims_is_a_correction(app, runner, seeded, seed_bundle):
    text = seed_bundle / "press-release.txt"
    text.write_bytes(text.read_bytes().replace(b"Press Release (2020.01.22)", b"Press Release (22 January 2020)"))
    code, output = import_(runner, seed_bundle)
    assert code == 1 and f'"{RELEASE}": correction: this changes published wording' in output
    code, output = import_(runner, seed_bundle, "--correction", "correction", "--reason", "The date as printed.")
    assert code == 0, output
    note = db.session.scalar(sa.select(Correction))
    assert (note.object_type, note.reason) == ("statement", "The date as printed.")
    moved = claim("embassy-world-will-judge")
    assert moved.statement.text[moved.quote_start:moved.quote_end] == moved.quote_exact


# ---- an import never publishes what editors held back ------------------------------------------

def test_an_import_keeps_what_editors_held_back_and_says_so(app, runner, seeded):
    answer = claim("embassy-sovereign-choice")
    held, gone = claim("embassy-mutual-respect"), claim("embassy-groundless")
    held.review, gone.deleted_at = ReviewStatus.pending, utcnow()
    tie = db.session.scalar(sa.select(Response).filter_by(claim_id=answer.id))
    tie.deleted_at = utcnow()
    db.session.commit()
    code, output = import_(runner, SEED_BUNDLE)
    assert code == 0 and "nothing changed" in output
    assert 'claim "embassy-mutual-respect": pending here, approved in the bundle; left as it is here' in output
    assert 'claim "embassy-groundless": deleted here' in output
    assert 'the response of claim "embassy-sovereign-choice"' in output
    assert claim("embassy-mutual-respect").review is ReviewStatus.pending
    assert claim("embassy-groundless").deleted_at is not None
    db.session.refresh(tie)
    assert tie.deleted_at is not None


# ---- export: what readers see, or everything with its state -------------------------------------

def hold_back(contributor) -> None:
    """Claims, evidence and a statement hidden in every way there is: pending, rejected, deleted, merged."""
    release = db.session.scalar(sa.select(Statement).filter_by(slug=RELEASE))
    pending, rejected, deleted, duplicate, survivor = (claim(slug) for slug in (
        "embassy-mutual-respect", "embassy-groundless", "embassy-world-will-judge", "embassy-sovereign-choice",
        "embassy-no-geopolitical-intent"))
    pending.review = ReviewStatus.pending
    rejected.review, rejected.review_reason, rejected.reviewed_at = ReviewStatus.rejected, "Too broad.", utcnow()
    deleted.deleted_at = utcnow()
    duplicate.merged_into_id, duplicate.deleted_at = survivor.id, utcnow()
    factories.evidence(survivor, "https://example.org/pending", review=ReviewStatus.pending,
                       added_by_id=contributor.id)
    speech = factories.statement(release.dispute, "a-deleted-statement", text=None, speaker=release.speaker,
                                 deleted_at=utcnow())
    factories.claim(speech, "on-a-deleted-statement", reconstructed=True, quote_start=None, quote_end=None,
                    quote_exact=None, quote_prefix=None, quote_suffix=None)
    db.session.commit()


def shown_slugs() -> set[str]:
    from tracker.shown import visible_claim

    return set(db.session.scalars(sa.select(Claim.slug).where(visible_claim())))


def test_an_export_holds_only_what_readers_see(app, runner, seeded, contributor, tmp_path):
    hold_back(contributor)
    readers_see = shown_slugs()
    assert runner.invoke(args=["export", SEED_DISPUTE, str(tmp_path / "out")]).exit_code == 0
    data = tomllib.loads((tmp_path / "out" / TOML).read_text())
    assert {c["slug"] for c in data["claims"]} == readers_see
    assert "a-deleted-statement" not in {s["slug"] for s in data["statements"]}
    assert "https://example.org/pending" not in {e["url"] for e in data["evidence"]}
    assert not any(key in entry for entry in data["claims"] for key in ("review", "deleted_at", "merged_into"))
    empty_database()
    assert import_(runner, tmp_path / "out")[0] == 0
    assert shown_slugs() == readers_see and count(Claim) == len(readers_see) and count(Statement) == 2
    assert count(Evidence, Evidence.url == "https://example.org/pending") == 0


def state() -> dict:
    """Every row's editorial state, by slugs and links rather than ids."""
    db.session.expire_all()
    slugs = dict(db.session.execute(sa.select(Claim.id, Claim.slug)).all())
    return {
        "claims": {c.slug: (c.review.value, c.review_reason, c.reviewed_at, c.deleted_at, slugs.get(c.merged_into_id))
                   for c in db.session.scalars(sa.select(Claim))},
        "statements": {s.slug: s.deleted_at for s in db.session.scalars(sa.select(Statement))},
        "evidence": {(slugs[e.claim_id], e.url): (e.review.value, e.deleted_at) for e in db.session.scalars(sa.select(Evidence))},
        "responses": {(slugs[r.claim_id], slugs[r.target_id]): (r.relation.value, r.deleted_at)
                      for r in db.session.scalars(sa.select(Response))},
        "dispute": db.session.scalar(sa.select(Dispute.deleted_at)),
    }


def as_utc(value):
    return value.replace(tzinfo=dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo is None else value


def comparable(data: dict) -> dict:
    """Times to the microsecond in UTC, whatever the engine gives back."""
    def fix(value):
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        return as_utc(value)
    return fix(data)


def test_export_all_then_import_restores_every_state_exactly(app, runner, seeded, contributor, tmp_path):
    hold_back(contributor)
    answer = claim("embassy-no-geopolitical-intent")
    tie = db.session.scalar(sa.select(Response).filter_by(claim_id=answer.id))
    tie.deleted_at = utcnow()
    db.session.commit()
    before = comparable(state())
    assert runner.invoke(args=["export", "--all", SEED_DISPUTE, str(tmp_path / "all")]).exit_code == 0
    empty_database()
    code, output = import_(runner, tmp_path / "all")
    assert code == 0, output
    assert comparable(state()) == before
    assert "on-a-deleted-statement" not in shown_slugs() and "embassy-sovereign-choice" not in shown_slugs()
    merge = db.session.scalar(sa.select(Revision).filter_by(action="merge"))
    assert merge.object_id == claim("embassy-sovereign-choice").id  # its history offers the undo


def test_a_deleted_dispute_is_exported_only_with_its_state(app, runner, seeded, tmp_path):
    db.session.scalar(sa.select(Dispute)).deleted_at = utcnow()
    db.session.commit()
    result = runner.invoke(args=["export", SEED_DISPUTE, str(tmp_path / "out")])
    assert result.exit_code == 1 and "readers see nothing of it: export it with --all" in result.output
    assert runner.invoke(args=["export", "--all", SEED_DISPUTE, str(tmp_path / "all")]).exit_code == 0
    empty_database()
    assert import_(runner, tmp_path / "all")[0] == 0
    assert db.session.scalar(sa.select(Dispute)).deleted_at is not None


def test_statement_kinds_are_written_as_the_readme_documents_them(app, runner, seeded, tmp_path):
    runner.invoke(args=["export", SEED_DISPUTE, str(tmp_path / "out")])
    text = (tmp_path / "out" / TOML).read_text()
    assert 'kind = "press release"' in text and "press_release" not in text
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "speech | press release | interview | post | report | other" in readme
