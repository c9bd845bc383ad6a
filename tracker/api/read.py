"""The API's read addresses: what the reader pages show, through the same queries, as JSON (shapes.py).

PATHS describes these operations for the OpenAPI document (openapi.py), beside the code that answers them.
"""

import datetime as dt

import sqlalchemy as sa
from flask import abort, current_app, redirect, request, url_for

from tracker.claims import queries as claim_queries
from tracker.disputes import index as listing
from tracker.disputes import queries as dispute_queries
from tracker.disputes import timeline
from tracker.models import DisputeStatus, Relation, ReviewStatus, Stance, Statement
from tracker.paging import cursor_text
from tracker.problems import problem
from tracker.search import index as search_index
from tracker.shown import LIVE
from tracker.statements import queries as statement_queries

from . import params, present, shapes
from .blueprint import bp
from .queries import evidence_of, verdicts_of
from .spec import AFTER, deleted, operation, path_slug, query


def answer(shape: shapes.Shape, next_url: str | None = None):
    response = current_app.response_class(shape.model_dump_json(), mimetype="application/json")
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def gone(detail: str):
    abort(problem(410, detail))


def missing(detail: str):
    abort(problem(404, detail))


@bp.before_request
def json_accepted():
    """406 for a caller that says it takes no JSON (an Accept header without it)."""
    if request.accept_mimetypes.provided and not request.accept_mimetypes.best_match(
            ["application/json", "application/problem+json"]):
        return problem(406, "This API answers in JSON only (application/json; errors application/problem+json): "
                            "accept it in the Accept header.")
    return None


@bp.get("/")
def root():
    """Where the API's parts are."""
    return answer(shapes.Index(disputes=url_for("api.disputes", _external=True),
                               search=url_for("api.search", _external=True, q="words"),
                               openapi=url_for("api.openapi", _external=True)))


@bp.get("/disputes")
def disputes():
    q, tag, status = params.text("q"), params.text("tag", longest=50), params.choice("status", DisputeStatus)
    after = params.position((dt.date, int), "disputes")
    rows, next_key = listing.disputes_index(q, tag or None, status, after)
    filters = {k: v for k, v in {"q": q, "tag": tag, "status": status and status.value}.items() if v}
    next_url = url_for("api.disputes", after=cursor_text(next_key), _external=True, **filters) if next_key else None
    items = [
        shapes.DisputeSummary(
            id=row.dispute.id, slug=row.dispute.slug, title=row.dispute.title, summary=row.dispute.summary,
            status=row.dispute.status, tags=row.dispute.tag_names, statement_count=row.statements,
            claim_count=row.claims, first=iso_date(row.first_iso), last=iso_date(row.last_iso),
            **present.dispute_addresses(row.dispute.slug))
        for row in rows
    ]
    return answer(shapes.DisputeList(items=items, next=next_url), next_url)


def iso_date(text: str | None) -> shapes.PreciseDate | None:
    """A date in ISO form cut to its precision ("2020-01") with that precision."""
    if text is None:
        return None
    return shapes.PreciseDate(date=text, precision={4: "year", 7: "month"}.get(len(text), "day"))


def timeline_cards(page: timeline.TimelinePage) -> list[shapes.StatementCard]:
    ids = [claim.id for _, claims in page.statements for claim in claims]
    cards = present.Page(page.facts, evidence_of(ids), verdicts_of(ids))
    return [cards.statement_card(statement, claims) for statement, claims in page.statements]


@bp.get("/disputes/<slug>")
def dispute(slug: str):
    found = dispute_queries.dispute_by_slug(slug)
    if found is None:
        if dispute_queries.deleted_dispute_id(slug):
            gone("This dispute was deleted.")
        missing(f'There is no dispute "{slug}".')
    where = timeline.in_dispute(found)
    order = timeline.load_reading_order(where)
    filters, kept = timeline_filters(order)
    cursor = params.timeline_position("this timeline")
    try:
        page = timeline.timeline_page(where, filters, cursor, order)
    except ValueError:
        params.refuse("after", 'The "after" parameter is not a position in this timeline: follow the "next" '
                               'address of the page before.')
    next_url = None
    if page.next_cursor:
        next_url = url_for("api.dispute", slug=slug, after=str(page.next_cursor), _external=True, **kept)
    return answer(shapes.DisputeDetail(
        id=found.id, slug=found.slug, title=found.title, summary=found.summary, status=found.status,
        tags=found.tag_names, continues=page.continues, statements=timeline_cards(page), next=next_url,
        **present.dispute_addresses(found.slug)), next_url)


