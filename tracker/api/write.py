"""The API's writes: what the editing forms do, for programs holding a personal API token.

Each route mirrors a form of tracker/editor/: the same role, the same core function, so a contributor's
claims and evidence await review exactly as theirs do, and every change is a revision by the token's owner.
One request is one write transaction: all of it is saved, or nothing (and a problem says why).
"""

from collections.abc import Callable

from flask import abort, g
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker import shown
from tracker.core import By, Conflict, Invalid, NotAllowed, Refused
from tracker.core.actors import actor_by_slug, new_speaker
from tracker.core.claims import cut_claim, tie_response
from tracker.core.edits import CorrectionNote
from tracker.core.evidence import add_evidence
from tracker.core.statements import save_statement
from tracker.core.verdicts import set_verdict, verdict_of
from tracker.db import begin_write, db
from tracker.disputes.queries import dispute_by_slug
from tracker.editor import queries
from tracker.models import Claim, Dispute, Role
from tracker.problems import problem

from .blueprint import bp
from .bodies import (
    ANSWERS, REQUESTS, NewClaim, NewEvidence, NewResponse, NewStatement, VerdictBody, WrittenClaim, WrittenEvidence,
    WrittenResponse, WrittenStatement, WrittenVerdict,
)
from .body import json_body
from .spec import path_slug
from .written import claim_answer, evidence_answer, response_answer, statement_answer, verdict_answer


# ---- the routes ---------------------------------------------------------------------------------

@bp.post("/disputes/<dispute_slug>/statements")
def add_statement(dispute_slug: str):
    by = acting(Role.editor)
    dispute = dispute_by_slug(dispute_slug) or not_found("dispute", dispute_slug)
    body = json_body(NewStatement)

    def save():
        speaker = chosen_speaker(body, by)
        answers = [statement_id(dispute, slug) for slug in body.answers]
        return save_statement(dispute, None, title=body.title, slug=body.slug, speaker=speaker, kind=body.kind,
                              date=body.date, venue=body.venue, source_url=body.source_url, language=body.language,
                              text=body.text, answers=answers, by=by)

    return written(save, lambda s: statement_answer(dispute, s))


@bp.post("/disputes/<dispute_slug>/statements/<slug>/claims")
def add_claim(dispute_slug: str, slug: str):
    by = acting(Role.contributor)
    dispute, statement = live_item(dispute_slug, queries.statement_in, "statement", slug)
    body = json_body(NewClaim)
    if (body.target or body.relation) and not by.can(Role.editor):
        abort(problem(403, "Tying a claim to the claim it answers is for editors: leave out target and relation."))

    def save():
        claim = cut_claim(statement, summary=body.summary, kind=body.kind, quote=body.quote, start=body.start,
                          end=body.end, reconstructed=body.reconstructed, tags=body.tags, slug=body.slug, by=by)
        if body.target or body.relation:
            tie_response(claim, target_claim(dispute, body.target), relation=body.relation, by=by)
        return claim

    return written(save, lambda claim: claim_answer(dispute, claim))


@bp.post("/disputes/<dispute_slug>/claims/<slug>/responses")
def add_response(dispute_slug: str, slug: str):
    by = acting(Role.editor)
    dispute, claim = live_item(dispute_slug, queries.claim_in, "claim", slug)
    body = json_body(NewResponse)

    def save():
        return tie_response(claim, target_claim(dispute, body.target), relation=body.relation, by=by)

    return written(save, lambda response: response_answer(dispute, claim, response))


@bp.post("/disputes/<dispute_slug>/claims/<slug>/evidence")
def add_claim_evidence(dispute_slug: str, slug: str):
    by = acting(Role.contributor)
    claim = queries.shown_claim(dispute_slug, slug) or not_found("claim", slug)
    body = json_body(NewEvidence)

    def save():
        return add_evidence(claim, url=body.url, title=body.title, stance=body.stance, publisher=body.publisher,
                            date=body.date, excerpt=body.excerpt, archived_url=body.archived_url, by=by)

    return written(save, lambda item: evidence_answer(claim, item))


@bp.put("/disputes/<dispute_slug>/claims/<slug>/verdict")
def put_verdict(dispute_slug: str, slug: str):
    by = acting(Role.editor)
    claim = queries.shown_claim(dispute_slug, slug) or not_found("claim", slug)
    body = json_body(VerdictBody)
    current = verdict_of(claim.id)
    live = current is not None and current.deleted_at is None

    def save():
        correction = CorrectionNote.of(body.change_kind, body.change_reason) if live else None
        return set_verdict(claim, rating=body.rating, explanation=body.explanation, evidence=body.evidence, by=by,
                           version=body.version, correction=correction)

    return written(save, lambda verdict: verdict_answer(claim, verdict), status=200 if live else 201)


# ---- one way through a write --------------------------------------------------------------------

def acting(role: Role) -> By:
    """Who writes: the token's owner (the token was checked before this view), if their role may."""
    by = By.account(g.api_user)
    if not by.can(role):
        abort(problem(403, f"This is for {role.value}s; your account is a {g.api_user.role.value}'s."))
    return by


