"""Cut a verbatim text into pieces, each covered by the claims anchored over it."""

import heapq
from dataclasses import dataclass
from typing import Any


@dataclass
class Piece:
    text: str
    claim: Any = None  # the most specific (shortest) claim covering the piece
    covers: int = 0  # how many claims cover it: more than one is an overlap


def pieces(text: str, claims: list[Any]) -> list[Piece]:
    """The text as pieces, split wherever a claim's anchor starts or ends.

    Claims need quote_start and quote_end; overlapping and nested anchors are
    fine (one "groundless" sentence may hold a reported accusation).
    """
    anchored = sorted((c for c in claims if c.quote_end is not None), key=lambda c: c.quote_start)
    bounds = sorted({0, len(text), *(c.quote_start for c in anchored), *(c.quote_end for c in anchored)})
    result, active, i = [], [], 0
    # `active` holds (span length, order, end, claim); its head is the shortest open claim.
    # Claims that have ended leave the heap lazily, when they reach its head.
    for start, end in zip(bounds, bounds[1:]):
        while i < len(anchored) and anchored[i].quote_start <= start:
            claim = anchored[i]
            heapq.heappush(active, (claim.quote_end - claim.quote_start, i, claim.quote_end, claim))
            i += 1
        while active and active[0][2] <= start:
            heapq.heappop(active)
        covers = sum(1 for item in active if item[2] > start)
        result.append(Piece(text[start:end], active[0][3] if active else None, covers))
    return [p for p in result if p.text]
