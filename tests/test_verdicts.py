"""The verdict form: a rating on the published scale, an explanation, the evidence it rests on; one per claim."""

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db import db
from tracker.models import Claim, Correction, Evidence, Rating, ReviewStatus, Revision, Verdict

from . import factories
from .client import HTTPS, get, post, sign_in
from .database import SEED_DISPUTE
from .forms import form_values
from .factories import edits

SEED = f"/disputes/{SEED_DISPUTE}"
SLUG = "pompeo-accuses-cooperation"  # the seed claim with evidence
CLAIM = f"{SEED}/claims/{SLUG}"
URL = f"{CLAIM}/verdict"


def claim(slug: str = SLUG) -> Claim:
    db.session.expire_all()
    return db.session.scalar(sa.select(Claim).filter_by(slug=slug))


def verdicts() -> list[Verdict]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Verdict)))


def seeded_evidence() -> Evidence:
    return db.session.scalar(sa.select(Evidence))


def set_first(client, **changes):
    data = {"rating": "mostly_false", "explanation": "The remarks were published; the claim leaves out context.",
            "evidence": [str(seeded_evidence().id)], "version": "0", **changes}
    return post(client, URL, data)


# ---- who may do what -------------------------------------------------------------

def test_only_editors_set_verdicts(client, seeded, contributor):
    response = client.get(URL, base_url=HTTPS)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    sign_in(client, email="contributor@example.org")
    get(client, URL, status=403)
    assert set_first(client).status_code == 403 and verdicts() == []


def test_the_form_shows_the_scale_and_the_claims_shown_evidence_only(client, seeded, editor):
    pending = factories.evidence(claim(), "https://example.org/pending", title="Pending item",
                                 review=ReviewStatus.pending)
    db.session.commit()
    sign_in(client)
    page = get(client, URL)
    assert "<h1>Set the verdict</h1>" in page
    assert "<dt>mostly false</dt><dd>Holds a grain of truth" in page
    assert "<dt>unsupported</dt><dd>No evidence on record supports it" in page
    assert '<option value="mostly_false">mostly false</option>' in page
    assert "Toward Closer U.S.-Caribbean Ties (context)" in page
    assert "Pending item" not in page and f'value="{pending.id}"' not in page
    assert "Kind of change" not in page  # nothing is published yet
    get(client, f"{SEED}/claims/no-such-claim/verdict", status=404)


# ---- setting and changing ---------------------------------------------------------------

def test_setting_the_first_verdict_records_who_when_and_what_it_rests_on(client, seeded, editor):
    sign_in(client)
    response = set_first(client)
    assert response.status_code == 302 and response.headers["Location"] == f"{CLAIM}#verdict"
    [verdict] = verdicts()
    assert (verdict.rating, verdict.set_by.email) == (Rating.mostly_false, "editor@example.org")
    assert verdict.set_at is not None and [e.title for e in verdict.evidence] == ["Toward Closer U.S.-Caribbean Ties"]
    page = get(client, CLAIM)
    assert "Verdict set." in page and "Verdict: mostly false" in page and "the claim leaves out context" in page
    assert "Change the verdict" in page
    revision = db.session.scalar(edits().filter_by(object_type="verdict"))
    assert (revision.action, revision.before, revision.after["evidence"]) == ("create", None, [seeded_evidence().id])


@pytest.mark.parametrize(
    "field, value, message",
    [("explanation", "", "Explanation (what the rating rests on, for readers): This field is required."),
     ("explanation", "   ", "Explanation (what the rating rests on, for readers): This field is required."),
     ("explanation", "x" * 10_001, "Explanation (what the rating rests on, for readers): Is 10,001 characters long"),
     ("rating", "pants_on_fire", "Rating: Invalid Choice: could not coerce."),
     ("evidence", ["abc"], "Evidence it rests on: Invalid choice(s): one or more data inputs could not be coerced."),
     ("evidence", ["999999"], "Evidence it rests on: &#39;999999&#39; is not a valid choice for this field.")],
)
def test_bad_verdict_input_is_named_kept_and_changes_nothing(client, seeded, editor, field, value, message):
    sign_in(client)
    response = set_first(client, **{field: value, "explanation": "Kept explanation"} if field != "explanation"
                         else {field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if field != "explanation":
        assert "Kept explanation" in page
    assert verdicts() == [] and db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None))) == 0


def test_evidence_of_another_claim_is_refused(client, seeded, editor):
    other = factories.evidence(claim("embassy-groundless"), "https://example.org/elsewhere")
    db.session.commit()
    sign_in(client)
    response = set_first(client, evidence=[str(seeded_evidence().id), str(other.id)])
    assert response.status_code == 400
    assert f"Evidence it rests on: &#39;{other.id}&#39; is not a valid choice" in response.get_data(as_text=True)
    assert verdicts() == []