def timeline_filters(order: timeline.ReadingOrder) -> tuple[timeline.Filters, dict[str, str]]:
    """What the timeline is narrowed to, as the page's filters say it; and the parameters, for the next page."""
    actor = None
    if speaker := params.text("actor", longest=80):
        actor = next((a for a in timeline.speakers(order) if a.slug == speaker), None)
        if actor is None:
            params.refuse("actor", f'"{speaker}" makes no statement in this dispute.')
    filters = timeline.Filters(actor=actor, relation=params.choice("relation", Relation),
                               stance=params.choice("stance", Stance), tag=params.text("tag", longest=50) or None)
    kept = {"actor": speaker, "relation": filters.relation and filters.relation.value,
            "stance": filters.stance and filters.stance.value, "tag": filters.tag}
    return filters, {name: value for name, value in kept.items() if value}


@bp.get("/disputes/<dispute_slug>/statements/<slug>")
def statement(dispute_slug: str, slug: str):
    found = statement_queries.statement_by_slugs(dispute_slug, slug)
    if found is None:
        if statement_queries.deleted_statement_id(dispute_slug, slug):
            gone("This statement was deleted, and its claims with it.")
        missing(f'There is no statement "{slug}" in a dispute "{dispute_slug}".')
    claims, facts, total = statement_queries.listed_claims(found)
    ids = [claim.id for claim in claims]
    cards = present.Page(facts, evidence_of(ids), verdicts_of(ids))
    return answer(shapes.StatementDetail(
        **present.statement_fields(found), claims=[cards.claim_card(c, dispute_slug) for c in claims],
        text=found.text, claim_count=total))


@bp.get("/disputes/<dispute_slug>/claims/<slug>")
def claim(dispute_slug: str, slug: str):
    found = claim_queries.claim_by_slugs(dispute_slug, slug)
    if found is None or (found.review is not ReviewStatus.approved and found.merged_into_id is None):
        missing(f'There is no claim "{slug}" in a dispute "{dispute_slug}".')  # a submission waiting: as if none
    if found.merged_into_id is not None:
        survivor = claim_queries.survivor_slug(found)
        return redirect(url_for("api.claim", dispute_slug=dispute_slug, slug=survivor, _external=True), 301)
    if found.deleted_at is not None:
        gone("This claim was deleted.")
    if found.statement.deleted_at is not None:
        gone("The statement this claim was cut from was deleted, and its claims with it.")
    shown_ids = {item.id for item in found.shown_evidence}
    verdict = None
    if found.verdict is not None:
        verdict = shapes.ClaimVerdict(**present.verdict(found.verdict).model_dump(),
                                      rests_on=[item.id for item in found.verdict.evidence if item.id in shown_ids])
    answers, answered = claim_queries.thread(found, upward=False), claim_queries.thread(found, upward=True)
    return answer(shapes.ClaimDetail(
        id=found.id, slug=found.slug, summary=found.summary, kind=found.kind, reconstructed=found.reconstructed,
        quote=found.quote_exact,
        reported_in=present.statement_ref(found.reported_in, dispute_slug) if found.reported_in else None,
        tags=found.tag_names, dispute=present.dispute_ref(found.statement.dispute),
        statement=present.statement_ref(found.statement, dispute_slug),
        speaker=present.actor_ref(found.statement.speaker),
        evidence=[present.evidence(item, dispute_slug, found.slug) for item in found.shown_evidence],
        verdict=verdict,
        responds_to=present.thread(answered, found.id, dispute_slug),
        answered_by=present.thread(answers, found.id, dispute_slug),
        thread_cut=answers.cut or answered.cut,
        **present.claim_addresses(dispute_slug, found.slug)))


@bp.get("/actors/<slug>")
def actor(slug: str):
    found = dispute_queries.actor_by_slug(slug)
    if found is None:
        missing(f'There is no actor "{slug}".')
    cursor = params.timeline_position("this list")
    where = sa.and_(Statement.speaker_id == found.id, Statement.dispute.has(LIVE))
    try:
        page = timeline.timeline_page(where, timeline.Filters(), cursor)
    except ValueError:
        params.refuse("after", 'The "after" parameter is not a position in this list: follow the "next" address '
                               'of the page before.')
    next_url = None
    if page.next_cursor:
        next_url = url_for("api.actor", slug=slug, after=str(page.next_cursor), _external=True)
    return answer(shapes.ActorDetail(
        id=found.id, slug=found.slug, name=found.name, kind=found.kind, role=found.role, country=found.country,
        statements=timeline_cards(page), next=next_url,
        **present.addresses("actors.detail", "api.actor", slug=found.slug)), next_url)


