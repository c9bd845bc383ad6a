"""Matched words wrapped in <mark>, in text that is escaped piece by piece."""

import re

from markupsafe import Markup, escape

from .index import Term


class Highlighter:
    """Marks what a query's terms match, as the index matched it: words whole,
    words of a phrase across any spaces or punctuation, unspaced scripts as substrings."""

    def __init__(self, terms: list[Term]):
        alternatives = []
        for term in terms:
            if term.substring:
                alternatives.append(r"\s+".join(map(re.escape, term.text.split())))
            else:
                words = r"[\W_]+".join(map(re.escape, term.words))
                alternatives.append(rf"(?<![^\W_]){words}(?![^\W_])")
        # Longest first: a phrase is marked whole, not as its words, and a
        # snippet centres on the rarest-looking term rather than on "and".
        alternatives.sort(key=len, reverse=True)
        self.anchors = [re.compile(a, re.IGNORECASE) for a in alternatives]
        self.pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def text(self, text: str | None) -> Markup:
        """The whole text, escaped, with every match marked."""
        text = text or ""
        if self.pattern is None:
            return escape(text)
        pieces, at = [], 0
        for match in self.pattern.finditer(text):
            if match.end() > match.start():
                pieces += [escape(text[at : match.start()]), Markup("<mark>"), escape(match.group()), Markup("</mark>")]
                at = match.end()
        pieces.append(escape(text[at:]))
        return Markup("").join(pieces)

    def snippet(self, text: str | None, width: int = 280) -> Markup:
        """About width characters around the first match, cut at spaces where there are any."""
        text = " ".join((text or "").split())  # line breaks and runs of spaces read as one space
        if len(text) <= width:
            return self.text(text)
        match = next(filter(None, (anchor.search(text) for anchor in self.anchors)), None)
        start = max(0, match.start() - width // 3) if match else 0
        end = max(start + width, match.end() if match else 0)
        if start > 0 and (space := text.find(" ", start, start + 20)) != -1:
            start = space + 1
        shortest = max(end - 20, match.end() if match else 0)  # never cut the match itself
        if end < len(text) and (space := text.rfind(" ", shortest, end)) != -1:
            end = space
        return Markup("").join([
            Markup("… ") if start > 0 else "", self.text(text[start:end]), Markup(" …") if end < len(text) else "",
        ])
