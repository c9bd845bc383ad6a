"""The write API: each write goes through the core as the forms do (a contributor's waits for review, every
change is a revision by the token's owner), answers 201 with where it is, and every refusal is a problem
naming the field at fault; nothing is half-written; a browser's cookie alone writes nothing."""

import json
import os

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.api.bodies import NewClaim, NewEvidence, NewResponse, NewStatement, VerdictBody

from tracker.core import By
from tracker.core.tokens import create_token
from tracker.db import db
from tracker.errors import size
from tracker.models import Claim, Evidence, ReviewStatus, Revision, Statement, User, Verdict

from .client import HTTPS, get, sign_in
from .factories import edits

SEED = "china-latin-america-cooperation-2020"
API = f"/api/v1/disputes/{SEED}"
CLAIM = "embassy-groundless"
CLAIM_PAGE = f"/disputes/{SEED}/claims/{CLAIM}"
STATEMENT = "prc-embassy-press-release"
QUOTE = "China has no intention to pursue geopolitical strategy or sphere of influence"
LINK = "https://example.org/report-2020"


def token(user: User) -> str:
    _, raw = create_token(user, name="test", days=30, by=By.account(user))
    db.session.commit()
    return raw


def send(app, raw: str | None, url: str, body, method="post", **headers):
    """A write as a program sends it: JSON, with the token (if any)."""
    if raw:
        headers["Authorization"] = f"Bearer {raw}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    headers.setdefault("Content-Type", "application/json")
    return getattr(app.test_client(), method)(url, base_url=HTTPS, data=data, headers=headers)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def fields_named(response) -> list[str]:
    assert response.content_type == "application/problem+json", response.get_data(as_text=True)
    return [error["field"] for error in response.json.get("errors", [])]


EVIDENCE = {"url": LINK, "title": "A contributed report", "stance": "refutes", "date": "2020-02-01"}


# ---- roles and review ---------------------------------------------------------------------------

def test_a_contributor_s_evidence_awaits_review_and_is_their_revision(app, seeded, contributor, editor):
    response = send(app, token(contributor), f"{API}/claims/{CLAIM}/evidence", EVIDENCE)
    assert response.status_code == 201, response.json
    assert response.json["review"] == "pending" and response.json["url"] is None
    assert response.headers["Location"] == f"{HTTPS}{API}/claims/{CLAIM}"
    item = db.session.get(Evidence, response.json["id"])
    assert (item.review, item.added_by_id, item.url) == (ReviewStatus.pending, contributor.id, LINK)
    revision = db.session.scalar(edits().filter_by(object_type="evidence", object_id=item.id))
    assert (revision.action, revision.user_id) == ("create", contributor.id)
    assert "A contributed report" not in get(app.test_client(), CLAIM_PAGE)  # readers do not see it
    editors = app.test_client()
    sign_in(editors)
    assert "Evidence: A contributed report" in get(editors, "/review")  # it waits in the queue


def test_an_editor_s_evidence_is_live(app, seeded, editor):
    response = send(app, token(editor), f"{API}/claims/{CLAIM}/evidence", EVIDENCE)
    assert response.status_code == 201 and response.json["review"] == "approved"
    assert response.json["url"].endswith(f"{CLAIM_PAGE}#evidence-{response.json['id']}")
    assert "A contributed report" in get(app.test_client(), CLAIM_PAGE)


def test_a_contributor_s_claim_awaits_review_and_tying_it_is_for_editors(app, seeded, contributor):
    raw = token(contributor)
    claims = count(Claim)
    tied = send(app, raw, f"{API}/statements/{STATEMENT}/claims",
                {"summary": "No sphere of influence", "quote": QUOTE, "target": "pompeo-geopolitical-aims",
                 "relation": "denies"})
    assert tied.status_code == 403 and "editors" in tied.json["detail"] and count(Claim) == claims
    response = send(app, raw, f"{API}/statements/{STATEMENT}/claims", {"summary": "No sphere of influence",
                                                                       "quote": QUOTE, "tags": ["geopolitics"]})
    assert response.status_code == 201 and response.json["review"] == "pending"
    claim = db.session.get(Claim, response.json["id"])
    assert (claim.review, claim.submitted_by_id, claim.quote_exact) == (ReviewStatus.pending, contributor.id, QUOTE)
    assert claim.tag_names == ["geopolitics"]


