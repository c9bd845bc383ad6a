"""Archived copies of evidence links: a Web Archive (or archive.today) address, checked by one rule at every door,
shown beside the original on the claim page, kept in the history, in bundles and their round trip."""

import tomllib

import pytest
import sqlalchemy as sa

from tracker import rules
from tracker.core import By, Invalid
from tracker.core.evidence import add_evidence
from tracker.db import db
from tracker.models import Claim, Evidence, Stance

from .client import HTTPS, get, post, sign_in
from .database import SEED_DISPUTE
from .factories import edits
from .forms import form_values
from .test_bundles import TOML, dispute_data, edit_bundle, empty_the_database

SEED = f"/disputes/{SEED_DISPUTE}"
CLAIM = f"{SEED}/claims/embassy-groundless"
NEW = f"{CLAIM}/evidence/new"
SEEDED_CLAIM = f"{SEED}/claims/pompeo-accuses-cooperation"
SEEDED_URL = "https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"
ARCHIVED = "https://web.archive.org/web/20200123000000/https://ht.usembassy.gov/toward-closer-u-s-caribbean-ties/"


def seeded_item() -> Evidence:
    db.session.expire_all()
    return db.session.scalar(sa.select(Evidence).filter_by(url=SEEDED_URL))


# ---- the rule ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    (ARCHIVED, ARCHIVED),
    ("http://WEB.archive.org/web/2020id_/http://example.org/a", "https://web.archive.org/web/2020id_/http://example.org/a"),
    ("https://archive.ph/AbC12", "https://archive.ph/AbC12"),
    ("  https://archive.today/xYz9  ", "https://archive.today/xYz9"),
    ("", None),
])
def test_web_archive_and_archive_today_addresses_are_accepted(typed, stored):
    assert rules.archived_copy(typed) == stored


@pytest.mark.parametrize("typed, message", [
    ("https://example.org/page", "not a Web Archive address: 'https://example.org/page'"),
    ("https://web.archive.org/web/https://example.org/", "not a Web Archive address"),  # no timestamp
    ("https://web.archive.org/web/20200123000000/example.org", "not a Web Archive address"),  # no original link
    ("https://web.archive.org.evil.example/web/2020/https://x.org/", "not a Web Archive address"),
    ("https://archive.ph/", "not a Web Archive address"),
    ("javascript:alert(1)", "only http:// and https:// links are accepted"),
])
def test_anything_else_is_refused_with_the_reason(typed, message):
    with pytest.raises(rules.RuleError) as error:
        rules.archived_copy(typed)
    assert message in str(error.value)


def test_the_core_names_the_field(app, seeded):
    claim = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-groundless"))
    with pytest.raises(Invalid) as error:
        add_evidence(claim, url="https://example.org/x", title="X", stance=Stance.context,
                     archived_url="https://example.org/copy", by=By.machine("test"))
    assert error.value.field == "archived_url" and "not a Web Archive address" in str(error.value)


# ---- the form and the claim page ------------------------------------------------------------

def test_an_editor_adds_an_archived_copy_shown_beside_the_original(client, seeded, editor):
    sign_in(client)
    values = form_values(get(client, NEW))
    values.update(url="https://example.org/report", archived_url="https://archive.ph/AbC12", title="The report",
                  stance="refutes")
    response = post(client, NEW, values)
    assert response.status_code == 302
    item = db.session.scalar(sa.select(Evidence).filter_by(url="https://example.org/report"))
    assert item.archived_url == "https://archive.ph/AbC12"
    page = get(client, CLAIM)
    assert ('<a href="https://example.org/report" rel="noopener noreferrer">The report</a>\n      <span class="archived">'
            '(<a href="https://archive.ph/AbC12" rel="noopener noreferrer" aria-label="Archived copy: The report">'
            "archived copy</a>)</span>") in page


def test_a_form_without_its_csrf_token_saves_nothing(client, seeded, editor):
    sign_in(client)
    response = client.post(NEW, base_url=HTTPS, headers={"Referer": HTTPS + NEW},
                           data={"url": "https://example.org/r", "archived_url": ARCHIVED, "title": "R",
                                 "stance": "refutes", "version": "0"})
    assert response.status_code == 400 and "CSRF token is missing" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Evidence).filter_by(url="https://example.org/r")) is None


