"""The order readers meet statements and claims in.

A date of a month or a year is stored as its first day, so dates alone put "June 2022" before
"6 June 2022" even when the first answers the second. The timeline reads in `reading_order`:
date order, except that a reply never comes before what it answers.
"""

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import sqlalchemy as sa

from tracker.models import Claim, Statement

# Undated statements come last.
LAST_DAY = dt.date(9999, 12, 31)
# Claims without a quote in the text come after those with one.
NO_POSITION = 2**31 - 1


def statement_order():
    """Date order in SQL, for lists that need not put replies after what they answer."""
    return (sa.func.coalesce(Statement.date, LAST_DAY), Statement.id)


def claim_order():
    """A statement's claims in the order of their quotes in its text."""
    return (sa.func.coalesce(Claim.quote_start, NO_POSITION), Claim.id)


class Moment(NamedTuple):
    """What the reading order needs of a statement."""

    id: int
    date: dt.date | None
    speaker_id: int

    @property
    def key(self) -> tuple[dt.date, int]:
        return (self.date or LAST_DAY, self.id)


def reading_order(moments: Iterable[Moment], replies: Iterable[tuple[int, int]]) -> list[Moment]:
    """The statements in date order (same date: as recorded), each reply after every statement it answers.

    `replies` are (reply id, answered id) pairs. Among the statements whose answered ones are all
    placed, the earliest comes next; so a reply comes as soon after its target as its own date allows.
    Answers that go round in a circle (mistakes, or both sides answering each other) cannot all hold:
    then the earliest statement left comes next.
    """
    by_id = {m.id: m for m in moments}
    waits_for: dict[int, set[int]] = defaultdict(set)
    followers: dict[int, list[int]] = defaultdict(list)
    for reply, answered in replies:
        if reply in by_id and answered in by_id and reply != answered and answered not in waits_for[reply]:
            waits_for[reply].add(answered)
            followers[answered].append(reply)
    ready = [m.key for m in by_id.values() if not waits_for[m.id]]
    heapq.heapify(ready)
    by_date = sorted(m.key for m in by_id.values())
    placed: list[Moment] = []
    done: set[int] = set()
    earliest_left = 0
    while len(placed) < len(by_id):
        if ready:
            _, next_id = heapq.heappop(ready)
            if next_id in done:
                continue
        else:  # a circle: break it at its earliest statement
            while by_date[earliest_left][1] in done:
                earliest_left += 1
            next_id = by_date[earliest_left][1]
        done.add(next_id)
        placed.append(by_id[next_id])
        for reply in followers[next_id]:
            waits_for[reply].discard(next_id)
            if not waits_for[reply] and reply not in done:
                heapq.heappush(ready, by_id[reply].key)
    return placed