def test_an_editor_cuts_a_claim_and_ties_it_in_one_write(app, seeded, editor):
    response = send(app, token(editor), f"{API}/statements/{STATEMENT}/claims",
                    {"summary": "No sphere of influence", "kind": "denial", "quote": QUOTE,
                     "target": "pompeo-geopolitical-aims", "relation": "denies", "slug": "no-sphere"})
    assert response.status_code == 201, response.json
    assert response.json["responds_to"] == [{"target": "pompeo-geopolitical-aims", "relation": "denies"}]
    assert response.headers["Location"] == f"{HTTPS}{API}/claims/no-sphere"
    assert "No sphere of influence" in get(app.test_client(), f"/disputes/{SEED}/claims/no-sphere")
    made = db.session.scalars(edits().where(Revision.object_type.in_(["claim", "response"]))).all()
    assert sorted((r.object_type, r.user_id) for r in made) == [("claim", editor.id), ("response", editor.id)]


def test_a_claim_whose_tie_is_refused_is_not_written_either(app, seeded, editor):
    raw = token(editor)
    claims, revisions = count(Claim), count(Revision)
    response = send(app, raw, f"{API}/statements/{STATEMENT}/claims",
                    {"summary": "No sphere of influence", "quote": QUOTE, "target": "no-such-claim",
                     "relation": "denies"})
    assert response.status_code == 422 and fields_named(response) == ["target"]
    assert (count(Claim), count(Revision)) == (claims, revisions)


def test_an_editor_ties_a_response_and_a_contributor_may_not(app, seeded, editor, contributor):
    body = {"target": "pompeo-local-harm", "relation": "rebuts"}
    url = f"{API}/claims/embassy-sovereign-choice/responses"
    assert send(app, token(contributor), url, body).status_code == 403
    response = send(app, token(editor), url, body)
    assert response.status_code == 201, response.json
    assert (response.json["claim"], response.json["target"], response.json["relation"]) == (
        "embassy-sovereign-choice", "pompeo-local-harm", "rebuts")
    again = send(app, token(editor), url, body)
    assert again.status_code == 422 and fields_named(again) == ["target"] and "already" in again.json["detail"]
    assert send(app, token(editor), url, {"target": "embassy-sovereign-choice", "relation": "rebuts"}).json[
        "errors"][0]["message"] == "a claim cannot answer itself"


def test_an_editor_sets_a_verdict_then_changes_it_as_a_correction(app, seeded, editor, contributor):
    url = f"{API}/claims/{CLAIM}/verdict"
    body = {"rating": "mostly true", "explanation": "The record bears it out."}
    assert send(app, token(contributor), url, body, method="put").status_code == 403
    raw = token(editor)
    first = send(app, raw, url, body, method="put")
    assert first.status_code == 201 and first.json["rating"] == "mostly_true"
    changed = {"rating": "mixed", "explanation": "Partly so.", "version": first.json["version"]}
    needs_note = send(app, raw, url, changed, method="put")
    assert needs_note.status_code == 422 and fields_named(needs_note) == ["change_kind"]
    second = send(app, raw, url, {**changed, "change_kind": "update", "change_reason": "New figures."}, method="put")
    assert second.status_code == 200 and second.json["rating"] == "mixed"
    stale = send(app, raw, url, {**changed, "explanation": "Again.", "change_kind": "update",
                                 "change_reason": "x"}, method="put")
    assert stale.status_code == 409 and "version" in stale.json["detail"]
    assert db.session.scalar(sa.select(Verdict.explanation)) == "Partly so."


