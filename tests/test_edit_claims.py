"""Cutting claims from statements, editing them, and tying them to the claims they answer."""

import html
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db import db, utcnow
from tracker.models import Claim, ClaimTag, Correction, Response, Revision, Statement

from .client import HTTPS, get, post, sign_in
from .database import SEED_DISPUTE
from .forms import form_values
from .test_edit_statements import claim, count, statement
from .factories import edits

SEED = f"/disputes/{SEED_DISPUTE}"
PRESS = f"{SEED}/statements/prc-embassy-press-release"
REMARKS = f"{SEED}/statements/pompeo-kingston-remarks"
CUT = f"{PRESS}/claims/new"
QUOTE = "on the basis of mutual respect, equality and mutual benefit"


def cut(client, url=CUT, **changes):
    data = {"summary": "Cooperation is based on mutual respect", "kind": "counterclaim", "quote": QUOTE,
            "tags": "Geopolitics, respect", "slug": ""}
    return post(client, url, {**data, **changes}, page_url=url)


def page_of(response) -> str:
    return response.get_data(as_text=True)


# ---- who may do what -------------------------------------------------------------

def test_cutting_a_claim_needs_an_account(client, seeded):
    response = client.get(CUT, base_url=HTTPS)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert count(Claim) == 17


@pytest.mark.parametrize("url", [f"{SEED}/claims/embassy-groundless/edit",
                                 f"{SEED}/claims/embassy-groundless/responses/new"])
def test_claim_edits_and_responses_are_for_editors(client, seeded, contributor, url):
    assert client.get(url, base_url=HTTPS).status_code == 302
    sign_in(client, email="contributor@example.org")
    get(client, url, status=403)
    assert post(client, url, {"summary": "x", "target": "1", "relation": "rebuts"}).status_code == 403


def test_the_claim_page_shows_editors_their_controls(client, seeded, editor, contributor):
    url = f"{SEED}/claims/embassy-groundless"
    assert "Edit claim" not in get(client, url)
    sign_in(client, email="contributor@example.org")
    assert "Edit claim" not in get(client, url) and "Tie to the claim it answers" not in get(client, url)
    sign_in(client)
    page = get(client, url)
    assert f'href="{url}/edit">Edit claim</a>' in page
    assert f'href="{url}/responses/new">Tie to the claim it answers</a>' in page
    assert f'href="/history/claim/{claim("embassy-groundless").id}">History</a>' in page


# ---- cutting ---------------------------------------------------------------------

def test_an_editors_claim_is_anchored_where_the_quote_is_and_shown_at_once(client, seeded, editor):
    sign_in(client)
    response = cut(client)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{SEED}/claims/cooperation-is-based-on-mutual-respect"
    text = statement().text
    made = claim("cooperation-is-based-on-mutual-respect")
    assert (made.quote_start, made.quote_end) == (text.index(QUOTE), text.index(QUOTE) + len(QUOTE))
    assert made.quote_exact == QUOTE
    assert made.quote_prefix == text[made.quote_start - 32:made.quote_start]
    assert made.quote_suffix == text[made.quote_end:made.quote_end + 32]
    assert (made.review.value, made.submitted_by_id, made.tag_names) == ("approved", None, ["geopolitics", "respect"])
    revision = db.session.scalar(edits().filter_by(object_type="claim", object_id=made.id))
    assert (revision.action, revision.before, revision.user.email) == ("create", None, "editor@example.org")
    assert "Cooperation is based on mutual respect" in get(client, PRESS)
    assert "Cooperation is based on mutual respect" in get(client, SEED)


def test_a_quote_pasted_with_other_line_breaks_and_quotes_is_still_found(client, seeded, editor):
    sign_in(client)
    assert cut(client, quote="  on the basis of mutual\r\nrespect, equality  ").status_code == 302
    made = claim("cooperation-is-based-on-mutual-respect")
    assert made.quote_exact == "on the basis of mutual respect, equality"


def test_a_quote_not_in_the_text_is_refused_with_the_closest_passage(client, seeded, editor):
    sign_in(client)
    response = cut(client, quote="on the basis of mutual trust, equality and mutual benefit")
    page = page_of(response)
    assert response.status_code == 400
    assert "Quote (paste the exact words of the statement): Not found in the statement. The closest passage is: “" in page
    assert "mutual respect, equality and mutual benefit" in page.split("The closest passage is:")[1][:200]
    assert "mutual trust" in page  # the pasted quote is kept
    assert count(Claim) == 17 and count(Revision) == 0


