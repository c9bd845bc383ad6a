"""Importing and exporting dispute bundles, including every way a bundle can be wrong."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa
import tomli_w

from tracker.db import db, in_utc
from tracker.models import Claim, Dispute, Relation, Statement, Verdict

from .database import SEED_BUNDLE, SEED_DISPUTE

TOML = "dispute.toml"


def snapshot() -> dict:
    """Every row of every table, as stored (ids and timestamps included)."""
    db.session.expire_all()
    return {
        table.name: sorted(map(tuple, db.session.execute(table.select())), key=repr)
        for table in db.metadata.sorted_tables
    }


def empty_the_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def dispute_data(slug: str) -> dict:
    """What a reader could see of a dispute, by slug rather than by database id."""
    db.session.expire_all()
    dispute = db.session.scalar(sa.select(Dispute).filter_by(slug=slug))
    statements = db.session.scalars(sa.select(Statement).filter_by(dispute_id=dispute.id)).all()
    claims = db.session.scalars(sa.select(Claim).filter_by(dispute_id=dispute.id)).all()
    return {
        "dispute": (dispute.title, dispute.summary, dispute.status, dispute.tag_names),
        "statements": {
            s.slug: (s.speaker.slug, s.speaker.name, s.speaker.kind, s.speaker.role, s.speaker.country, s.title,
                     s.kind, s.date, s.date_precision, s.venue, s.source_url, s.language, s.text,
                     sorted(a.answered.slug for a in s.answers))
            for s in statements
        },
        "claims": {
            c.slug: (c.statement.slug, c.summary, c.kind, c.reconstructed, c.reported_in and c.reported_in.slug,
                     c.quote_start, c.quote_end, c.quote_exact, c.quote_prefix, c.quote_suffix,
                     sorted((r.target.slug, r.relation) for r in c.responses), c.tag_names,
                     sorted((e.url, e.archived_url, e.title, e.publisher, e.date, e.excerpt, e.stance)
                            for e in c.evidence))
            for c in claims
        },
        "verdicts": {
            v.claim.slug: (v.rating, v.explanation, [e.url for e in v.evidence], in_utc(v.set_at),
                           v.deleted_at and in_utc(v.deleted_at))
            for v in db.session.scalars(sa.select(Verdict).where(Verdict.claim_id.in_([c.id for c in claims])))
        },
    }


def edit_bundle(folder: Path, change) -> None:
    """Rewrite the bundle's dispute.toml after `change(data)`."""
    path = folder / TOML
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def claim_entry(data: dict, slug: str) -> dict:
    return next(c for c in data["claims"] if c["slug"] == slug)


# ---- the seed dispute -------------------------------------------------------

def test_seed_imports_with_every_quote_anchored_in_the_verbatim_text(app, seeded):
    dispute = db.session.scalar(sa.select(Dispute).filter_by(slug=seeded))
    claims = {c.slug: c for c in db.session.scalars(sa.select(Claim).filter_by(dispute_id=dispute.id))}
    release = db.session.scalar(sa.select(Statement).filter_by(slug="prc-embassy-press-release"))
    assert release.text.encode("utf-8") == (SEED_BUNDLE / "press-release.txt").read_bytes()

    verbatim = [c for c in claims.values() if not c.reconstructed]
    assert len(verbatim) == 12
    for claim in verbatim:
        assert release.text[claim.quote_start:claim.quote_end] == claim.quote_exact
    # Typed with plain spaces in the bundle, stored with the release's own characters.
    assert "environment \u00a0and" in claims["embassy-environment-and-jobs"].quote_exact
    assert "region.\u00a0Indisputable" in claims["embassy-development-benefits"].quote_exact


