"""Every route against every kind of user, with the answer each must get.

The routes come from the app's URL map: a new route without a line here fails,
so nobody adds a page without saying who may use it.
"""

import pytest
import sqlalchemy as sa

from tests.factories import create_user
from tracker.db import db
from tracker.models import Claim, Dispute, Evidence, Response, ReviewStatus, Revision, Role, User

from .client import HTTPS, PASSWORD, SAME_SITE, sign_in
from .database import SEED_DISPUTE

ROLES = ["anonymous", "contributor", "editor", "admin"]
OPEN = (200, 200, 200, 200)
EDITORS = (302, 403, 200, 200)  # anonymous readers are sent to sign in
EDITOR_ACTION = (302, 403, 302, 302)
ADMINS = (302, 403, 403, 200)
SIGNED_IN = (302, 200, 200, 200)  # contributors and up
EDITOR_FORM = (302, 403, 400, 400)  # an empty form: its errors are shown
CONTRIBUTOR_FORM = (302, 400, 400, 400)
API_WRITE = (401, 401, 401, 401)

# (endpoint, method): the status for anonymous, contributor, editor, admin.
MATRIX = {
    ("disputes.index", "GET"): OPEN,
    ("disputes.timeline", "GET"): OPEN,
    ("disputes.side_by_side", "GET"): OPEN,
    ("statements.detail", "GET"): OPEN,
    ("claims.detail", "GET"): OPEN,
    ("actors.detail", "GET"): OPEN,
    ("maps.page", "GET"): OPEN,
    ("maps.svg", "GET"): OPEN,
    ("disputes.overview_svg", "GET"): OPEN,
    ("search.results", "GET"): OPEN,
    ("api.root", "GET"): OPEN,
    ("api.disputes", "GET"): OPEN,
    ("api.dispute", "GET"): OPEN,
    ("api.statement", "GET"): OPEN,
    ("api.claim", "GET"): OPEN,
    ("api.actor", "GET"): OPEN,
    ("api.search", "GET"): (400, 400, 400, 400),  # without ?q= the error names it
    ("api.openapi", "GET"): OPEN,
    ("editor.history_page", "GET"): OPEN,
    ("editor.recent_changes", "GET"): OPEN,
    ("auth.login", "GET"): OPEN,
    ("favicon", "GET"): OPEN,
    ("feeds.site", "GET"): OPEN,
    ("feeds.dispute", "GET"): OPEN,
    ("feeds.actor", "GET"): OPEN,
    ("exports.aif_json", "GET"): OPEN,
    ("exports.timelinejs_json", "GET"): OPEN,
    ("exports.csv_table", "GET"): OPEN,
    ("claimreview.data_feed", "GET"): OPEN,
    ("api.root", "GET"): OPEN,
    ("auth.login", "POST"): (400, 400, 400, 400),  # an empty form: its errors are shown
    ("editor.new_dispute", "GET"): EDITORS,
    ("editor.new_dispute", "POST"): (302, 403, 400, 400),
    ("editor.edit_dispute", "GET"): EDITORS,
    ("editor.edit_dispute", "POST"): (302, 403, 400, 400),
    ("editor.revert", "POST"): EDITOR_ACTION,
    ("auth.logout", "POST"): (302, 302, 302, 302),
    ("auth.account", "GET"): SIGNED_IN,
    ("auth.change_password", "POST"): CONTRIBUTOR_FORM,
    ("auth.everywhere", "POST"): (302, 302, 302, 302),  # signed in: signed out everywhere, sent to sign in
    ("editor.corrections", "GET"): OPEN,
    ("editor.delete", "POST"): EDITOR_ACTION,
    ("editor.restore", "POST"): EDITOR_ACTION,
    # Contributors suggest claims and evidence; editors do the rest.
    ("editor.new_claim", "GET"): SIGNED_IN,
    ("editor.new_claim", "POST"): CONTRIBUTOR_FORM,
    ("editor.new_evidence", "GET"): SIGNED_IN,
    ("editor.new_evidence", "POST"): CONTRIBUTOR_FORM,
    ("editor.my_submissions", "GET"): SIGNED_IN,
    ("editor.new_statement", "GET"): EDITORS,
    ("editor.new_statement", "POST"): EDITOR_FORM,
    ("editor.edit_statement", "GET"): EDITORS,
    ("editor.edit_statement", "POST"): EDITOR_FORM,
    ("editor.edit_claim", "GET"): EDITORS,
    ("editor.edit_claim", "POST"): EDITOR_FORM,
    ("editor.new_response", "GET"): EDITORS,
    ("editor.new_response", "POST"): EDITOR_FORM,
    ("editor.edit_response", "GET"): EDITORS,
    ("editor.edit_response", "POST"): EDITOR_FORM,
    ("editor.edit_evidence", "GET"): EDITORS,
    ("editor.edit_evidence", "POST"): EDITOR_FORM,
    ("editor.verdict", "GET"): EDITORS,
    ("editor.verdict", "POST"): EDITOR_FORM,
    ("editor.merge_claim", "GET"): EDITORS,
    ("editor.merge_claim", "POST"): EDITOR_FORM,
    ("editor.review_queue", "GET"): EDITORS,
    ("editor.decide_one", "POST"): EDITOR_FORM,
    ("auth.new_token", "POST"): CONTRIBUTOR_FORM,
    ("auth.revoke", "POST"): (302, 404, 404, 404),  # no such token of theirs
    # The API writes with a personal token only: a signed-in browser's cookie opens none of them.
    ("api.add_statement", "POST"): API_WRITE,
    ("api.add_claim", "POST"): API_WRITE,
    ("api.add_response", "POST"): API_WRITE,
    ("api.add_claim_evidence", "POST"): API_WRITE,
    ("api.put_verdict", "PUT"): API_WRITE,
}
# Account management: admins only; what a POST of an empty form answers depends on the form.
ADMIN_POST = {302, 400, 409}