def test_an_editor_adds_a_statement_with_a_new_speaker(app, seeded, editor, contributor):
    body = {"title": "A reply", "new_speaker": "Jane Doe", "kind": "press release", "date": "2020-01",
            "text": "We reply.", "answers": [STATEMENT]}
    assert send(app, token(contributor), f"{API}/statements", body).status_code == 403
    response = send(app, token(editor), f"{API}/statements", body)
    assert response.status_code == 201, response.json
    statement = db.session.get(Statement, response.json["id"])
    assert (statement.speaker.name, statement.date_iso, statement.text) == ("Jane Doe", "2020-01", "We reply.")
    assert response.headers["Location"] == f"{HTTPS}{API}/statements/{statement.slug}"
    assert "We reply." in get(app.test_client(), f"/disputes/{SEED}/statements/{statement.slug}")


# ---- every refusal names its field --------------------------------------------------------------

@pytest.mark.parametrize("url, body, field", [
    ("/statements", {"new_speaker": "X"}, "title"),                                   # missing
    ("/statements", {"title": 5, "speaker": "michael-r-pompeo"}, "title"),           # wrong JSON type
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "colour": "red"}, "colour"),  # unknown key
    ("/statements", {"title": "T"}, "speaker"),
    ("/statements", {"title": "T", "speaker": "nobody"}, "speaker"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "date": "22/01/2020"}, "date"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "source_url": "ftp://x.org/a"}, "source_url"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "language": "english"}, "language"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "slug": "Not A Slug"}, "slug"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "kind": "tweetstorm"}, "kind"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "answers": ["nope"]}, "answers"),
    ("/statements", {"title": "T", "speaker": "michael-r-pompeo", "answers": [3]}, "answers[0]"),
    ("/statements", {"title": "T\u202e", "speaker": "michael-r-pompeo"}, "title"),
    (f"/statements/{STATEMENT}/claims", {"summary": "S", "quote": "words nowhere in it"}, "quote"),
    (f"/statements/{STATEMENT}/claims", {"summary": "", "quote": QUOTE}, "summary"),
    (f"/statements/{STATEMENT}/claims", {"summary": "S", "quote": QUOTE, "tags": ["no!"]}, "tags"),
    (f"/statements/{STATEMENT}/claims", {"summary": "S", "quote": QUOTE, "reconstructed": "yes"}, "reconstructed"),
    (f"/statements/{STATEMENT}/claims", {"summary": "S", "quote": QUOTE, "start": "4"}, "start"),
    (f"/statements/{STATEMENT}/claims", {"summary": "S", "quote": QUOTE, "relation": "agrees",
                                         "target": "pompeo-local-harm"}, "relation"),
    (f"/claims/{CLAIM}/responses", {"target": "pompeo-local-harm"}, "relation"),
    (f"/claims/{CLAIM}/responses", {"target": "pompeo-local-harm", "relation": "likes"}, "relation"),
    (f"/claims/{CLAIM}/evidence", {**EVIDENCE, "url": "javascript:alert(1)"}, "url"),
    (f"/claims/{CLAIM}/evidence", {**EVIDENCE, "stance": "meh"}, "stance"),
    (f"/claims/{CLAIM}/evidence", {**EVIDENCE, "date": "2020"}, "date"),
    (f"/claims/{CLAIM}/evidence", {**EVIDENCE, "title": "x" * 301}, "title"),
    (f"/claims/{CLAIM}/verdict", {"rating": "pants on fire", "explanation": "E"}, "rating"),
    (f"/claims/{CLAIM}/verdict", {"rating": "false", "explanation": " "}, "explanation"),
    (f"/claims/{CLAIM}/verdict", {"rating": "false", "explanation": "E", "evidence": [2147483647]}, "evidence"),
    (f"/claims/{CLAIM}/verdict", {"rating": "false", "explanation": "E", "evidence": ["1"]}, "evidence[0]"),
])
def test_every_refusal_names_its_field_and_writes_nothing(app, seeded, editor, url, body, field):
    raw = token(editor)
    revisions = count(Revision)
    response = send(app, raw, API + url, body, method="put" if url.endswith("verdict") else "post")
    assert response.status_code == 422, response.json
    assert fields_named(response) == [field] and field in response.json["detail"]
    assert all(error["message"] for error in response.json["errors"])
    assert count(Revision) == revisions