def test_seed_accusation_is_reconstructed_and_reported_not_quoted(app, seeded):
    claims = {c.slug: c for c in db.session.scalars(sa.select(Claim))}
    accusations = [c for c in claims.values() if c.statement.slug == "pompeo-kingston-remarks"]
    assert accusations and all(c.reconstructed for c in accusations)
    reported = claims["pompeo-accuses-cooperation"]
    assert reported.reported_in.slug == "prc-embassy-press-release"
    assert reported.quote_exact == "the groundless accusation\u00a0against China's cooperation with Latin America and Caribbean countries"
    assert all(c.quote_exact is None for c in accusations if c is not reported)


def test_every_seed_counterclaim_answers_an_accusation(app, seeded):
    claims = db.session.scalars(sa.select(Claim)).all()
    for claim in claims:
        if claim.statement.slug == "prc-embassy-press-release":
            assert claim.responses, f"{claim.slug} answers nothing"
            assert all(r.target.kind.value == "accusation" for r in claim.responses)
    groundless = next(c for c in claims if c.slug == "embassy-groundless")
    assert {r.relation for r in groundless.responses} == {Relation.denies}
    assert len(groundless.responses) == 5  # one "groundless" denies the whole accusation


def test_importing_twice_changes_nothing(app, runner, seeded):
    before = snapshot()
    result = runner.invoke(args=["import", str(SEED_BUNDLE)])
    assert result.exit_code == 0, result.output
    assert snapshot() == before


def test_export_then_import_gives_the_same_data(app, runner, seeded, tmp_path):
    original = dispute_data(seeded)
    out = tmp_path / "exported"
    assert runner.invoke(args=["export", seeded, str(out)]).exit_code == 0
    assert (out / "prc-embassy-press-release.txt").read_bytes() == (SEED_BUNDLE / "press-release.txt").read_bytes()

    empty_the_database()
    result = runner.invoke(args=["import", str(out)])
    assert result.exit_code == 0, result.output
    assert dispute_data(seeded) == original

    again = tmp_path / "again"
    runner.invoke(args=["export", seeded, str(again)])
    assert (again / TOML).read_text() == (out / TOML).read_text()


def test_export_of_an_unknown_dispute_is_refused(app, runner, tmp_path):
    result = runner.invoke(args=["export", "no-such-dispute", str(tmp_path)])
    assert result.exit_code == 1
    assert 'no dispute with the slug "no-such-dispute"' in result.output


def test_a_folder_of_bundles_loads_each_in_its_own_transaction(app, runner, seed_bundle, tmp_path):
    good = seed_bundle.rename(tmp_path / "a-good")
    bad = tmp_path / "b-bad"
    bad.mkdir()
    (bad / TOML).write_text('[dispute]\nslug = "broken"\n')
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{good}: imported dispute '{SEED_DISPUTE}'" in result.output
    assert "b-bad: not imported, nothing changed" in result.output
    assert f"{bad / TOML} [dispute]: title: is required" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 1


def test_a_folder_without_bundles_is_refused(app, runner, tmp_path):
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert "no dispute.toml here or in the folders right under it" in result.output


def test_statement_dates_keep_their_precision(app, runner, seed_bundle):
    def dates(data):
        data["statements"][0]["date"] = "2020-01"
        data["statements"][1]["date"] = 2020

    edit_bundle(seed_bundle, dates)
    assert runner.invoke(args=["import", str(seed_bundle)]).exit_code == 0
    speech, release = (db.session.scalar(sa.select(Statement).filter_by(slug=s))
                       for s in ("pompeo-kingston-remarks", "prc-embassy-press-release"))
    assert (speech.date, speech.date_label) == (dt.date(2020, 1, 1), "January 2020")
    assert (release.date, release.date_label) == (dt.date(2020, 1, 1), "2020")


