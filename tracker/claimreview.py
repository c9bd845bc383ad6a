"""schema.org ClaimReview for published verdicts: on each claim page, and as a fact-check data feed.

The shape follows Google's fact-check markup guidelines: the review (its rating, author, date, page)
of a Claim whose author is the speaker, appearing in the statement it was said in.
"""

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, request, url_for
from sqlalchemy.orm import joinedload

from .db import db, in_utc
from .models import ActorKind, Claim, Dispute, Rating, Statement, Verdict
from .paging import parse_part
from .problems import problem
from .settings import publisher_url
from .shown import CLAIM_SHOWN, LIVE, STATEMENT_SHOWN, VERDICT_SHOWN

bp = Blueprint("claimreview", __name__)

# The stated scale: 1 (false) to 5 (true). "Misleading" is true in its words and false in what it leads
# readers to believe: mostly false. "Unsupported" says nothing about truth, so it carries its label only,
# as the guidelines allow for a rating that is not numeric.
WORST, BEST = 1, 5
SCALE = {Rating.false: 1, Rating.mostly_false: 2, Rating.misleading: 2, Rating.mixed: 3,
         Rating.mostly_true: 4, Rating.true: 5, Rating.unsupported: None}
# Verdicts in one answer of the data feed; a longer list goes on at the address in its Link header.
FEED_PAGE = 500


@bp.app_template_global()
def claim_review(claim: Claim, verdict: Verdict | None = None) -> dict:
    """The ClaimReview of the claim's verdict, as JSON-LD (its statement, speaker and dispute loaded)."""
    verdict = verdict or claim.verdict
    statement = claim.statement
    rating = {"@type": "Rating", "alternateName": verdict.rating.label}
    if SCALE[verdict.rating] is not None:
        rating.update(ratingValue=SCALE[verdict.rating], bestRating=BEST, worstRating=WORST)
    said_in = appearance(statement)
    appears = [said_in] + ([appearance(claim.reported_in)] if claim.reported_in is not None else [])
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url_for("claims.detail", dispute_slug=statement.dispute.slug, slug=claim.slug, _external=True),
        "claimReviewed": claim.summary,
        "author": {"@type": "Organization", "name": current_app.config["PUBLISHER_NAME"], "url": publisher_url()},
        "datePublished": in_utc(verdict.set_at).date().isoformat(),
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "author": person(statement),
            **({"datePublished": statement.date_iso} if statement.date_iso else {}),
            "appearance": appears,
            "firstAppearance": said_in,
        },
    }


def person(statement: Statement) -> dict:
    """The speaker, as schema.org has them: a Person or an Organization."""
    speaker = statement.speaker
    kind = "Person" if speaker.kind is ActorKind.person else "Organization"
    found = {"@type": kind, "name": speaker.name}
    if speaker.role and kind == "Person":
        found["jobTitle"] = speaker.role
    return found


def appearance(statement: Statement) -> dict:
    """Where a claim appeared: the statement's source (or, without one, its page here) as a CreativeWork."""
    page = url_for("statements.detail", dispute_slug=statement.dispute.slug, slug=statement.slug, _external=True)
    work = {"@type": "CreativeWork", "name": statement.title, "url": statement.source_url or page,
            "author": person(statement)}
    if statement.date_iso:
        work["datePublished"] = statement.date_iso
    return work


@bp.route("/claimreview.json")
def data_feed():
    """The verdicts published (or changed) since ?since=, oldest first, as a schema.org DataFeed."""
    try:
        since = parse_since(request.args.get("since", ""))
        after = parse_after(request.args.get("after", ""))
    except ValueError as error:
        return problem(400, str(error))
    verdicts = published_verdicts(since, after)
    more = len(verdicts) > FEED_PAGE
    verdicts = verdicts[:FEED_PAGE]
    response = jsonify({
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dateModified": in_utc(max((v.set_at for v in verdicts), default=since)).isoformat(),
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": in_utc(v.set_at).isoformat(), "item": [claim_review(v.claim, v)]}
            for v in verdicts
        ],
    })
    if more:
        last = verdicts[-1]
        following = url_for("claimreview.data_feed", since=request.args.get("since") or None,
                            after=f"{in_utc(last.set_at).isoformat()}~{last.id}", _external=True)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


def published_verdicts(since: dt.datetime, after: tuple[dt.datetime, int] | None) -> list[Verdict]:
    """Up to FEED_PAGE + 1 verdicts readers see, set at or after `since` (and after the key `after`)."""
    query = (
        sa.select(Verdict)
        .join(Claim, Claim.id == Verdict.claim_id)
        .join(Statement, Statement.id == Claim.statement_id)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .where(VERDICT_SHOWN, CLAIM_SHOWN, STATEMENT_SHOWN, LIVE, Verdict.set_at >= since)
        .options(joinedload(Verdict.claim).joinedload(Claim.statement).joinedload(Statement.speaker),
                 joinedload(Verdict.claim).joinedload(Claim.statement).joinedload(Statement.dispute),
                 joinedload(Verdict.claim).joinedload(Claim.reported_in).joinedload(Statement.speaker))
        .order_by(Verdict.set_at, Verdict.id)
        .limit(FEED_PAGE + 1)
    )
    if after is not None:
        query = query.where(sa.tuple_(Verdict.set_at, Verdict.id) > sa.tuple_(
            sa.literal(after[0], Verdict.set_at.type), sa.literal(after[1], Verdict.id.type)))
    return list(db.session.scalars(query))


def parse_since(text: str) -> dt.datetime:
    """?since= as a time in UTC: a date (from its midnight, UTC) or a date and time; nothing means from the start."""
    if not text:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    try:
        return in_utc(dt.datetime.fromisoformat(text)).astimezone(dt.UTC)
    except (ValueError, OverflowError):  # not a time; or one whose UTC falls outside years 1 to 9999
        raise ValueError('The "since" parameter is not a date: give one as 2020-01-22, '
                         'or a time as 2020-01-22T10:00:00Z.') from None


def parse_after(text: str) -> tuple[dt.datetime, int] | None:
    """?after=, the position where the previous answer ended (its Link header gives it)."""
    if not text:
        return None
    time, _, row = text.partition("~")
    try:
        return in_utc(dt.datetime.fromisoformat(time)).astimezone(dt.UTC), parse_part(row, int)
    except (ValueError, OverflowError):
        raise ValueError('The "after" parameter is not a position in this feed: follow the Link header '
                         'of the previous answer.') from None



