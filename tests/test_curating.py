"""Curating in one go: the new-claim form shows the text and ties the claim to what it answers in the same
save; claim pickers grouped by statement and narrowed by a Find box that needs no JavaScript; no relation
or stance assumed; links compared without their tracking parameters."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from markupsafe import escape

from tracker.bundles import import_bundle
from tracker.db import db
from tracker.models import Claim, Evidence, Response, ReviewStatus, Revision

from . import factories
from .client import get, post, sign_in
from .database import SEED_DISPUTE
from .factories import edits
from .forms import form_fields, form_values
from .test_bundles import edit_bundle
from .test_edit_statements import claim, count, statement

SEED = f"/disputes/{SEED_DISPUTE}"
PRESS = f"{SEED}/statements/prc-embassy-press-release"
CUT = f"{PRESS}/claims/new"
QUOTE = "Others are in no position to impose interference or coercion out of ulterior motives."
TIE = f"{SEED}/claims/embassy-mutual-respect/responses/new"
MERGE = f"{SEED}/claims/embassy-mutual-respect/merge"
FIND = {"action": "find"}


def cut(client, **changes):
    data = {"summary": "Others may not interfere", "kind": "counterclaim", "quote": QUOTE, "tags": "", "slug": ""}
    return post(client, CUT, {**data, **changes}, page_url=CUT)


def page_of(response) -> str:
    return response.get_data(as_text=True)


class Options(HTMLParser):
    """The labels of one select's options, in order, read as a browser reads them."""

    def __init__(self, select: str):
        super().__init__(convert_charrefs=True)
        self.select, self.inside, self.labels = select, False, []

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.inside = dict(attrs).get("id") == self.select
        elif tag == "option" and self.inside:
            self.labels.append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.labels:
            self.labels[-1] += data


def options(page: str, select: str = "target") -> list[str]:
    reader = Options(select)
    reader.feed(page)
    return reader.labels


def totals() -> tuple:
    """Claims, responses, and the revisions people made."""
    return count(Claim), count(Response), count(Revision)


# ---- the new-claim form shows the text -------------------------------------------------

def test_the_new_claim_form_shows_the_statements_text_in_a_region_of_its_own(client, seeded, contributor):
    sign_in(client, email="contributor@example.org")
    page = get(client, CUT)
    assert '<h2 id="source-title">The text of the statement</h2>' in page
    region = page[page.index('<div class="verbatim scroll" id="source-text"'):]
    region = region[:region.index("</div>")]
    assert 'tabindex="0" role="region"' in region
    assert 'aria-label="The text of Press Release (2020.01.22), verbatim (scrolls)"' in region
    assert str(escape(statement().text)) in region  # the whole text, verbatim
    assert page.index('id="source-text"') < page.index(f'<form method="post" action="{CUT}"')  # read, then cut


def test_a_selection_is_shown_marked_in_its_context(client, seeded, editor):
    sign_in(client)
    text = statement().text
    start = text.index(QUOTE)
    page = get(client, f"{CUT}?start={start}&end={start + len(QUOTE)}")
    assert "The passage you selected, in its context" in page
    context = page[page.index('<blockquote class="in-context"'):]
    context = context[:context.index("</blockquote>")]
    assert f"<mark>{escape(QUOTE)}</mark>" in context
    assert "and the Caribbean countries, as independent sovereign countries" in context  # before it
    assert page.count(f"<mark>{escape(QUOTE)}</mark>") == 2  # and in the whole text below


def test_a_statement_without_text_shows_no_text_box(client, seeded, editor):
    sign_in(client)
    page = get(client, f"{SEED}/statements/pompeo-kingston-remarks/claims/new")
    assert 'id="source-text"' not in page and "This statement has no text on record" in page


# ---- cut and tie in one save ----------------------------------------------------------------