def test_changing_a_published_verdict_needs_a_kind_of_change_and_writes_a_correction(client, seeded, editor):
    sign_in(client)
    set_first(client)
    page = get(client, URL)
    assert "<h1>Change the verdict</h1>" in page and "Kind of change" in page
    values = form_values(page)
    assert values["rating"] == "mostly_false" and values["evidence"] == str(seeded_evidence().id)
    changed = dict(values, rating="false", evidence=[])

    response = post(client, URL, changed, page_url=URL)
    assert response.status_code == 400
    assert "Kind of change: This changes published wording" in response.get_data(as_text=True)
    assert verdicts()[0].rating is Rating.mostly_false and db.session.scalar(sa.select(Correction)) is None

    response = post(client, URL, dict(changed, change_kind="correction"), page_url=URL)
    assert response.status_code == 400 and "Why (shown to readers with the correction): say why" in \
        response.get_data(as_text=True)

    response = post(client, URL, dict(changed, change_kind="correction", change_reason="Nul\x01"), page_url=URL)
    assert response.status_code == 400 and "Holds an invisible character (U+0001" in response.get_data(as_text=True)

    response = post(client, URL, dict(changed, change_kind="correction", change_reason="A source was misread."),
                    page_url=URL)
    assert response.status_code == 302
    [verdict] = verdicts()
    assert (verdict.rating, verdict.evidence, verdict.version) == (Rating.false, [], 2)
    correction = db.session.scalar(sa.select(Correction))
    assert (correction.object_type, correction.object_id, correction.reason) == (
        "verdict", verdict.id, "A source was misread.")
    edit = db.session.scalar(edits().filter_by(object_type="verdict", action="edit"))
    assert edit.before["rating"] == "mostly_false" and edit.after["evidence"] == []
    assert correction.revision_id == edit.id
    assert "Verdict: false" in get(client, CLAIM)


def test_a_stale_verdict_edit_gets_409_and_overwrites_nothing(client, seeded, editor):
    sign_in(client)
    set_first(client)
    mine = form_values(get(client, URL))
    theirs = dict(mine, explanation="Their explanation.", change_kind="clarification", change_reason="Clearer.")
    assert post(client, URL, theirs, page_url=URL).status_code == 302
    response = post(client, URL, dict(mine, explanation="My explanation.", change_kind="clarification",
                                      change_reason="Mine."), page_url=URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this verdict while you were editing" in page
    assert "<td>Their explanation.</td><td>My explanation.</td>" in page and "My explanation." in page
    assert verdicts()[0].explanation == "Their explanation."
    assert db.session.scalar(sa.select(sa.func.count(Correction.id))) == 1


def test_a_verdict_form_loaded_before_the_first_verdict_was_set_gets_a_409_not_a_second_verdict(client, seeded,
                                                                                                 editor):
    """Sequential: one save after the other (tests/test_races.py has the two at the same moment)."""
    sign_in(client)
    set_first(client)
    response = set_first(client, explanation="Mine, from a form loaded before.")
    assert response.status_code == 409 and len(verdicts()) == 1


def test_a_withdrawn_verdict_is_set_again_on_the_same_row(client, seeded, editor):
    sign_in(client)
    set_first(client)
    [verdict] = verdicts()
    assert post(client, f"/history/verdict/{verdict.id}/delete").status_code == 302
    page = get(client, CLAIM)
    assert "Verdict: mostly false" not in page and "Set the verdict" in page
    page = get(client, URL)
    assert "<h1>Set the verdict</h1>" in page and "Kind of change" not in page
    response = post(client, URL, dict(form_values(page), rating="misleading", explanation="Set again."),
                    page_url=URL)
    assert response.status_code == 302
    [again] = verdicts()
    assert (again.id, again.deleted_at, again.rating) == (verdict.id, None, Rating.misleading)
    actions = db.session.scalars(sa.select(Revision.action).where(Revision.source.is_(None)).filter_by(object_type="verdict").order_by(Revision.id))
    assert list(actions) == ["create", "delete", "create"]
    assert "Verdict: misleading" in get(client, CLAIM)


def test_saving_an_unchanged_verdict_records_nothing(client, seeded, editor):
    sign_in(client)
    set_first(client)
    set_at = verdicts()[0].set_at
    assert post(client, URL, form_values(get(client, URL)), page_url=URL).status_code == 302
    assert verdicts()[0].set_at == set_at
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None)).filter_by(object_type="verdict")) == 1


# ---- any input: never a 500, never half a change ------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rating=st.sampled_from([r.value for r in Rating] + ["", "x" * 30]), explanation=st.text(max_size=300),
       evidence=st.lists(st.sampled_from(["own", "other", "", "abc", "-1", "99999999999999999999"]), max_size=3),
       version=st.sampled_from(["0", "", "-1", "abc", "99999999999999999999"]))
def test_any_verdict_form_input_is_answered_without_a_server_error(client, seeded, editor, rating, explanation,
                                                                   evidence, version):
    if db.session.scalar(sa.select(sa.func.count(Evidence.id))) == 1:
        factories.evidence(claim("embassy-groundless"), "https://example.org/other-claim")
        db.session.commit()
    sign_in(client)
    ids = {"own": str(seeded_evidence().id),
           "other": str(db.session.scalar(sa.select(Evidence.id).order_by(Evidence.id.desc())))}
    before = [(v.rating, v.explanation, v.version) for v in verdicts()]
    response = post(client, URL, {"rating": rating, "explanation": explanation, "version": version,
                                  "evidence": [ids.get(e, e) for e in evidence]}, page_url=URL)
    assert response.status_code in (302, 400, 409)
    after = [(v.rating, v.explanation, v.version) for v in verdicts()]
    if response.status_code != 302:
        assert after == before
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source.is_(None)).filter_by(object_type="verdict"))
    assert revisions == len(after)  # at most the create: every later attempt lacks a kind of change
