"""Quotes anchored in statement texts: placing a new quote, and moving every quote when a text changes."""

import sqlalchemy as sa

from tracker import history
from tracker.anchoring import (
    CONTEXT_CHARS,
    Anchor,
    AnchorError,
    QuoteAmbiguous,
    QuoteNotFound,
    anchor_quote,
    normalize,
    reanchor,
)
from tracker.db import db
from tracker.models import Claim, Statement

from .by import By
from .edits import assign
from .errors import Invalid

ANCHOR_COLUMNS = ("quote_start", "quote_end", "quote_exact", "quote_prefix", "quote_suffix")
# Offsets longer than this are not offsets (a 12-digit text is far beyond any statement).
OFFSET_DIGITS = 12


def stored_anchor(claim: Claim) -> Anchor | None:
    if claim.quote_exact is None:
        return None
    return Anchor(claim.quote_start, claim.quote_end, claim.quote_exact, claim.quote_prefix, claim.quote_suffix)


def anchor_values(anchor: Anchor | None) -> dict:
    """The claim's anchor columns for an anchor (all None for none)."""
    if anchor is None:
        return dict.fromkeys(ANCHOR_COLUMNS)
    return dict(zip(ANCHOR_COLUMNS, (anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix)))


def offsets(start, end, length: int) -> tuple[int, int] | None:
    """start and end as offsets into a text of that length, if they are."""
    try:
        if len(str(start or "")) > OFFSET_DIGITS or len(str(end or "")) > OFFSET_DIGITS:
            return None
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        return None
    return (start, end) if 0 <= start < end <= length else None


def selected(text: str, quote: str, start, end) -> Anchor | None:
    """The anchor at text[start:end] when those words are the quote (a selection in the page), else None."""
    at = offsets(start, end, len(text))
    if at is None or not normalize(quote) or normalize(text[at[0]:at[1]]) != normalize(quote):
        return None
    start, end = at
    while text[start].isspace():  # the words, not the blanks around them
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return Anchor(start, end, text[start:end], text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def anchor_in(text: str, quote: str, *, start=None, end=None, prefix: str | None = None,
              suffix: str | None = None) -> Anchor:
    """Anchor the quote at the selection given, or wherever the text holds it once (prefix and suffix
    break ties); Invalid on "quote" saying why it cannot be."""
    at = selected(text, quote, start, end)
    if at is not None:
        return at
    try:
        return anchor_quote(text, quote, prefix=prefix, suffix=suffix)
    except QuoteNotFound as error:
        if error.closest:
            raise Invalid("quote", f"not found in the statement. The closest passage is: “{error.closest}”") from None
        raise Invalid("quote", "not found in the statement, nor anything like it") from None
    except QuoteAmbiguous as error:
        raise Invalid("quote", f"these words occur {error.count} times in the statement: quote more words so that "
                               "they occur once, or select the passage in the text") from None
    except AnchorError:
        raise Invalid("quote", "paste the exact words of the statement that make the claim") from None


def claim_anchor(quote: str | None, *, reconstructed: bool, reported: bool, host: str, text: str | None,
                 **where) -> Anchor | None:
    """Where a claim's quote sits, or None for a claim with none; Invalid when the claim's shape is wrong.

    A verbatim claim quotes its own statement; a reconstructed one has no quote, unless a statement
    reports it (`reported`), whose words are then its quote. `host` names the statement holding `text`.
    """
    if reported and not reconstructed:
        raise Invalid("reported_in", "only a reconstructed claim is reported in another statement "
                                     "(mark it reconstructed)")
    if reconstructed and not reported:
        if quote is not None:
            raise Invalid("quote", "a reconstructed claim has no quote unless a statement reports it in its own "
                                   "words: leave the quote empty")
        return None
    if quote is None:
        if reconstructed:
            raise Invalid("quote", f'is required: the words of "{host}" that report the claim')
        raise Invalid("quote", "is required: paste the exact words of the statement that make the claim "
                               "(or mark the claim reconstructed if there are none)")
    if text is None:
        raise Invalid("quote", f'the statement "{host}" has no text on record, so only a reconstructed claim can be '
                               "cut from it: mark it reconstructed and leave the quote empty")
    return anchor_in(text, quote, **where)


def anchored_claims(statement: Statement) -> list[Claim]:
    """Every claim whose quote sits in this text, whatever its state (a restored claim keeps a true anchor)."""
    query = sa.select(Claim).where(Claim.quoted_from(statement.id)).order_by(Claim.id)
    return list(db.session.scalars(query))


def move_anchors(statement: Statement, claims: list[Claim], by: By, given: dict[int, Anchor] | None = None) -> None:
    """Anchor every claim quoted in the statement's new text again, or refuse naming the lost ones.

    `given` holds anchors already found for some claims (an import restating their quotes). Each moved
    claim records its own revision, so its history shows where its quote went.
    """
    given = given or {}
    moved, lost = [], []
    for claim in claims:
        anchor = given.get(claim.id) or reanchor(statement.text or "", stored_anchor(claim))
        if anchor is None:
            lost.append(claim)
        else:
            moved.append((claim, anchor))
    if lost:
        names = "; ".join(f'{c.slug} ("{shorten(c.quote_exact)}")' for c in lost)
        raise Invalid("text", f"the new text no longer holds the quotes of these claims: {names}. Keep their "
                              "words in the text, or edit those claims' quotes first")
    for claim, anchor in moved:
        before = history.snapshot(claim)
        assign(claim, anchor_values(anchor))
        if history.snapshot(claim) != before:
            history.record("edit", claim, before, by,
                           reason=f'quote re-anchored: the text of "{statement.slug}" changed')


def shorten(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