def test_an_editor_cuts_a_claim_and_ties_it_in_one_save(client, seeded, editor):
    sign_in(client)
    target = claim("pompeo-geopolitical-aims")
    before = totals()
    fields = form_fields(get(client, CUT))
    assert (fields["target"], fields["relation"]) == ("", "")  # nothing chosen, no relation assumed
    response = cut(client, target=str(target.id), relation="rebuts")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{SEED}/claims/others-may-not-interfere"
    made = claim("others-may-not-interfere")
    tie = db.session.scalar(sa.select(Response).filter_by(claim_id=made.id))
    assert (tie.target_id, tie.relation.value, made.review) == (target.id, "rebuts", ReviewStatus.approved)
    revisions = list(db.session.scalars(edits().order_by(Revision.id)))
    assert [(r.object_type, r.action, r.user.email) for r in revisions] == [
        ("claim", "create", "editor@example.org"), ("response", "create", "editor@example.org")]
    assert totals() == (before[0] + 1, before[1] + 1, before[2] + 2)
    page = get(client, response.headers["Location"])
    assert "Claim added; it rebuts “China uses its cooperation to pursue a geopolitical strategy" in page
    answers = page[page.index("What it answers"):page.index("What answers it")]
    assert "China uses its cooperation to pursue a geopolitical strategy" in answers


def test_without_a_target_the_claim_is_cut_alone(client, seeded, editor):
    sign_in(client)
    before = totals()
    response = cut(client, target="", relation="")
    assert response.status_code == 302
    assert totals() == (before[0] + 1, before[1], before[2] + 1)
    assert "Claim added." in get(client, response.headers["Location"])


@pytest.mark.parametrize("changes, message", [
    ({"target": "", "relation": "rebuts"},
     "The claim it answers: Choose the claim it answers, or leave “How it answers it” blank."),
    ({"relation": ""}, "How it answers it: Choose how it answers the claim: rebuts, denies, qualifies, concedes, "
                       "supports, counters."),
    ({"relation": "agrees"}, "How it answers it: Invalid Choice: could not coerce."),
    ({"target": "999999"}, "The claim it answers: Choose a claim of this dispute that readers see."),
    ({"target": "pending"}, "The claim it answers: Choose a claim of this dispute that readers see."),
    ({"target": "abc"}, "The claim it answers: Invalid Choice: could not coerce."),
    ({"quote": "words the press release never said"}, "Quote (paste the exact words of the statement): Not found"),
])
def test_a_refusal_of_either_half_writes_nothing_and_names_the_field(client, seeded, editor, changes, message):
    pending = claim("embassy-groundless")
    pending.review = ReviewStatus.pending
    db.session.commit()
    sign_in(client)
    before = totals()
    data = {"target": str(claim("pompeo-geopolitical-aims").id), "relation": "rebuts", **changes}
    if data["target"] == "pending":
        data["target"] = str(pending.id)
    response = cut(client, **data)
    assert response.status_code == 400
    assert message in page_of(response)
    assert 'value="Others may not interfere"' in page_of(response)  # what was typed is kept
    assert totals() == before


def test_a_tie_refused_after_the_cut_takes_the_claim_back_with_it(client, seeded, editor):
    """The claim is written (and flushed) first; a target refused after it leaves no claim behind."""
    sign_in(client)
    before = totals()
    # A target merged away since the form was loaded.
    merged = claim("embassy-environment-and-jobs")
    merged.merged_into_id = claim("embassy-open-and-transparent").id
    db.session.commit()
    response = cut(client, target=str(merged.id), relation="rebuts")
    assert response.status_code == 400
    assert totals() == before


def test_the_first_claim_of_a_dispute_has_nothing_to_answer(client, editor):
    first = factories.statement(factories.dispute("fresh"), "s", text="The first words of a new quarrel.")
    db.session.commit()
    sign_in(client)
    url = f"/disputes/fresh/statements/{first.slug}/claims/new"
    page = get(client, url)
    assert "What it answers" not in page and "target" not in form_fields(page)
    assert "Readers see no claim of this dispute yet: there is none for it to answer." in page
    response = post(client, url, {"summary": "The first claim", "kind": "accusation", "quote": "The first words"},
                    page_url=url)
    assert response.status_code == 302


def test_a_contributor_is_not_offered_the_tie_and_cannot_send_one(client, seeded, contributor):
    sign_in(client, email="contributor@example.org")
    page = get(client, CUT)
    assert "target" not in form_fields(page) and "relation" not in form_fields(page)
    assert "Editors tie claims to the claims they answer" in page
    before = totals()
    response = cut(client, target=str(claim("pompeo-geopolitical-aims").id), relation="rebuts")
    assert response.status_code == 403
    assert totals() == before
    assert cut(client).status_code == 302  # the same claim alone waits for review
    assert claim("others-may-not-interfere").review is ReviewStatus.pending


