"""The write API's request bodies and answers, as pydantic models: requests are checked against them and the
OpenAPI document's schemas are made from them, so the two cannot drift apart.

Fields carry the names the write core gives its errors (and the forms their fields), so a problem names the
field as sent. Values are plain JSON; what each must be is checked by the core (tracker/rules.py).
"""

from pydantic import BaseModel, Field

from tracker.models import ActorKind, ClaimKind, CorrectionKind, Rating, Relation, Stance, StatementKind
from tracker.rules import choices

from .body import Body

# ---- requests -----------------------------------------------------------------------------------

Text = str | None


class NewStatement(Body):
    """A statement of the dispute, stored verbatim (editors)."""

    title: str
    slug: Text = Field(None, description="In its address; made from the title when left out")
    speaker: Text = Field(None, description="The speaker: an actor's slug (or give new_speaker)")
    new_speaker: Text = Field(None, description="A new speaker's name, when no actor is the speaker yet")
    new_speaker_kind: str = Field("person", description=choices(ActorKind))
    kind: str = Field("speech", description=choices(StatementKind))
    date: Text = Field(None, description="2020, 2020-01 or 2020-01-22")
    venue: Text = None
    source_url: Text = Field(None, description="An http(s) link to where it was published")
    language: Text = Field(None, description="A BCP 47 tag: en, pt-BR, zh-Hans")
    text: Text = Field(None, description="The verbatim text, exactly as published")
    answers: list[str] = Field([], description="Slugs of the statements of this dispute it replies to")


class NewClaim(Body):
    """A claim cut from the statement: its quote is the statement's words. A contributor's awaits review."""

    summary: str = Field(description="The claim in one line, in your words")
    kind: str = Field("assertion", description=choices(ClaimKind))
    quote: Text = Field(None, description="The exact words of the statement")
    start: int | None = Field(None, description="Where the quote starts in the text (code points), if known")
    end: int | None = Field(None, description="Where it ends")
    reconstructed: bool = Field(False, description="Worded by an editor, no verbatim quote")
    tags: list[str] = []
    slug: Text = None
    target: Text = Field(None, description="The slug of the claim it answers (editors only)")
    relation: Text = Field(None, description="How it answers it: " + choices(Relation))


class NewResponse(Body):
    """The claim answers another claim of the dispute (editors)."""

    target: str = Field(description="The slug of the claim it answers")
    relation: str = Field(description=choices(Relation))


class NewEvidence(Body):
    """A link hung on the claim. A contributor's awaits review."""

    url: str
    title: str
    stance: str = Field(description=choices(Stance))
    publisher: Text = None
    date: Text = Field(None, description="When it was published: 2020-01-22")
    excerpt: Text = None
    archived_url: Text = Field(None, description="An archived copy: a Web Archive or archive.today address")


class VerdictBody(Body):
    """The claim's verdict on the published scale (editors). Changing published wording is a correction."""

    rating: str = Field(description=choices(Rating))
    explanation: str
    evidence: list[int] = Field([], description="Ids of the claim's evidence it rests on")
    version: int | None = Field(None, description="The verdict's version when you read it: a newer one is a 409")
    change_kind: Text = Field(None, description="When a live verdict's wording changes: "
                                                + choices(CorrectionKind))
    change_reason: Text = Field(None, description="Why, for readers")


# ---- answers ------------------------------------------------------------------------------------

class Written(BaseModel):
    id: int
    url: str | None = Field(description="Its page, once readers see it; null while it awaits review")
    api_url: str


class WrittenStatement(Written):
    slug: str
    title: str


class WrittenClaim(Written):
    slug: str
    summary: str
    review: str = Field(description="approved, or pending (awaiting an editor's review)")
    responds_to: list[dict] = Field(description="[{target, relation}] for a tie made in the same request")


class WrittenResponse(Written):
    claim: str
    target: str
    relation: str


class WrittenEvidence(Written):
    claim: str
    title: str
    source_url: str
    stance: str
    review: str = Field(description="approved, or pending (awaiting an editor's review)")


class WrittenVerdict(Written):
    claim: str
    rating: str
    explanation: str
    evidence: list[int]
    version: int


REQUESTS = [NewStatement, NewClaim, NewResponse, NewEvidence, VerdictBody]
ANSWERS = [WrittenStatement, WrittenClaim, WrittenResponse, WrittenEvidence, WrittenVerdict]
