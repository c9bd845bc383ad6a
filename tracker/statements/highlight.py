"""Cut a verbatim text into pieces, each inside every quote that covers it."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Quote:
    """A claim's quote in the text: numbered in reading order, at a level no quote overlapping it has."""

    claim: Any
    number: int
    level: int


@dataclass
class Piece:
    text: str
    quotes: list[Quote] = field(default_factory=list)  # the quotes covering the piece, level 0 first
    ends: list[Quote] = field(default_factory=list)  # the quotes ending with it: their links follow it


def quotes(claims: list[Any]) -> list[Quote]:
    """The anchored claims' quotes in reading order (a longer one first), each at the lowest level free
    where it starts: overlapping quotes never share a level, so each shows its own extent."""
    anchored = sorted((c for c in claims if c.quote_end is not None), key=lambda c: (c.quote_start, -c.quote_end))
    busy_until: list[int] = []  # per level, where the quote holding it ends
    result = []
    for number, claim in enumerate(anchored, 1):
        level = next((i for i, end in enumerate(busy_until) if end <= claim.quote_start), len(busy_until))
        busy_until[level:level + 1] = [claim.quote_end]
        result.append(Quote(claim, number, level))
    return result


def pieces(text: str, claims: list[Any]) -> list[Piece]:
    """The text as pieces, split wherever a claim's anchor starts or ends.

    Claims need quote_start and quote_end; overlapping and nested anchors are
    fine (one "groundless" sentence may hold a reported accusation).
    """
    placed = quotes(claims)
    starting, ending = defaultdict(list), defaultdict(list)
    for quote in placed:
        starting[quote.claim.quote_start].append(quote)
        ending[quote.claim.quote_end].append(quote)
    bounds = sorted({0, len(text), *starting, *ending})
    result, active = [], {}  # active: level -> the quote open at that level
    for start, end in zip(bounds, bounds[1:]):
        for quote in ending.get(start, ()):
            del active[quote.level]
        for quote in starting.get(start, ()):
            active[quote.level] = quote
        result.append(Piece(text[start:end], [active[level] for level in sorted(active)], ending.get(end, [])))
    return [p for p in result if p.text]