# ---- pickers: grouped, narrowed without JavaScript ------------------------------------------

def test_pickers_group_claims_by_statement_with_speaker_and_date(client, seeded, editor):
    sign_in(client)
    for url in (CUT, TIE, MERGE):
        page = get(client, url)
        assert '<optgroup label="Michael R. Pompeo: Toward Closer U.S.-Caribbean Ties (22 January 2020)">' in page
        assert ('<optgroup label="Embassy of the People&#39;s Republic of China in Jamaica: Press Release '
                '(2020.01.22) (22 January 2020)">') in page
    assert options(get(client, CUT))[0] == "None: it answers no claim (or not yet)"
    assert options(get(client, TIE))[0] == "Choose the claim it answers"
    assert options(get(client, MERGE))[0] == "Choose the claim it duplicates"


def test_find_narrows_the_list_and_keeps_everything_typed(client, seeded, editor):
    sign_in(client)
    before = totals()
    quote = "Others are in no position\r\nto impose interference"  # across lines: it could not go in an address
    response = post(client, CUT, {"summary": "Typed before finding", "kind": "denial", "quote": quote,
                                  "tags": "sovereignty", "relation": "denies", "find": "GEOPOLITICAL pompeo", **FIND},
                    page_url=CUT)
    page = page_of(response)
    assert response.status_code == 200 and totals() == before
    assert options(page) == ["None: it answers no claim (or not yet)",
                             "China uses its cooperation to pursue a geopolitical strategy and a sphere of "
                             "influence, not a partnership of equals (reconstructed from the denial)"]
    assert "1 of 17 claims match “GEOPOLITICAL pompeo”." in page
    kept = form_fields(page)
    assert (kept["summary"], kept["kind"], kept["quote"], kept["tags"], kept["relation"], kept["find"]) == (
        "Typed before finding", "denial", quote, "sovereignty", "denies", "GEOPOLITICAL pompeo")
    assert 'class="errors"' not in page  # finding is not saving: nothing to complain about yet


def test_find_looks_in_quotes_ignores_accents_and_curly_quotes_and_keeps_the_choice(client, seeded, editor):
    sign_in(client)
    chosen = claim("embassy-world-will-judge")
    # "fanning the flames" is in a quote, not in any summary.
    page = page_of(post(client, TIE, {"target": str(chosen.id), "find": "fanning flames", **FIND}, page_url=TIE))
    assert options(page)[1:] == [
        "Some US politicians attack and smear China wherever they go, starting fires and sowing discord",
        "The US talks while China acts; the world will judge who stirs up trouble"]
    assert "1 of 16 claims match “fanning flames”." in page  # the chosen one is kept, not counted
    assert form_fields(page)["target"] == str(chosen.id)
    page = page_of(post(client, TIE, {"find": "Chína’s DEALINGS", **FIND}, page_url=TIE))
    assert options(page)[1:] == ["China's dealings in the region are not transparent and do not respect local laws "
                                 "and market rules (reconstructed from the denial)"]
    page = page_of(post(client, TIE, {"find": "nothing like this", **FIND}, page_url=TIE))
    assert options(page) == ["Choose the claim it answers"] and "No claim matches “nothing like this”." in page
    page = page_of(post(client, TIE, {"find": "", **FIND}, page_url=TIE))
    assert len(options(page)) == 17 and "All 16 claims are listed." in page


def test_the_find_button_brings_the_page_back_at_the_picker(client, seeded, editor):
    sign_in(client)
    page = get(client, TIE)
    assert (f'<button type="submit" class="secondary" name="action" value="find" formaction="{TIE}#target-picker">'
            "Find</button>") in page
    assert '<div class="picker" id="target-picker">' in page