def test_responses_with_different_relations_round_trip(app, runner, seed_bundle, tmp_path):
    def mixed(data):
        claim_entry(data, "embassy-sovereign-choice").update(
            responds_to=[{"claim": "pompeo-accuses-cooperation", "relation": "counters"},
                         {"claim": "pompeo-geopolitical-aims", "relation": "qualifies"}])
        del claim_entry(data, "embassy-sovereign-choice")["relation"]

    edit_bundle(seed_bundle, mixed)
    assert runner.invoke(args=["import", str(seed_bundle)]).exit_code == 0
    original = dispute_data(SEED_DISPUTE)
    assert original["claims"]["embassy-sovereign-choice"][10] == [
        ("pompeo-accuses-cooperation", Relation.counters), ("pompeo-geopolitical-aims", Relation.qualifies)]
    runner.invoke(args=["export", SEED_DISPUTE, str(tmp_path / "out")])
    empty_the_database()
    assert runner.invoke(args=["import", str(tmp_path / "out")]).exit_code == 0
    assert dispute_data(SEED_DISPUTE) == original


def test_a_corrected_text_moves_the_anchors_of_claims_already_stored(app, runner, seeded, seed_bundle):
    before = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-world-will-judge"))
    start = before.quote_start
    text = seed_bundle / "press-release.txt"
    text.write_bytes(text.read_bytes().replace(b"Press Release (2020.01.22)", b"Press Release (2020.01.22, corrected)"))
    edit_bundle(seed_bundle, lambda data: data.update(claims=[], evidence=[]))
    # Published claims quote the text: changing it is a public correction.
    result = runner.invoke(args=["import", str(seed_bundle), "--correction", "correction", "--reason", "The title."])
    assert result.exit_code == 0, result.output
    after = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-world-will-judge"))
    assert after.quote_start == start + len(", corrected")
    assert after.statement.text[after.quote_start:after.quote_end] == after.quote_exact


def test_a_correction_that_drops_a_quoted_passage_is_refused(app, runner, seeded, seed_bundle):
    before = snapshot()
    text = seed_bundle / "press-release.txt"
    text.write_bytes(text.read_bytes().replace(b"The world will tell plainly", b"History will show"))
    edit_bundle(seed_bundle, lambda data: data.update(claims=[], evidence=[]))
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    assert "no longer holds the quotes of these claims: embassy-world-will-judge" in result.output
    assert snapshot() == before


# ---- bad bundles: a clear message, and nothing changed ----------------------

def set_statement(index, **values):
    return lambda data: data["statements"][index].update(values)


def set_claim(which, **values):
    return lambda data: claim_entry(data, which).update(values)


def drop_key(section, index, key):
    return lambda data: data[section][index].pop(key)