def test_a_repeated_quote_asks_for_more_words_unless_the_selection_says_where(client, seeded, editor):
    sign_in(client)
    repeated = "the Caribbean"  # three times in the text
    text = statement().text
    second = text.index(repeated, text.index(repeated) + 1)
    response = cut(client, quote=repeated)
    assert response.status_code == 400 and "quote more words so that they occur once" in page_of(response)
    response = cut(client, quote=repeated, start=str(second), end=str(second + len(repeated)))
    assert response.status_code == 302
    made = claim("cooperation-is-based-on-mutual-respect")
    assert (made.quote_start, made.quote_end, made.quote_exact) == (second, second + len(repeated), repeated)


def test_offsets_that_do_not_hold_the_quote_are_only_a_hint(client, seeded, editor):
    sign_in(client)
    assert cut(client, start="0", end="5").status_code == 302  # the quote is found where it is
    assert claim("cooperation-is-based-on-mutual-respect").quote_start == statement().text.index(QUOTE)


def test_the_form_is_prefilled_from_a_selection(client, seeded, editor):
    sign_in(client)
    text = statement().text
    start = text.index(QUOTE)
    form = form_values(get(client, f"{CUT}?" + urlencode({"quote": QUOTE, "start": start, "end": start + len(QUOTE)})))
    assert (form["quote"], form["start"], form["end"]) == (QUOTE, str(start), str(start + len(QUOTE)))
    # A long selection comes by offsets alone: the words are read from the text.
    form = form_values(get(client, f"{CUT}?start={start}&end={start + len(QUOTE)}"))
    assert form["quote"] == QUOTE
    form = form_values(get(client, f"{CUT}?start=-1&end=99999999999999999999"))
    assert (form["quote"], form["start"], form["end"]) == ("", "", "")


def test_a_statement_without_text_takes_only_reconstructed_claims(client, seeded, editor):
    sign_in(client)
    url = f"{REMARKS}/claims/new"
    response = cut(client, url)
    assert response.status_code == 400
    assert "has no text on record, so only a reconstructed claim can be cut" in page_of(response)
    assert count(Claim) == 17
    response = cut(client, url, quote="", reconstructed="y", summary="China is a predatory lender")
    assert response.status_code == 302
    made = claim("china-is-a-predatory-lender")
    assert made.reconstructed and made.quote_exact is None and made.reported_in_id is None


def test_a_reconstructed_claim_takes_no_quote(client, seeded, editor):
    sign_in(client)
    response = cut(client, reconstructed="y")
    assert response.status_code == 400 and "A reconstructed claim has no quote" in page_of(response)


@pytest.mark.parametrize(
    "changes, message",
    [({"summary": ""}, "Summary (the claim in one line, in your words): This field is required."),
     ({"summary": "x" * 301}, "Is 301 characters long; at most 300 are allowed."),
     ({"kind": "rumour"}, "Kind: Invalid Choice: could not coerce."),
     ({"quote": ""}, "Quote (paste the exact words of the statement): Is required: paste the exact words"),
     ({"quote": "…"}, "Quote (paste the exact words of the statement): Not found in the statement"),
     ({"tags": "ok, <b>"}, "Tags (separated by commas): &#34;&lt;b&gt;&#34; is not a tag"),
     ({"slug": "Not A Slug"}, "Slug (in its address; leave empty to make one from the summary): &#34;Not A Slug&#34; is not a slug: use lower-case"),
     ({"slug": "embassy-groundless"}, "The slug &#34;embassy-groundless&#34; is already used by another claim")],
)
def test_bad_claim_input_is_named_kept_and_changes_nothing(client, seeded, editor, changes, message):
    sign_in(client)
    response = cut(client, **{"summary": "Kept summary", **changes})
    page = page_of(response)
    assert response.status_code == 400 and message in page
    assert changes.get("summary", "Kept summary") in page or "summary" in changes
    assert count(Claim) == 17 and count(Revision) == 0


def test_a_contributors_claim_waits_for_review_and_readers_do_not_see_it(client, seeded, contributor):
    sign_in(client, email="contributor@example.org")
    assert "Suggest a claim" in get(client, CUT)
    response = cut(client)
    assert response.status_code == 302 and response.headers["Location"] == PRESS
    assert "awaits an editor&#39;s review" in get(client, PRESS)
    made = claim("cooperation-is-based-on-mutual-respect")
    assert (made.review.value, made.submitted_by_id) == ("pending", contributor.id)
    revision = db.session.scalar(edits().filter_by(object_type="claim", object_id=made.id))
    assert revision.action == "create" and revision.user_id == contributor.id

    assert post(client, "/logout", page_url=PRESS).status_code == 302
    # Readers' queries hide pending claims (the reader-visibility change).
    assert "Cooperation is based on mutual respect" not in get(client, PRESS)
    assert "Cooperation is based on mutual respect" not in get(client, SEED)


# ---- editing a claim -------------------------------------------------------------

EDIT = f"{SEED}/claims/embassy-mutual-respect/edit"


