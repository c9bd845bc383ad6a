"""Whatever plain values any door hands the write core: a saved change the database accepts, or a refusal
that names a field and leaves every table as it was. Never another exception.

Each example runs in a savepoint rolled back at its end, so examples do not depend on each other.
"""

from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.core import By, Conflict, Refused
from tracker.core.claims import cut_claim, edit_claim, tie_response
from tracker.core.disputes import save_dispute
from tracker.core.edits import CorrectionNote
from tracker.core.evidence import add_evidence
from tracker.core.merge import merge
from tracker.core.review import decide
from tracker.core.statements import save_statement
from tracker.core.verdicts import set_verdict
from tracker.db import db
from tracker.models import Actor, Claim, Dispute, Evidence, Role, Statement

from .database import SEED_DISPUTE

ODD_TEXT = ["", " ", "a\x00b", "\u202eevil", "line\nbreak", "tab\there", "\x7f", "x" * 400, "x" * 25_000,
            "javascript:alert(1)", "https://exa\u200bmple.org/", "https://example.org/" + "y" * 2100, "2020-13",
            "2020-02-30", "12/31/2020", "new", "Embassy Groundless", "zz-ZZ", "en", "press release", "REBUTS"]
TEXT = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(ODD_TEXT))
IDS = st.one_of(st.integers(min_value=-2**70, max_value=2**70), st.sampled_from([0, 1, 2, 3, 2**31, 2**63]))
EDITOR = By(user_id=None, role=Role.editor, source="property test")
REFUSALS = (Refused, Conflict)
EXAMPLES = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def attempt(write) -> str:
    """write() in a savepoint: accepted means flushed without complaint; refused means nothing written."""
    before = row_counts()
    savepoint = db.session.begin_nested()
    try:
        write()
        db.session.flush()  # the database's own constraints must agree with the core's rules
    except REFUSALS as error:
        savepoint.rollback()
        assert str(error), "a refusal says why"
        assert row_counts() == before
        return "refused"
    savepoint.rollback()
    return "saved"


def explore(write, **strategies) -> None:
    """Run write(**values) on generated values; both outcomes must occur, or the test proves nothing."""
    outcomes = Counter()

    @EXAMPLES
    @given(**strategies)
    def run(**values):
        outcomes[attempt(lambda: write(**values))] += 1

    run()
    assert outcomes["saved"] and outcomes["refused"], outcomes


def mostly(valid, odd=TEXT):
    """Usually a good value, so that examples get past the first check to the later ones."""
    return st.one_of(st.just(valid), st.just(valid), st.just(valid), odd)


def seed(slug: str, model):
    return db.session.scalar(sa.select(model).filter_by(slug=slug))


@pytest.fixture
def dispute(seeded):
    return seed(SEED_DISPUTE, Dispute)


@pytest.fixture
def by_contributor(contributor):
    return By.account(contributor)


def test_any_dispute_values(dispute):
    explore(lambda tags, **values: save_dispute(dispute, **values, tags=[t for t in tags if t is not None], by=EDITOR),
            slug=mostly(SEED_DISPUTE), title=mostly("A title"), summary=mostly("Text."), status=mostly("open"),
            tags=st.lists(TEXT, max_size=3), version=mostly(None, IDS))


def test_any_statement_values(dispute):
    release = seed("prc-embassy-press-release", Statement)
    speech = seed("pompeo-kingston-remarks", Statement)

    def write(new, correction, **values):
        note = CorrectionNote.of("correction", "A test.") if correction else None
        return save_statement(dispute, None if new else release, speaker=seed("michael-r-pompeo", Actor),
                              by=EDITOR, correction=note, **values)

    explore(write, title=mostly("A statement"), kind=mostly("press release"), slug=mostly(None),
            date=mostly("2020-01", st.one_of(TEXT, st.dates().map(str), st.integers(-5, 99999))),
            venue=mostly(None), source_url=mostly("https://example.org/a"), language=mostly("en"),
            text=mostly(release.text), answers=mostly([speech.id], st.lists(IDS, max_size=3)),
            new=st.booleans(), correction=st.booleans())


def test_any_new_claim_values(dispute, by_contributor):
    release = seed("prc-embassy-press-release", Statement)
    explore(lambda contributor, **values: cut_claim(release, by=by_contributor if contributor else EDITOR, **values),
            summary=mostly("A claim"), kind=mostly("assertion"), quote=mostly("mutual respect, equality"),
            start=mostly(None, st.one_of(TEXT, IDS)), end=mostly(None, st.one_of(TEXT, IDS)),
            reconstructed=mostly(False, st.booleans()), tags=mostly(""), slug=mostly(None),
            contributor=st.booleans())


def test_any_claim_edit_values(dispute):
    claim = seed("embassy-mutual-respect", Claim)
    explore(lambda **values: edit_claim(claim, by=EDITOR, correction=CorrectionNote.of("update", "A test."), **values),
            summary=mostly(claim.summary), kind=mostly("assertion"), quote=mostly(claim.quote_exact),
            prefix=mostly(None), tags=mostly(""), slug=mostly(None), version=mostly(claim.version, IDS))


def test_any_response_values(dispute):
    claim = seed("embassy-mutual-respect", Claim)
    explore(lambda target, relation: tie_response(claim, seed(target, Claim), relation=relation, by=EDITOR),
            target=st.sampled_from(["pompeo-accuses-cooperation", "embassy-mutual-respect", "pompeo-geopolitical-aims"]),
            relation=mostly("rebuts"))


def test_any_evidence_values(dispute, by_contributor):
    claim = seed("embassy-mutual-respect", Claim)
    explore(lambda contributor, **values: add_evidence(claim, by=by_contributor if contributor else EDITOR, **values),
            url=mostly("https://example.org/report"), title=mostly("A report"), stance=mostly("refutes"),
            publisher=mostly(None), date=mostly(None, st.one_of(TEXT, st.dates())), excerpt=mostly(None),
            contributor=st.booleans())


def test_any_verdict_values(dispute):
    claim = seed("pompeo-accuses-cooperation", Claim)
    explore(lambda **values: set_verdict(claim, by=EDITOR, **values), rating=mostly("false"),
            explanation=mostly("Because."), evidence=mostly([e.id for e in claim.evidence], st.lists(IDS, max_size=3)),
            version=mostly(None, IDS))


def test_any_review_decision(dispute):
    item = db.session.scalar(sa.select(Evidence))
    item.review = item.review.pending
    db.session.flush()
    explore(lambda **values: decide(item, by=EDITOR, **values), approve=st.booleans(), reason=mostly("Fine."),
            version=mostly(item.version, IDS))


def test_any_merge_values(dispute):
    duplicate, survivor = seed("embassy-sovereign-choice", Claim), seed("embassy-mutual-respect", Claim)
    explore(lambda **values: merge(duplicate, by=EDITOR, **values), survivor_id=mostly(survivor.id, IDS),
            reason=mostly(None), version=mostly(duplicate.version, IDS))


def test_a_contributor_cannot_do_what_is_for_editors(dispute, by_contributor):
    for write in (lambda: save_dispute(dispute, slug="x", title="X", by=by_contributor),
                  lambda: edit_claim(seed("embassy-mutual-respect", Claim), summary="X", kind="assertion",
                                     by=by_contributor)):
        with pytest.raises(Refused, match="this change is for editors"):
            write()