BAD_BUNDLES = {
    "unknown actor": (
        set_statement(1, actor="nobody"),
        '[[statements]] #2 "prc-embassy-press-release": actor: unknown actor "nobody"'),
    "duplicate claim slug": (
        lambda data: data["claims"].append(dict(claim_entry(data, "embassy-groundless"))),
        '[[claims]] #18 "embassy-groundless": slug: duplicate "embassy-groundless" in this bundle'),
    "duplicate actor slug": (
        lambda data: data["actors"].append(dict(data["actors"][0])),
        '[[actors]] #3 "michael-r-pompeo": slug: duplicate "michael-r-pompeo"'),
    "quote not in the text": (
        set_claim("embassy-no-geopolitical-intent", quote="China has every intention to pursue geopolitical strategy"),
        '[[claims]] #7 "embassy-no-geopolitical-intent": quote: in statement "prc-embassy-press-release": '
        'not found in the statement. The closest passage is: “'),
    "ambiguous quote": (
        set_claim("embassy-open-and-transparent", quote="Latin America"),
        '"embassy-open-and-transparent": quote: in statement "prc-embassy-press-release": these words occur 5 times'),
    "bad date": (
        set_statement(0, date="2020-13"),
        '[[statements]] #1 "pompeo-kingston-remarks": date: \'2020-13\' is not a date'),
    "date with a time": (
        set_statement(0, date=dt.datetime(2020, 1, 22, 10, 0)),
        '"pompeo-kingston-remarks": date: datetime.datetime(2020, 1, 22, 10, 0) is not a date'),
    "bad evidence date": (
        lambda data: data["evidence"][0].update(date="2020-01"),
        "[[evidence]] #1: date: '2020-01' is not a whole date: use a day such as 2020-01-22"),
    "javascript source url": (
        set_statement(0, source_url="javascript:alert(1)"),
        '"pompeo-kingston-remarks": source_url: \'javascript:alert(1)\': only http:// and https:// links are accepted'),
    "data evidence url": (
        lambda data: data["evidence"][0].update(url="data:text/html,<script>alert(1)</script>"),
        "[[evidence]] #1: url: 'data:text/html,<script>alert(1)</script>': only http:// and https://"),
    "evidence url with credentials": (
        lambda data: data["evidence"][0].update(url="https://ht.usembassy.gov@evil.example/"),
        "[[evidence]] #1: url: 'https://ht.usembassy.gov@evil.example/': a link cannot contain a user name"),
    "duplicate evidence url": (
        lambda data: data["evidence"].append(dict(data["evidence"][0])),
        '[[evidence]] #2: url: "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/" is already linked'),
    "the same evidence url with tracking parameters": (
        lambda data: data["evidence"].append(dict(data["evidence"][0], url=data["evidence"][0]["url"]
                                                  + "?utm_source=newsletter&fbclid=x#comments")),
        '[[evidence]] #2: url: "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/" is already linked'),
    "evidence on an unknown claim": (
        lambda data: data["evidence"][0].update(claim="nope"),
        '[[evidence]] #1: claim: unknown claim "nope"'),
    "claim answering itself": (
        set_claim("embassy-no-geopolitical-intent", responds_to="embassy-no-geopolitical-intent"),
        '"embassy-no-geopolitical-intent": responds_to: a claim cannot answer itself'),
    "claim answering an unknown claim": (
        set_claim("embassy-no-geopolitical-intent", responds_to="pompeo-never-said"),
        '"embassy-no-geopolitical-intent": responds_to: unknown claim "pompeo-never-said"'),
    "same target twice": (
        set_claim("embassy-no-geopolitical-intent", responds_to=["pompeo-geopolitical-aims", "pompeo-geopolitical-aims"]),
        '"embassy-no-geopolitical-intent": responds_to: "pompeo-geopolitical-aims" is named twice'),
    "response without relation": (
        lambda data: claim_entry(data, "embassy-no-geopolitical-intent").pop("relation"),
        '"embassy-no-geopolitical-intent": relation: is required (one of: rebuts, denies'),
    "unknown relation": (
        set_claim("embassy-no-geopolitical-intent", relation="refutes"),
        "\"embassy-no-geopolitical-intent\": relation: 'refutes' is not one of: rebuts"),
    "statement answering itself": (
        set_statement(1, responds_to="prc-embassy-press-release"),
        '"prc-embassy-press-release": responds_to: a statement cannot answer itself'),
    "statement answering an unknown statement": (
        set_statement(1, responds_to=["pompeo-kingston-remarks", "nope"]),
        '"prc-embassy-press-release": responds_to: unknown statement "nope"'),
    "claim of an unknown statement": (
        set_claim("embassy-groundless", statement="nope"),
        '"embassy-groundless": statement: unknown statement "nope"'),
    "text file outside the bundle": (
        set_statement(1, text_file="../outside.txt"),
        '"prc-embassy-press-release": text_file: "../outside.txt" is outside the bundle folder'),
    "text file missing": (
        set_statement(1, text_file="missing.txt"),
        '"prc-embassy-press-release": text_file: "missing.txt" does not exist'),
    "text and text_file": (
        set_statement(1, text="inline"),
        '"prc-embassy-press-release": text: give text or text_file, not both'),
    "unknown statement kind": (
        set_statement(0, kind="sermon"),
        "\"pompeo-kingston-remarks\": kind: 'sermon' is not one of: speech, press release, interview"),
    "missing title": (
        drop_key("statements", 0, "title"),
        '"pompeo-kingston-remarks": title: is required'),
    "title too long": (
        set_statement(0, title="x" * 301),
        '"pompeo-kingston-remarks": title: is 301 characters long; at most 300 are allowed'),
    "bad slug": (
        set_claim("embassy-groundless", slug="Embassy Groundless"),
        '"Embassy Groundless": slug: "Embassy Groundless" is not a slug'),
    "misspelt key": (
        set_claim("embassy-groundless", sumary="typo"),
        '"embassy-groundless": sumary: unknown key'),
    "unknown table": (
        lambda data: data.update(rulings=[{"claim": "x"}]),
        "[rulings]: unknown table (expected: dispute, actors, statements, claims, evidence, verdicts)"),
    "reconstructed claim with a quote but no report": (
        lambda data: claim_entry(data, "pompeo-accuses-cooperation").pop("reported_in"),
        '"pompeo-accuses-cooperation": quote: a reconstructed claim has no quote unless a statement reports it'),
    "reported claim without reconstructed": (
        lambda data: claim_entry(data, "pompeo-accuses-cooperation").pop("reconstructed"),
        '"pompeo-accuses-cooperation": reported_in: only a reconstructed claim is reported'),
    "verbatim claim without a quote": (
        lambda data: claim_entry(data, "embassy-groundless").pop("quote"),
        '"embassy-groundless": quote: is required: paste the exact words of the statement'),
    "quote in a statement without text": (
        set_claim("embassy-groundless", statement="pompeo-kingston-remarks"),
        '"embassy-groundless": quote: the statement "pompeo-kingston-remarks" has no text on record'),
    "bad tag": (
        lambda data: data["dispute"].update(tags=["ok", "<script>"]),
        '[dispute]: tags: "<script>" is not a tag'),
    "bad claim tag": (
        set_claim("embassy-groundless", tags=["fine", "x" * 51]),
        '"embassy-groundless": tags: "' + "x" * 51 + '" is not a tag'),
    "bad status": (
        lambda data: data["dispute"].update(status="closed"),
        "[dispute]: status: 'closed' is not one of: open, settled, archived"),
    "claims not a list": (
        lambda data: data.update(claims={"slug": "x"}),
        "claims: must be an array of tables ([[claims]])"),
}