def test_changing_a_published_summary_needs_a_correction_with_a_reason(client, seeded, editor):
    sign_in(client)
    form = form_values(get(client, EDIT))
    assert form["kind"] == "counterclaim" and form["tags"] == "geopolitics"
    form["summary"] = "China says its cooperation rests on mutual respect"
    response = post(client, EDIT, form, page_url=EDIT)
    assert response.status_code == 400
    assert "Kind of change: This changes published wording" in page_of(response)
    assert claim("embassy-mutual-respect").summary == "China's cooperation rests on mutual respect, equality and mutual benefit"
    assert count(Revision) == 0 and count(Correction) == 0

    form.update(change_kind="clarification", change_reason="Attributed to the embassy.")
    response = post(client, EDIT, form, page_url=EDIT)
    assert response.status_code == 302 and response.headers["Location"] == f"{SEED}/claims/embassy-mutual-respect"
    edited = claim("embassy-mutual-respect")
    assert edited.summary == "China says its cooperation rests on mutual respect"
    correction = db.session.scalar(sa.select(Correction))
    assert (correction.kind.value, correction.reason, correction.object_id) == (
        "clarification", "Attributed to the embassy.", edited.id)
    revision = db.session.scalar(edits().filter_by(object_type="claim"))
    assert revision.reason == "Attributed to the embassy." and revision.before["summary"].startswith("China's")


def test_a_tag_change_is_no_correction(client, seeded, editor):
    sign_in(client)
    form = form_values(get(client, EDIT))
    form["tags"] = "geopolitics, respect"
    assert post(client, EDIT, form, page_url=EDIT).status_code == 302
    assert claim("embassy-mutual-respect").tag_names == ["geopolitics", "respect"] and count(Correction) == 0


def test_a_changed_quote_is_anchored_again(client, seeded, editor):
    sign_in(client)
    form = form_values(get(client, EDIT))
    assert form["quote"].replace("\r\n", "\n") == claim("embassy-mutual-respect").quote_exact
    form.update(quote=QUOTE, change_kind="correction", change_reason="Only the grounds are the claim.")
    assert post(client, EDIT, form, page_url=EDIT).status_code == 302
    edited = claim("embassy-mutual-respect")
    assert (edited.quote_exact, edited.quote_start) == (QUOTE, statement().text.index(QUOTE))

    form = form_values(get(client, EDIT))
    form.update(quote="words nobody said", change_kind="correction", change_reason="x")
    response = post(client, EDIT, form, page_url=EDIT)
    assert response.status_code == 400 and "Not found in the statement" in page_of(response)
    assert claim("embassy-mutual-respect").quote_exact == QUOTE


def test_a_pending_claim_is_edited_without_a_correction(client, seeded, editor):
    edited = claim("embassy-mutual-respect")
    edited.review = edited.review.__class__("pending")
    db.session.commit()
    sign_in(client)
    form = form_values(get(client, EDIT))
    form["summary"] = "Reworded before review"
    response = post(client, EDIT, form, page_url=EDIT)
    assert response.status_code == 302 and response.headers["Location"] == PRESS
    assert count(Correction) == 0


def test_a_stale_claim_save_gets_409_and_overwrites_nothing(client, seeded, editor):
    sign_in(client)
    mine = form_values(get(client, EDIT))
    theirs = dict(mine, tags="theirs")
    assert post(client, EDIT, theirs, page_url=EDIT).status_code == 302
    mine["tags"] = "mine"
    response = post(client, EDIT, mine, page_url=EDIT)
    page = page_of(response)
    assert response.status_code == 409 and "Someone else saved this claim while you were editing" in page
    assert "<td>theirs</td><td>mine</td>" in page
    assert claim("embassy-mutual-respect").tag_names == ["theirs"]


# ---- responses -------------------------------------------------------------------

TIE = f"{SEED}/claims/embassy-mutual-respect/responses/new"


def test_the_target_list_groups_shown_claims_by_statement(client, seeded, editor):
    sign_in(client)
    page = get(client, TIE)
    assert '<optgroup label="Michael R. Pompeo: Toward Closer U.S.-Caribbean Ties (22 January 2020)">' in page
    assert f'value="{claim("embassy-mutual-respect").id}"' not in page  # not itself


def test_a_claim_is_tied_to_what_it_answers_once(client, seeded, editor):
    sign_in(client)
    ties = count(Response)
    target = claim("pompeo-opaque-practices")
    response = post(client, TIE, {"target": str(target.id), "relation": "counters"}, page_url=TIE)
    assert response.status_code == 302 and response.headers["Location"] == f"{SEED}/claims/embassy-mutual-respect"
    tie = db.session.scalar(sa.select(Response).filter_by(target_id=target.id, claim_id=claim("embassy-mutual-respect").id))
    assert tie.relation.value == "counters"
    revision = db.session.scalar(edits().filter_by(object_type="response", object_id=tie.id))
    assert revision.action == "create"
    assert "China&#39;s dealings in the region are not transparent" in get(client, f"{SEED}/claims/embassy-mutual-respect")

    again = post(client, TIE, {"target": str(target.id), "relation": "rebuts"}, page_url=TIE)
    assert again.status_code == 400
    assert "The claim it answers: This claim already counters" in page_of(again)
    assert count(Response) == ties + 1


