"""The JSON the read API sends, as pydantic models: the responses are dumped from these, and the OpenAPI
document's schemas are generated from the same models, so the two cannot drift apart.

Every item a reader has a page for carries `url` (that page) and `api_url` (this API's address of it).
"""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.models import ActorKind, ClaimKind, DisputeStatus, Rating, Relation, Stance, StatementKind


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreciseDate(Shape):
    """A date no more precise than it is known: a month or a year is given as such."""

    date: str = Field(description="ISO 8601 cut to its precision: 2020, 2020-01 or 2020-01-22", examples=["2020-01"])
    precision: Literal["day", "month", "year"]


class Paged(Shape):
    next: str | None = Field(description="The address of the next page (also in the Link header), or null on the last")


# ---- references: what another item shows of one ---------------------------------------------------

class DisputeRef(Shape):
    id: int
    slug: str
    title: str
    url: str
    api_url: str


class ActorRef(Shape):
    id: int
    slug: str
    name: str
    url: str
    api_url: str


class StatementRef(Shape):
    id: int
    slug: str
    title: str
    url: str
    api_url: str


class ClaimRef(Shape):
    id: int
    slug: str
    summary: str
    speaker: str | None = Field(description="Who made the claim (the name of its statement's speaker)")
    url: str
    api_url: str


# ---- the parts of a claim ----------------------------------------------------------------------------

class ResponseLink(Shape):
    """A claim this one answers, and how."""

    relation: Relation
    claim: ClaimRef


class Evidence(Shape):
    id: int
    stance: Stance
    title: str
    source_url: str = Field(description="The evidence itself: an http or https address elsewhere")
    publisher: str | None
    date: dt.date | None
    excerpt: str | None
    url: str = Field(description="Where the claim's page shows it")


class Verdict(Shape):
    rating: Rating
    label: str = Field(examples=["mostly false"])
    explanation: str
    set_at: dt.datetime


class ClaimCard(Shape):
    """A claim as a timeline shows it: what it answers, how many answer it, its evidence and verdict."""

    id: int
    slug: str
    summary: str
    kind: ClaimKind
    reconstructed: bool = Field(description="Worded by an editor: no verbatim source of the claim is on record")
    quote: str | None = Field(description="The quoted words, verbatim")
    reported_in: StatementRef | None = Field(description="For a reconstructed claim, the statement reporting it")
    tags: list[str]
    responds_to: list[ResponseLink]
    answered_by_count: int
    evidence: list[Evidence]
    verdict: Verdict | None
    url: str
    api_url: str


class StatementCard(Shape):
    id: int
    slug: str
    title: str
    kind: StatementKind
    date: PreciseDate | None
    speaker: ActorRef
    dispute: DisputeRef
    venue: str | None
    source_url: str | None
    language: str | None
    has_text: bool
    answers: list[StatementRef] = Field(description="The statements this one answers")
    answered_by: list[StatementRef]
    claims: list[ClaimCard] = Field(description="Its claims on this page, in the order of their quotes")
    url: str
    api_url: str


# ---- the addresses' answers -------------------------------------------------------------------------

class DisputeHead(Shape):
    """What every answer about a dispute says of it first."""

    id: int
    slug: str
    title: str
    summary: str
    status: DisputeStatus
    tags: list[str]


class DisputeSummary(DisputeHead):
    statement_count: int
    claim_count: int
    first: PreciseDate | None = Field(description="The earliest statement's date")
    last: PreciseDate | None = Field(description="The latest statement's date")
    url: str
    api_url: str


class DisputeList(Paged):
    items: list[DisputeSummary]


class DisputeDetail(DisputeHead, Paged):
    """A page of a dispute's timeline: statements in reading order, each with its claims."""

    continues: bool = Field(description="The first statement began on the page before (a statement too long for one)")
    statements: list[StatementCard]
    url: str
    api_url: str


class StatementDetail(StatementCard):
    text: str | None = Field(description="The statement verbatim, or null when no transcript is on record")
    claim_count: int = Field(description="All its claims; `claims` holds the first 200")


class ThreadNode(Shape):
    relation: Relation
    claim: ClaimRef
    further: list["ThreadNode"] = Field(description="The next step of the thread from this claim")
    goes_deeper: bool = Field(description="The thread goes on beyond the depth shown")


class ClaimVerdict(Verdict):
    rests_on: list[int] = Field(description="The ids of the evidence the verdict rests on")


class ClaimDetail(Shape):
    id: int
    slug: str
    summary: str
    kind: ClaimKind
    reconstructed: bool
    quote: str | None
    reported_in: StatementRef | None
    tags: list[str]
    dispute: DisputeRef
    statement: StatementRef
    speaker: ActorRef
    evidence: list[Evidence]
    verdict: ClaimVerdict | None
    responds_to: list[ThreadNode] = Field(description="What it answers, up to the claims that answer nothing")
    answered_by: list[ThreadNode] = Field(description="What answers it, and what answers those")
    thread_cut: bool = Field(description="The thread is longer than was sent")
    url: str
    api_url: str


class ActorDetail(Paged):
    id: int
    slug: str
    name: str
    kind: ActorKind
    role: str | None
    country: str | None
    statements: list[StatementCard] = Field(description="Their statements in every dispute, a page at a time")
    url: str
    api_url: str


class ClaimHit(ClaimRef):
    dispute: DisputeRef


class StatementHit(StatementRef):
    dispute: DisputeRef
    speaker: ActorRef
    date: PreciseDate | None


class EvidenceHit(Shape):
    id: int
    title: str
    source_url: str
    stance: Stance
    claim: ClaimHit
    url: str


class ClaimHits(Shape):
    items: list[ClaimHit]
    total: int = Field(description="How many match (counting stops at 1,000)")


class StatementHits(Shape):
    items: list[StatementHit]
    total: int


class EvidenceHits(Shape):
    items: list[EvidenceHit]
    total: int


class SearchResults(Shape):
    q: str
    claims: ClaimHits
    statements: StatementHits
    evidence: EvidenceHits
    url: str


class FieldError(Shape):
    field: str = Field(description="The parameter or header at fault")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class Index(Shape):
    disputes: str
    search: str
    openapi: str


# The answers, for the OpenAPI document's schemas (those they refer to come along).
RESPONSES = [Index, DisputeList, DisputeDetail, StatementDetail, ClaimDetail, ActorDetail, SearchResults, Problem]