def test_a_link_already_on_the_claim_is_refused_on_url(app, seeded, editor):
    raw = token(editor)
    assert send(app, raw, f"{API}/claims/{CLAIM}/evidence", EVIDENCE).status_code == 201
    again = send(app, raw, f"{API}/claims/{CLAIM}/evidence", {**EVIDENCE, "url": LINK + "?utm_source=x"})
    assert again.status_code == 422 and fields_named(again) == ["url"] and "already" in again.json["detail"]
    assert count(Evidence) == 2  # the seed's one, and the first


@pytest.mark.parametrize("body, headers, status, words", [
    ("{not json", {}, 400, "not JSON"),
    (b"\xff\xfe", {}, 400, "UTF-8"),
    ("[1, 2]", {}, 422, "JSON object"),
    ("url=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
])
def test_a_body_that_is_not_a_json_object_is_a_clear_problem(app, seeded, editor, body, headers, status, words):
    response = send(app, token(editor), f"{API}/claims/{CLAIM}/evidence", body, **headers)
    assert response.status_code == status and response.content_type == "application/problem+json"
    assert words in response.json["detail"] and count(Evidence) == 1


def test_every_broken_field_is_named_at_once_and_nothing_is_written(app, seeded, contributor):
    raw, before = token(contributor), count(Evidence)
    body = {"url": "javascript:alert(1)", "title": " ", "stance": "maybe", "date": "2020-02-30",
            "archived_url": "https://example.org/copy"}
    response = send(app, raw, f"{API}/claims/{CLAIM}/evidence", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["url", "title", "stance", "date", "archived_url"]
    assert "only http:// and https://" in response.json["detail"] and "Web Archive" in response.json["detail"]
    assert count(Evidence) == before


def test_a_body_too_large_is_a_413_problem(app, seeded, editor):
    raw = token(editor)
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = {**EVIDENCE, "excerpt": "x" * limit}
    response = send(app, raw, f"{API}/claims/{CLAIM}/evidence", body)
    assert response.status_code == 413 and response.content_type == "application/problem+json"
    assert f"at most {size(limit)}" in response.json["detail"]


def test_an_unknown_dispute_or_claim_is_a_404_problem(app, seeded, editor):
    raw = token(editor)
    for url in (f"/api/v1/disputes/nope/claims/{CLAIM}/evidence", f"{API}/claims/nope/evidence",
                f"{API}/statements/nope/claims"):
        response = send(app, raw, url, EVIDENCE)
        assert response.status_code == 404 and response.content_type == "application/problem+json", url


# ---- only a token writes ------------------------------------------------------------------------

def test_a_signed_in_browser_s_cookie_alone_writes_nothing(app, seeded, editor):
    browser = app.test_client()
    assert sign_in(browser).status_code == 302
    response = browser.post(f"{API}/claims/{CLAIM}/evidence", base_url=HTTPS, json=EVIDENCE,
                            headers={"Origin": "https://elsewhere.example", "Referer": HTTPS + CLAIM_PAGE})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == 'Bearer realm="tracker"'
    assert "token" in response.json["detail"] and count(Evidence) == 1


def test_with_a_cookie_and_a_token_the_token_s_owner_acts(app, seeded, editor, contributor):
    browser = app.test_client()
    assert sign_in(browser).status_code == 302  # the editor's browser
    response = browser.post(f"{API}/claims/{CLAIM}/evidence", base_url=HTTPS, json=EVIDENCE,
                            headers={"Authorization": f"Bearer {token(contributor)}"})
    assert response.status_code == 201 and response.json["review"] == "pending"
    assert db.session.scalar(sa.select(Evidence.added_by_id).where(Evidence.id == response.json["id"])) == \
        contributor.id


def test_a_write_without_any_token_is_401(app, seeded):
    response = send(app, None, f"{API}/claims/{CLAIM}/evidence", EVIDENCE)
    assert response.status_code == 401 and count(Evidence) == 1


@pytest.mark.parametrize("text, field, words", [
    ("A title\u0000", "title", "NUL"), ("\ud800", "title", "surrogate"),
])
def test_text_no_database_keeps_is_refused_naming_its_field(app, seeded, editor, text, field, words):
    body = json.dumps({"title": text, "speaker": "michael-r-pompeo"})  # json.dumps escapes both as \\u....
    response = send(app, token(editor), f"{API}/statements", body)
    assert response.status_code == 422 and fields_named(response) == [field] and words in response.json["detail"]


def test_a_body_nested_too_deeply_is_a_400(app, seeded, editor):
    response = send(app, token(editor), f"{API}/statements", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400 and "nested" in response.json["detail"]


# ---- any JSON at all ------------------------------------------------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
                    | st.floats(allow_nan=False) | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
WRITES = [("post", "/statements", NewStatement), ("post", f"/statements/{STATEMENT}/claims", NewClaim),
          ("post", f"/claims/{CLAIM}/responses", NewResponse), ("post", f"/claims/{CLAIM}/evidence", NewEvidence),
          ("put", f"/claims/{CLAIM}/verdict", VerdictBody)]


@pytest.mark.parametrize("method, url, model", WRITES, ids=[w[1].rsplit("/", 1)[-1] for w in WRITES])
def test_any_json_body_gets_an_answer_never_a_server_error(app, seeded, editor, method, url, model):
    raw = token(editor)
    fields = st.dictionaries(st.sampled_from([*model.model_fields, "unknown"]), JSON, max_size=6)

    @settings(max_examples=int(os.environ.get("TRACKER_FUZZ_EXAMPLES", 25)), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=fields | JSON)
    def check(body):
        response = send(app, raw, API + url, body, method=method)
        assert response.status_code < 500, (body, response.get_data(as_text=True))
        if response.status_code >= 400:
            assert response.content_type == "application/problem+json"
            assert all(error["field"] and error["message"] for error in response.json.get("errors", []))

    check()


# ---- the OpenAPI document's part ------------------------------------------------------------------

def test_the_write_operations_make_a_valid_openapi_document_that_matches_the_routes(app):
    from openapi_spec_validator import validate

    from tracker.api import write
    from tracker.api.openapi import document

    validate(document())
    described = {(method.upper(), "/api/v1" + path.replace("{", "<").replace("}", ">"))
                 for path, item in write.PATHS.items() for method in item}
    served = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS", "GET"}}
    assert described == served
    assert set(document()["components"]["schemas"]["NewEvidence"]["properties"]) == {
        "url", "title", "stance", "publisher", "date", "excerpt", "archived_url"}


def test_a_tie_made_by_another_write_at_the_same_moment_is_a_409_and_saves_nothing(app, seeded, editor,
                                                                                    monkeypatch):
    from tracker.core import claims

    raw = token(editor)
    url, body = f"{API}/claims/embassy-sovereign-choice/responses", {"target": "pompeo-local-harm", "relation": "rebuts"}
    assert send(app, raw, url, body).status_code == 201
    revisions = count(Revision)
    seen = []
    # The other write's tie is committed after this one looked for it: the unique key is what refuses it.
    monkeypatch.setattr(claims, "responses_from", lambda ids: seen.append(ids) or {})
    response = send(app, raw, url, body)
    assert seen and response.status_code == 409 and "same moment" in response.json["detail"]
    assert count(Revision) == revisions