def test_a_claim_cannot_answer_itself(client, seeded, editor):
    sign_in(client)
    ties = count(Response)
    response = post(client, TIE, {"target": str(claim("embassy-mutual-respect").id), "relation": "rebuts"}, page_url=TIE)
    assert response.status_code == 400 and "A claim cannot answer itself" in page_of(response)
    response = post(client, TIE, {"target": "", "relation": "rebuts"}, page_url=TIE)
    assert response.status_code == 400 and "Choose the claim it answers." in page_of(response)
    assert count(Response) == ties and count(Revision) == 0


def test_a_deleted_tie_is_revived_not_duplicated(client, seeded, editor):
    answer, target = claim("embassy-mutual-respect"), claim("pompeo-geopolitical-aims")
    tie = db.session.scalar(sa.select(Response).filter_by(claim_id=answer.id, target_id=target.id))
    tie_id, ties = tie.id, count(Response)
    tie.deleted_at = utcnow()
    db.session.commit()
    sign_in(client)
    response = post(client, TIE, {"target": str(target.id), "relation": "qualifies"}, page_url=TIE)
    assert response.status_code == 302
    db.session.expire_all()
    revived = db.session.get(Response, tie_id)
    assert (revived.deleted_at, revived.relation.value) == (None, "qualifies") and count(Response) == ties
    revision = db.session.scalar(edits().filter_by(object_type="response"))
    assert revision.action == "restore" and revision.before["relation"] == "rebuts"


def test_a_relation_is_edited_and_a_stale_edit_gets_409(client, seeded, editor):
    answer, target = claim("embassy-mutual-respect"), claim("pompeo-geopolitical-aims")
    tie_id = db.session.scalar(sa.select(Response.id).filter_by(claim_id=answer.id, target_id=target.id))
    url = f"{SEED}/responses/{tie_id}/edit"
    sign_in(client)
    assert f'href="{url}">Edit' in get(client, f"{SEED}/claims/embassy-mutual-respect")
    mine = form_values(get(client, url))
    assert mine["relation"] == "rebuts"
    assert post(client, url, dict(mine, relation="qualifies"), page_url=url).status_code == 302
    response = post(client, url, dict(mine, relation="concedes"), page_url=url)
    assert response.status_code == 409 and "<td>qualifies</td><td>concedes</td>" in page_of(response)
    db.session.expire_all()
    assert db.session.get(Response, tie_id).relation.value == "qualifies"
    assert [r.action for r in db.session.scalars(edits().filter_by(object_type="response"))] == ["edit"]
    get(client, f"/disputes/{SEED_DISPUTE}/responses/999999/edit", status=404)


# ---- any input: never a 500, never half a change ------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=st.text(max_size=320), kind=st.sampled_from(["assertion", "denial", "", "x" * 30]),
       quote=st.one_of(st.text(max_size=200), st.sampled_from([QUOTE, "mutual", "x" * 20_001]),
                       st.just("China " * 5000)),
       start=st.one_of(st.text(max_size=15), st.integers(-10, 3000).map(str), st.just("9" * 5000)),
       end=st.one_of(st.text(max_size=15), st.integers(-10, 3000).map(str)),
       reconstructed=st.sampled_from([None, "y", "", "nonsense"]), tags=st.text(max_size=80),
       slug=st.text(max_size=90), missing=st.sets(st.sampled_from(["summary", "kind", "quote", "tags"])))
def test_any_claim_form_input_is_answered_without_a_server_error(client, seeded, editor, summary, kind, quote,
                                                                 start, end, reconstructed, tags, slug, missing):
    sign_in(client)
    before = (count(Claim), count(ClaimTag), count(Revision))
    data = {"summary": summary, "kind": kind, "quote": quote, "start": start, "end": end, "tags": tags, "slug": slug}
    if reconstructed is not None:
        data["reconstructed"] = reconstructed
    response = post(client, CUT, {k: v for k, v in data.items() if k not in missing}, page_url=CUT)
    assert response.status_code in (302, 400)
    made = response.status_code == 302
    assert count(Claim) == before[0] + made and count(Revision) == before[2] + made
    if not made:
        assert count(ClaimTag) == before[1]
    else:
        added = db.session.scalar(sa.select(Claim).order_by(Claim.id.desc()))
        text = db.session.get(Statement, added.statement_id).text
        assert added.reconstructed or text[added.quote_start:added.quote_end] == added.quote_exact
        assert html.escape(added.summary, quote=False) in get(client, response.headers["Location"])
