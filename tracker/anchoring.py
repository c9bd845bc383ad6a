"""Anchor quotes into verbatim statement texts, as a reader would copy them.

Matching happens on a folded form (NFKC, casefold, no whitespace, plain dashes and
quotes) that remembers, for every folded char, the verbatim char it came from, so
a match maps back to offsets into the original text (W3C TextQuoteSelector style).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

CONTEXT_CHARS = 32

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02bc"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_FOLD_MAP = {
    **{c: "-" for c in _DASHES},
    **{c: "'" for c in _SINGLE_QUOTES},
    **{c: '"' for c in _DOUBLE_QUOTES},
}


@dataclass(frozen=True)
class Anchor:
    """A quote located in a verbatim text (offsets plus TextQuoteSelector triple)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class AnchorError(ValueError):
    """A quote could not be anchored; str(e) is a readable message."""


class QuoteNotFound(AnchorError):
    """The quote does not occur in the text."""

    def __init__(self, closest: str) -> None:
        self.closest = closest
        hint = f'; closest passage: "{closest}"' if closest else ""
        super().__init__(f"not found in the text{hint}")


class QuoteAmbiguous(AnchorError):
    """The quote occurs several times and the hints do not single one out."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"found {count} times in the text; quote more words, "
            "or give prefix/suffix, to make it unique"
        )


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """Fold one verbatim char to its matching form (possibly several chars or none)."""
    if c in _FOLD_MAP:  # before NFKC, which turns U+2033 into two primes, U+00B4 into an accent
        return _FOLD_MAP[c]
    if c.isspace() or unicodedata.category(c) == "Cf":  # invisible: soft hyphen, ZWSP, BOM
        return ""
    folded = unicodedata.normalize("NFKC", c).casefold()
    return "".join(_FOLD_MAP.get(ch, ch) for ch in folded if not ch.isspace())


@lru_cache(maxsize=8)
def _fold(text: str) -> tuple[str, tuple[int, ...]]:
    """_folded(text), remembered for the last few texts: anchoring the claims of one statement folds
    its text once, not once per claim (a long speech takes ~30 ms to fold). Quotes go through
    normalize(), which does not pass here: they would push the texts out."""
    return _folded(text)


def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    """Folded text plus, for each folded char, the index of its verbatim origin."""
    folds = list(map(_fold_char, text))  # a loop in C: each char's fold is remembered
    folded = "".join(folds)
    origins = tuple(compress(range(len(text)), folds))  # the chars that fold to something...
    if len(origins) == len(folded):  # ...each to one char, as nearly always
        return folded, origins
    return folded, tuple(i for i, f in enumerate(folds) for _ in f)


def normalize(s: str) -> str:
    """The folded form used for matching (no whitespace, casefolded, plain punctuation)."""
    return _folded(s)[0]


def _make_anchor(text: str, start: int, end: int) -> Anchor:
    """Anchor for text[start:end] with verbatim context."""
    return Anchor(start, end, text[start:end],
                  text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def _matches(text: str, folded: str, origins: tuple[int, ...], fq: str) -> list[int]:
    """Folded start positions of every (overlapping) match covering whole verbatim chars."""
    found, m, i = [], len(fq), folded.find(fq)
    while i != -1:
        # don't split a char that folded to several ("ﬁ") or a base char from its accent
        whole_start = i == 0 or origins[i - 1] != origins[i]
        whole_end = i + m == len(folded) or origins[i + m] != origins[i + m - 1]
        end = origins[i + m - 1] + 1
        accent_cut = end < len(text) and unicodedata.combining(text[end]) != 0
        if whole_start and whole_end and not accent_cut:
            found.append(i)
        i = folded.find(fq, i + 1)
    return found


def _context_agrees(folded: str, i: int, m: int, fprefix: str, fsuffix: str) -> bool:
    """Whether folded prefix/suffix hints agree with the overlapping text around a match."""
    k = min(len(fprefix), i)
    if fprefix[len(fprefix) - k:] != folded[i - k:i]:
        return False
    k = min(len(fsuffix), len(folded) - (i + m))
    return fsuffix[:k] == folded[i + m:i + m + k]


def anchor_quote(text: str, quote: str, *, prefix: str | None = None,
                 suffix: str | None = None) -> Anchor:
    """Locate quote in text; prefix/suffix only break ties between several matches."""
    fq = normalize(quote)
    if not fq:
        raise AnchorError("the quote is empty")
    folded, origins = _fold(text)
    hits = _matches(text, folded, origins, fq)
    if not hits:
        raise QuoteNotFound(_closest(text, folded, origins, fq, len(quote.strip())))
    if len(hits) > 1:
        fprefix, fsuffix = normalize(prefix or ""), normalize(suffix or "")
        agreeing = [i for i in hits if _context_agrees(folded, i, len(fq), fprefix, fsuffix)]
        if (not fprefix and not fsuffix) or len(agreeing) != 1:
            raise QuoteAmbiguous(len(hits))
        hits = agreeing
    i = hits[0]
    return _make_anchor(text, origins[i], origins[i + len(fq) - 1] + 1)


def reanchor(text: str, anchor: Anchor) -> Anchor | None:
    """Find a stored anchor again in a (possibly corrected) text; None if lost or ambiguous."""
    if anchor.exact and text[anchor.start:anchor.end] == anchor.exact:
        return _make_anchor(text, anchor.start, anchor.end)
    try:
        return anchor_quote(text, anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix)
    except AnchorError:
        return None


def _is_word_char(c: str) -> bool:
    """Letters/digits of space-separated scripts (CJK has no word boundaries to widen to)."""
    return c.isalnum() and unicodedata.east_asian_width(c) not in ("W", "F")


def _alignment(folded: str, fq: str, gram: int, agreeing: float = 0.0) -> int | None:
    """Offset (text pos - quote pos) shared by the most short pieces of the quote, if any.

    With `agreeing`, that offset must also be shared by at least that share of the pieces.
    """
    gram = min(gram, len(fq))
    votes: dict[int, float] = {}
    support: dict[int, int] = {}
    starts = range(0, len(fq) - gram + 1, max(1, (len(fq) - gram) // 40))  # <= ~40 pieces
    for j in starts:
        piece, found = fq[j:j + gram], []
        i = folded.find(piece)
        while i != -1 and len(found) <= 1000:
            found.append(i)
            i = folded.find(piece, i + 1)
        for i in found if len(found) <= 1000 else []:
            # a piece found everywhere ("andthe") says little about where the quote belongs
            votes[i - j] = votes.get(i - j, 0.0) + 1 / len(found)
            support[i - j] = support.get(i - j, 0) + 1
    if not votes:
        return None
    best = max(votes, key=votes.__getitem__)
    return best if support[best] >= agreeing * len(starts) else None


def _closest(text: str, folded: str, origins: tuple[int, ...], fq: str, quote_len: int) -> str:
    """Closest verbatim passage: a quote-long window where most pieces of the quote agree."""
    if not folded or not fq:
        return ""
    # str.find runs in C: ~40 scans of the text are far cheaper than any O(n*m) alignment
    shift = _alignment(folded, fq, 6)
    # Three letters in common say little ("sed" in "biased" and "used"): half the pieces must agree.
    shift = _alignment(folded, fq, 3, agreeing=0.5) if shift is None else shift
    if shift is None:
        return ""
    ws = max(0, shift)
    we = min(len(folded), ws + len(fq))
    ws = max(0, we - len(fq))  # near the end of the text, slide the window back
    start, end = origins[ws], origins[we - 1] + 1
    for _ in range(20):  # widen to word boundaries, but not unboundedly
        if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
            start -= 1
        if end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
            end += 1
    passage = text[start:end].strip()
    limit = int(1.5 * quote_len) + 40
    if len(passage) > limit:  # lots of whitespace in the text: cut at a word boundary
        cut = passage[:limit]
        passage = (cut.rsplit(None, 1)[0] if re.search(r"\s", cut[limit // 2:]) else cut).strip()
    return passage


def closest_passage(text: str, quote: str) -> str:
    """The verbatim passage of text that best resembles quote ("" if nothing in common)."""
    folded, origins = _fold(text)
    return _closest(text, folded, origins, normalize(quote), len(quote.strip()))


_BREAK = re.compile(r"(?P<p>[.!?。！？])[\"'”’»)\]」』]*(?P<ws>\s*)|\n[^\S\n]*\n\s*")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep",
                  "gov", "no", "vs", "etc", "e.g", "i.e", "jan", "feb", "aug", "sept",
                  "oct", "nov", "dec", "inc", "ltd", "co", "corp"}


def _is_break(text: str, m: re.Match[str]) -> bool:
    """Whether a terminator match really ends a sentence (not 'Mr.' or 'U.S.')."""
    p, ws = m.group("p"), m.group("ws")
    if p is None or p in "。！？" or ws.count("\n") >= 2:
        return True  # paragraph break, or CJK full stop (no space follows in CJK)
    if not ws and m.end() < len(text):
        return False  # "3.14", "a.m.x": needs whitespace or the end of the text
    if p == "." and m.end() < len(text):
        word = re.search(r"\S*$", text[max(0, m.start() - 12):m.start()]).group()
        word = word.lstrip("\"'(“‘[")
        if word.lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", word):
            return False  # known abbreviation or initials like "U.S"
        if text[m.end()].islower():
            return False
    return True


def _breaks(text: str) -> list[tuple[int, int]]:
    """(end of a sentence, start of the next one) pairs, in text order."""
    out = []
    for m in _BREAK.finditer(text):
        if _is_break(text, m):
            end = m.start("ws") if m.group("p") else m.start()
            while end > 0 and text[end - 1].isspace():
                end -= 1
            out.append((end, m.end()))
    return out


def quote_context(text: str, start: int, end: int, sentences: int = 1) -> tuple[str, str]:
    """Verbatim (before, after): the quote's own sentence plus `sentences` more each side."""
    breaks = _breaks(text)
    starts = [0] + [s for _, s in breaks if s <= start]
    ends = [e for e, _ in breaks if e >= end] + [max(end, len(text.rstrip()))]
    # the quote's own sentence is starts[-1]/ends[0]; count whole sentences beyond it
    n = max(0, sentences)
    before = starts[max(0, len(starts) - 1 - n)]
    after = ends[min(n, len(ends) - 1)]
    return text[before:start], text[end:after]
