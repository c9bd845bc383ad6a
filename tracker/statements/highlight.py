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
    """Some text and the quotes covering it, outermost first: those going on past it, then those ending with
    it (in level order each). The links of those ending follow it inside the marks of those going on."""

    text: str
    quotes: list[Quote] = field(default_factory=list)
    ends: list[Quote] = field(default_factory=list)  # the quotes ending with it, in reading order

    @property
    def going_on(self) -> list[Quote]:
        return self.quotes[:len(self.quotes) - len(self.ends)]


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
        covering = sorted(active.values(), key=lambda quote: (quote.claim.quote_end == end, quote.level))
        result.append(Piece(text[start:end], covering, ending.get(end, [])))
    return [p for p in result if p.text]