def test_the_merge_form_is_narrowed_too_and_asks_for_a_target(client, seeded, editor):
    sign_in(client)
    page = page_of(post(client, MERGE, {"find": "sovereign", "reason": "Kept reason", **FIND}, page_url=MERGE))
    assert options(page)[1:] == ["The region's countries are sovereign and choose their own partners; others have "
                                 "no right to interfere or coerce"]
    assert "Kept reason" in page
    values = form_values(get(client, MERGE))
    response = post(client, MERGE, dict(values, target=""), page_url=MERGE)
    assert response.status_code == 400
    assert "The claim it duplicates (this one stays): Choose the claim it duplicates." in page_of(response)
    assert claim("embassy-mutual-respect").merged_into_id is None


# ---- the tie form assumes no relation ------------------------------------------------------

def test_the_tie_form_preselects_no_relation_and_asks_for_one(client, seeded, editor):
    sign_in(client)
    page = get(client, TIE)
    assert form_fields(page)["relation"] == ""
    assert options(page, "relation")[0] == "Choose how it answers"
    before = totals()
    response = post(client, TIE, {"target": str(claim("pompeo-opaque-practices").id), "relation": ""}, page_url=TIE)
    assert response.status_code == 400
    assert "How it answers it: Choose how it answers the claim: rebuts, denies" in page_of(response)
    assert totals() == before


# ---- evidence: no stance assumed, a date as typed, links without tracking ------------------

EVIDENCE = f"{SEED}/claims/pompeo-accuses-cooperation/evidence/new"
SEEDED_URL = "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"


def test_the_evidence_form_assumes_no_stance_and_takes_a_typed_date(client, seeded, editor):
    sign_in(client)
    page = get(client, EVIDENCE)
    assert form_fields(page)["stance"] == "" and options(page, "stance")[0] == "Choose one"
    assert '<label for="date">Date published (optional; year-month-day, such as 2020-01-22)</label>' in page
    assert '<input id="date" name="date" type="text" value="">' in page  # a text box: no widget of its own
    data = {"url": "https://example.org/a", "title": "A report", "publisher": "", "excerpt": "", "stance": "",
            "date": " 2020-01-23 ", "version": "0"}
    response = post(client, EVIDENCE, data, page_url=EVIDENCE)
    assert response.status_code == 400
    assert ("What it does to the claim: Choose whether it supports the claim, refutes it or gives context."
            in page_of(response))
    response = post(client, EVIDENCE, dict(data, stance="context"), page_url=EVIDENCE)
    assert response.status_code == 302
    item = db.session.scalar(sa.select(Evidence).filter_by(url="https://example.org/a"))
    assert (item.stance.value, str(item.date)) == ("context", "2020-01-23")


def test_the_same_article_with_tracking_parameters_is_a_duplicate(client, seeded, editor):
    sign_in(client)
    shared = SEEDED_URL + "?utm_source=newsletter&utm_medium=email&fbclid=IwAR0#top"
    response = post(client, EVIDENCE, {"url": shared, "title": "Shared again", "stance": "supports", "version": "0"},
                    page_url=EVIDENCE)
    assert response.status_code == 400
    assert "Link (URL): This link is already on this claim." in page_of(response)
    assert [e.url for e in db.session.scalars(sa.select(Evidence))] == [SEEDED_URL]
    # On another claim it is stored without them; other parameters stay, in their order.
    other = f"{SEED}/claims/embassy-groundless/evidence/new"
    response = post(client, other, {"url": "https://example.org/a?z=1&utm_campaign=x&a=2#part", "title": "A",
                                    "stance": "refutes", "version": "0"}, page_url=other)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Evidence.url).filter_by(title="A")) == "https://example.org/a?z=1&a=2"


def test_a_bundle_naming_the_stored_article_with_tracking_parameters_changes_nothing(seed_bundle, seeded):
    """Its link is the stored one: the import finds that item (a second entry for it is refused: test_bundles.py)."""
    edit_bundle(seed_bundle, lambda data: data["evidence"][0].update(url=SEEDED_URL + "?utm_source=x&gclid=y#top"))
    before = list(db.session.execute(sa.select(Evidence.id, Evidence.url)))
    report = import_bundle(seed_bundle)
    assert list(db.session.execute(sa.select(Evidence.id, Evidence.url))) == before == [(before[0][0], SEEDED_URL)]
    assert report.summary() == "nothing changed"