def expected(endpoint: str, method: str) -> tuple:
    if endpoint.startswith("admin."):
        return ADMINS if method == "GET" else (302, 403, 403, ADMIN_POST)
    assert (endpoint, method) in MATRIX, f"add {endpoint} {method} to the route matrix"
    return MATRIX[(endpoint, method)]


def routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route; signing out last, deleting before restoring."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    order = {"editor.delete": 1, "editor.restore": 2, "auth.everywhere": 3, "auth.logout": 4}
    return sorted(found, key=lambda r: (order.get(r[0], 0), r[0], r[1]))


# The <slug> of each route: an actor, a statement or a claim of the seed; the dispute otherwise.
STATEMENT, CLAIM = "prc-embassy-press-release", "embassy-groundless"
SLUGS = {"actors.detail": "michael-r-pompeo", "feeds.actor": "michael-r-pompeo", "statements.detail": STATEMENT, "claims.detail": CLAIM,
         "editor.new_claim": STATEMENT, "editor.edit_statement": STATEMENT, "editor.edit_claim": CLAIM,
         "editor.new_response": CLAIM, "editor.new_evidence": CLAIM, "editor.verdict": CLAIM,
         "editor.merge_claim": CLAIM, "api.actor": "michael-r-pompeo", "api.statement": STATEMENT, "api.claim": CLAIM}


def url_for_route(endpoint: str, rule: str, ids: dict) -> str:
    values = {
        "slug": SLUGS.get(endpoint, SEED_DISPUTE),
        "dispute_slug": SEED_DISPUTE,
        "object_type": "claim" if endpoint == "editor.decide_one" else "dispute",
        "object_id": ids["pending_claim"] if endpoint == "editor.decide_one" else ids["dispute"],
        "response_id": ids["response"],
        "evidence_id": ids["evidence"],
        "revision_id": ids["revision"],
        "user_id": ids["user"],
        "token_id": ids["dispute"],
    }
    url = rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    assert "<" not in url, f"the route matrix has no value for a part of {rule}"
    return url


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_expected(app, client, seeded, role):
    for name in ROLES[1:]:
        create_user(f"{name}@example.org", name.capitalize(), Role(name), PASSWORD)
    db.session.commit()
    dispute = db.session.scalar(sa.select(Dispute).filter_by(slug=SEED_DISPUTE))
    retitle = Revision(action="edit", object_type="dispute", object_id=dispute.id,
                       before={"title": "An older title"}, after={"title": dispute.title})
    db.session.add(retitle)
    db.session.commit()
    pending = db.session.scalar(sa.select(Claim).filter_by(slug="embassy-world-will-judge"))
    pending.review = ReviewStatus.pending  # for the review route, which decides pending items only
    db.session.commit()
    ids = {"dispute": dispute.id, "revision": retitle.id,
           "user": db.session.scalar(sa.select(User.id).filter_by(email="contributor@example.org")),
           "pending_claim": pending.id, "response": db.session.scalar(sa.select(sa.func.min(Response.id))),
           "evidence": db.session.scalar(sa.select(sa.func.min(Evidence.id)))}
    if role != "anonymous":
        assert sign_in(client, email=f"{role}@example.org").status_code == 302

    wrong = []
    for endpoint, method, rule in routes(app):
        url = url_for_route(endpoint, rule, ids)
        want = expected(endpoint, method)[ROLES.index(role)]
        if method == "GET":
            response = client.get(url, base_url=HTTPS)
        else:
            response = client.open(url, method=method, base_url=HTTPS, headers=SAME_SITE,
                                   data={"csrf_token": client.csrf_token()})
        status = response.status_code
        response.close()
        if status not in (want if isinstance(want, set) else {want}):
            wrong.append(f"{method} {url}: {status}, expected {want}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


def test_every_post_route_refuses_a_request_without_its_csrf_token(app, client, seeded):
    """A forged request (no token, as from another site's form) changes nothing, even for an admin."""
    create_user("admin@example.org", "Admin", Role.admin, PASSWORD)
    db.session.commit()
    dispute = db.session.scalar(sa.select(Dispute).filter_by(slug=SEED_DISPUTE))
    db.session.add(Revision(action="edit", object_type="dispute", object_id=dispute.id,
                            before={"title": "An older title"}, after={"title": dispute.title}))
    db.session.commit()
    ids = {"dispute": dispute.id, "revision": db.session.scalar(sa.select(Revision.id)),
           "user": db.session.scalar(sa.select(User.id)), "pending_claim": db.session.scalar(sa.select(Claim.id)),
           "response": db.session.scalar(sa.select(sa.func.min(Response.id))),
           "evidence": db.session.scalar(sa.select(sa.func.min(Evidence.id)))}
    assert sign_in(client, email="admin@example.org").status_code == 302
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)))
    # Signing out needs no protection beyond SameSite; the API takes no cookie (tests/test_api_write.py).
    posts = [(endpoint, rule) for endpoint, method, rule in routes(app) if method == "POST"
             and endpoint != "auth.logout" and not endpoint.startswith("api.")]
    assert len(posts) >= 20
    for endpoint, rule in posts:
        response = client.post(url_for_route(endpoint, rule, ids), base_url=HTTPS, headers=SAME_SITE,
                               data={"title": "Forged", "decision": "approve", "reason": "Forged"})
        assert response.status_code == 400, endpoint
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == revisions