@pytest.mark.parametrize("change, message", BAD_BUNDLES.values(), ids=BAD_BUNDLES.keys())
def test_a_bad_bundle_is_refused_clearly_and_changes_nothing(app, runner, seeded, seed_bundle, change, message):
    (seed_bundle.parent / "outside.txt").write_text("Not part of the bundle.")
    edit_bundle(seed_bundle, change)
    # A change to the dispute that would be written if the bundle were accepted.
    edit_bundle(seed_bundle, lambda data: data["dispute"].update(title="A title that must not land"))
    before = snapshot()
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    assert f"{seed_bundle}: not imported, nothing changed" in result.output
    assert f"{seed_bundle / TOML}" in result.output
    assert message in result.output
    assert snapshot() == before


def test_invalid_toml_names_the_line(app, runner, seed_bundle):
    (seed_bundle / TOML).write_text('[dispute]\nslug = "x\n')
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    assert f"{seed_bundle / TOML}: cannot read: " in result.output and "line 2" in result.output


def test_text_file_that_is_not_utf8(app, runner, seed_bundle):
    (seed_bundle / "press-release.txt").write_bytes("caf\u00e9 au lait".encode("latin-1"))
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    assert '"press-release.txt" is not UTF-8 text (invalid continuation byte at byte 3)' in result.output
    assert "has no text" not in result.output  # one problem, not one per claim
    assert db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 0


def test_text_file_linked_from_outside_the_bundle(app, runner, seed_bundle, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (seed_bundle / "link.txt").symlink_to(secret)
    edit_bundle(seed_bundle, set_statement(1, text_file="link.txt"))
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    assert '"link.txt" is outside the bundle folder' in result.output


def test_every_problem_is_reported_at_once(app, runner, seed_bundle):
    edit_bundle(seed_bundle, lambda data: (set_statement(0, date="soon")(data), set_statement(1, actor="x")(data)))
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert "date: 'soon' is not a date" in result.output and 'unknown actor "x"' in result.output