def written(save: Callable, answer: Callable, status: int = 201):
    """Save in one write transaction and answer with what was written (and where it is), or a problem saying
    why nothing was: 422 naming the field, 403, or 409 (a conflict, or a change that must not be made)."""
    begin_write()
    try:
        item = save()
        db.session.flush()
        body = answer(item).model_dump(mode="json")
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        return problem(422, " ".join(f"{field}: {message}." for field, message in error.problems),
                       [{"field": field, "message": message} for field, message in error.problems])
    except NotAllowed as error:
        db.session.rollback()
        return problem(403, f"{str(error).capitalize()}.")
    except Refused as error:
        db.session.rollback()
        return problem(409, f"This cannot be done: {error}.")
    except (Conflict, StaleDataError) as error:
        db.session.rollback()
        version = error.version if isinstance(error, Conflict) else None
        return problem(409, "Someone else changed this since you read it: read it again, then send your change "
                            "with its current version." + (f" It is now at version {version}." if version else ""))
    except IntegrityError:
        # What the core checked was taken by a write at the same moment (a slug, a tie): nothing was saved.
        db.session.rollback()
        return problem(409, "Another write took what this one needed at the same moment; nothing was saved. "
                            "Send it again.")
    return body, status, {"Location": body["api_url"]}


def not_found(what: str, slug: str):
    abort(problem(404, f"There is no {what} “{slug}” here (or readers do not see it)."))


def chosen_speaker(body: NewStatement, by: By):
    """The actor named by slug, or a new one named in new_speaker, as the statement form allows."""
    if body.speaker and body.new_speaker:
        raise Invalid("new_speaker", "give the speaker's slug or a new speaker's name, not both")
    if body.new_speaker:
        return new_speaker(body.new_speaker, body.new_speaker_kind, by)
    if not body.speaker:
        raise Invalid("speaker", "is required: an actor's slug, or a new speaker's name in new_speaker")
    actor = actor_by_slug(body.speaker)
    if actor is None:
        raise Invalid("speaker", f"no actor has the slug “{body.speaker}”: give an actor's slug, or a new "
                                 "speaker's name in new_speaker")
    return actor


def live_item(dispute_slug: str, find, what: str, slug: str):
    """(dispute, its statement or claim at `slug` found by `find`), or a 404 naming what is missing or deleted."""
    dispute = dispute_by_slug(dispute_slug) or not_found("dispute", dispute_slug)
    item = find(dispute, slug)
    if item is None or item.deleted_at is not None:
        not_found(what, slug)
    return dispute, item


def statement_id(dispute: Dispute, slug: str) -> int:
    statement = queries.statement_in(dispute, slug)
    if statement is None:
        raise Invalid("answers", f"this dispute has no statement “{slug}”")
    return statement.id


def target_claim(dispute: Dispute, slug: str | None) -> Claim:
    """The claim answered: one of the dispute's that readers see (as the forms' pickers offer)."""
    claim = queries.claim_in(dispute, slug) if slug else None
    if claim is None or not shown.claim_is_shown(claim) or not shown.statement_is_shown(claim.statement):
        raise Invalid("target", "is required: the slug of a claim of this dispute that readers see" if not slug
                      else f"this dispute has no claim “{slug}” that readers see")
    return claim


# ---- the OpenAPI document's part (tracker/api/openapi.py merges it) ------------------------------

SECURITY_SCHEMES = {"bearer": {
    "type": "http", "scheme": "bearer",
    "description": "A personal API token (trk_...), made on the account page; it acts with its owner's role.",
}}
PROBLEM = {"$ref": "#/components/schemas/Problem"}
REFUSALS = {
    "400": "The body is not JSON, or the Authorization header is not “Bearer <token>”",
    "401": "No token, or one unknown, revoked or expired, or its account disabled (WWW-Authenticate says which)",
    "403": "Your role may not do this", "404": "No such dispute, statement or claim (that readers see)",
    "409": "Changed since you read it, or a change that cannot be made", "413": "The body is too large",
    "415": "The body is not sent as application/json", "422": "A field is missing, unknown, of the wrong type or "
                                                             "breaks a rule: `errors` names each",
}


def operation(summary: str, role: Role, request, answer, parameters: list[dict], *, status: str = "201",
              more: dict | None = None) -> dict:
    answers = {status: {"description": "Written; Location is its API address",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{answer.__name__}"}}}},
               **(more or {})}
    answers.update({code: {"description": text, "content": {"application/problem+json": {"schema": PROBLEM}}}
                    for code, text in REFUSALS.items()})
    return {"summary": summary, "description": f"For {role.value}s and above. " + (request.__doc__ or ""),
            "security": [{"bearer": []}], "tags": ["write"], "parameters": parameters,
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{request.__name__}"}}}},
            "responses": answers}


IN_DISPUTE = [path_slug("dispute_slug", "dispute")]
STATEMENT, CLAIM = [*IN_DISPUTE, path_slug("slug", "statement")], [*IN_DISPUTE, path_slug("slug", "claim")]
PATHS = {
    "/disputes/{dispute_slug}/statements": {
        "post": operation("Add a statement to a dispute", Role.editor, NewStatement, WrittenStatement, IN_DISPUTE)},
    "/disputes/{dispute_slug}/statements/{slug}/claims": {
        "post": operation("Cut a claim from a statement", Role.contributor, NewClaim, WrittenClaim, STATEMENT)},
    "/disputes/{dispute_slug}/claims/{slug}/responses": {
        "post": operation("Tie the claim to the claim it answers", Role.editor, NewResponse, WrittenResponse, CLAIM)},
    "/disputes/{dispute_slug}/claims/{slug}/evidence": {
        "post": operation("Add evidence to a claim", Role.contributor, NewEvidence, WrittenEvidence, CLAIM)},
    "/disputes/{dispute_slug}/claims/{slug}/verdict": {
        "put": operation("Set the claim's verdict", Role.editor, VerdictBody, WrittenVerdict, CLAIM, status="200",
                         more={"201": {"description": "The claim's first verdict (or one set again after a "
                                                      "withdrawal)", "content": {"application/json": {"schema": {
                                                          "$ref": "#/components/schemas/WrittenVerdict"}}}}})},
}
SCHEMAS = [*REQUESTS, *ANSWERS]  # their JSON Schemas are made by openapi.py, with the read side's (Problem too)