@bp.get("/search")
def search():
    q = params.text("q", required=True, longest=search_index.MAX_QUERY_LENGTH)
    results = search_index.search(q)

    def claim_hit(claim) -> shapes.ClaimHit:
        statement = claim.statement
        return shapes.ClaimHit(**present.claim_ref(claim, statement.dispute.slug, statement.speaker.name).model_dump(),
                               dispute=present.dispute_ref(statement.dispute))

    statements = [
        shapes.StatementHit(**present.statement_ref(s, s.dispute.slug).model_dump(),
                            dispute=present.dispute_ref(s.dispute), speaker=present.actor_ref(s.speaker),
                            date=present.precise_date(s.date, s.date_precision))
        for s in results.statements.rows
    ]
    evidence = [
        shapes.EvidenceHit(id=item.id, title=item.title, source_url=item.url, stance=item.stance,
                           claim=claim_hit(item.claim),
                           url=url_for("claims.detail", dispute_slug=item.claim.statement.dispute.slug,
                                       slug=item.claim.slug, _anchor=f"evidence-{item.id}", _external=True))
        for item in results.evidence.rows
    ]
    return answer(shapes.SearchResults(
        q=q, url=url_for("search.results", q=q, _external=True),
        claims=shapes.ClaimHits(items=[claim_hit(c) for c in results.claims.rows], total=results.claims.total),
        statements=shapes.StatementHits(items=statements, total=results.statements.total),
        evidence=shapes.EvidenceHits(items=evidence, total=results.evidence.total)))


# ---- the OpenAPI description of these operations (openapi.py puts it in the document) ----------------

DISPUTE, STATEMENT, CLAIM = path_slug("slug", "dispute"), path_slug("slug", "statement"), path_slug("slug", "claim")
IN_DISPUTE = path_slug("dispute_slug", "dispute")
SCHEMAS = shapes.RESPONSES
PATHS = {
    "/": operation("index", "Where the API's parts are", "Index", []),
    "/disputes": operation(
        "listDisputes", "Disputes, the one with the latest statement first", "DisputeList", [
            query("q", "Words in the title or summary", {"type": "string", "maxLength": params.MAX_TEXT}),
            query("tag", "Only disputes with this tag", {"type": "string", "maxLength": 50}),
            query("status", "Only disputes in this state",
                  {"type": "string", "enum": [s.value for s in DisputeStatus]}),
            AFTER], paged=True),
    "/disputes/{slug}": operation(
        "getDispute", "A dispute: a page of its timeline (statements with their claims, responses, evidence and "
        "verdicts)", "DisputeDetail", [
            DISPUTE,
            query("actor", "Only this speaker's statements (an actor's slug)", {"type": "string", "maxLength": 80}),
            query("relation", "Only claims answering another this way",
                  {"type": "string", "enum": [r.value for r in Relation]}),
            query("stance", "Only claims with evidence of this stance",
                  {"type": "string", "enum": [s.value for s in Stance]}),
            query("tag", "Only claims on this topic", {"type": "string", "maxLength": 50}),
            AFTER], paged=True, extra=deleted("dispute")),
    "/disputes/{dispute_slug}/statements/{slug}": operation(
        "getStatement", "A statement, verbatim, with its claims", "StatementDetail", [IN_DISPUTE, STATEMENT],
        extra=deleted("statement")),
    "/disputes/{dispute_slug}/claims/{slug}": operation(
        "getClaim", "A claim: its thread both ways, its evidence and its verdict", "ClaimDetail", [IN_DISPUTE, CLAIM],
        extra={**deleted("claim"),
               "301": {"description": "A duplicate merged into another claim: Location gives it",
                       "headers": {"Location": {"schema": {"type": "string"}}}}}),
    "/actors/{slug}": operation(
        "getActor", "An actor, and their statements in every dispute", "ActorDetail",
        [path_slug("slug", "actor"), AFTER], paged=True),
    "/search": operation(
        "search", "Statements, claims and evidence holding these words, best first", "SearchResults",
        [query("q", 'Words; "a phrase" in quotes', {"type": "string", "minLength": 1,
                                                    "maxLength": search_index.MAX_QUERY_LENGTH}, required=True)]),
}