def test_a_bad_archived_address_is_named_kept_and_saves_nothing(client, seeded, editor):
    sign_in(client)
    values = form_values(get(client, NEW))
    values.update(url="https://example.org/report", archived_url="https://example.org/copy", title="The report",
                  stance="refutes")
    response = post(client, NEW, values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Archived copy (optional; https://web.archive.org/web/… or https://archive.ph/…): Not a Web Archive " \
           "address: &#39;https://example.org/copy&#39;" in page
    assert 'value="https://example.org/copy"' in page
    assert db.session.scalar(sa.select(Evidence).filter_by(url="https://example.org/report")) is None


def test_an_edit_of_the_archived_copy_is_in_the_history_and_can_be_cleared(client, seeded, editor):
    sign_in(client)
    item = seeded_item()
    url = f"{SEED}/evidence/{item.id}/edit"
    values = form_values(get(client, url))
    assert values["archived_url"] == ""
    assert post(client, url, dict(values, archived_url=ARCHIVED), page_url=url).status_code == 302
    assert seeded_item().archived_url == ARCHIVED
    revision = db.session.scalar(edits().filter_by(object_type="evidence"))
    assert (revision.before["archived_url"], revision.after["archived_url"]) == (None, ARCHIVED)
    assert "archived copy</a>" in get(client, SEEDED_CLAIM)

    values = form_values(get(client, url))
    assert values["archived_url"] == ARCHIVED
    assert post(client, url, dict(values, archived_url=""), page_url=url).status_code == 302
    assert seeded_item().archived_url is None
    assert "archived copy</a>" not in get(client, SEEDED_CLAIM)


# ---- bundles --------------------------------------------------------------------------------

def test_a_bundle_carries_the_archived_copy_there_and_back(app, runner, seeded, seed_bundle, tmp_path):
    edit_bundle(seed_bundle, lambda data: data["evidence"][0].update(archived=ARCHIVED))
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 0 and "1 change (1 evidence)" in result.output, result.output
    assert seeded_item().archived_url == ARCHIVED

    original = dispute_data(SEED_DISPUTE)
    out = tmp_path / "out"
    assert runner.invoke(args=["export", SEED_DISPUTE, str(out)]).exit_code == 0
    assert tomllib.loads((out / TOML).read_text())["evidence"][0]["archived"] == ARCHIVED
    empty_the_database()
    assert runner.invoke(args=["import", str(out)]).exit_code == 0
    assert seeded_item().archived_url == ARCHIVED and dispute_data(SEED_DISPUTE) == original
    runner.invoke(args=["export", SEED_DISPUTE, str(tmp_path / "again")])
    assert (tmp_path / "again" / TOML).read_text() == (out / TOML).read_text()


def test_a_bad_archived_address_in_a_bundle_is_named(app, runner, seeded, seed_bundle):
    edit_bundle(seed_bundle, lambda data: data["evidence"][0].update(archived="https://example.org/copy"))
    result = runner.invoke(args=["import", str(seed_bundle)])
    assert result.exit_code == 1
    assert (f"{seed_bundle / TOML} [[evidence]] #1: archived: not a Web Archive address: "
            "'https://example.org/copy'") in result.output
    assert seeded_item().archived_url is None


def test_a_contributors_archived_copy_waits_for_review_with_the_link(app, client, seeded, editor, contributor):
    sign_in(client, email="contributor@example.org")
    values = form_values(get(client, NEW))
    values.update(url="https://example.org/suggested", archived_url="https://archive.ph/Sug99", title="Suggested",
                  stance="supports")
    assert post(client, NEW, values).status_code == 302
    assert "https://archive.ph/Sug99" not in get(app.test_client(), CLAIM)  # readers see it once approved
    editors = app.test_client()
    sign_in(editors)
    queue = get(editors, "/review")
    assert ('<dt>Archived copy</dt><dd><a href="https://archive.ph/Sug99" rel="nofollow noopener noreferrer">'
            "https://archive.ph/Sug99</a></dd>") in queue
