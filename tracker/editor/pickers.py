"""Claim pickers (the claim a claim answers, the claim a duplicate goes into): grouped by statement,
with speaker and date, and narrowed to the claims holding the words typed in their Find box.

The Find button is a second submit button of the form itself: the server narrows the list and sends
the form back with everything typed in it, saving nothing (tracker/editor/flow.py). It posts rather
than gets so that the form's values (a quote across lines, its CSRF token) never go into an address.
"""

import unicodedata
from dataclasses import dataclass

from wtforms import SelectChoice, StringField

from tracker.anchoring import normalize
from tracker.forms import strip
from tracker.models import Claim

# The name and value the Find button sends.
FIND = ("action", "find")
# Words beyond these are not looked for (no claim's summary is longer).
WORDS_LIMIT = 300


def find_field() -> StringField:
    """The Find box of a form's claim picker: the words its list is narrowed to."""
    return StringField("Find a claim by words of its summary, its speaker or its statement", filters=[strip])


@dataclass
class Picker:
    choices: list[SelectChoice]
    listed: int  # claims matching the words
    total: int  # claims the list would hold unnarrowed
    words: str

    @property
    def note(self) -> str:
        """What the list holds, said after a Find."""
        if not self.words:
            return f"All {self.total} claims are listed." if self.total != 1 else "The one claim is listed."
        if not self.listed:
            return (f"No claim matches “{self.words}”. Try other words, or empty the box and press Find "
                    "to list them all.")
        return f"{self.listed} of {self.total} claims match “{self.words}”."


def claim_picker(claims: list[Claim], words: str | None, chosen: int | None, blank: str) -> Picker:
    """Select options for these claims (in reading order): those matching `words` and the one chosen."""
    words = " ".join((words or "").split())[:WORDS_LIMIT]
    wanted = [folded(word) for word in words.split()]
    choices = [SelectChoice("", blank)]
    listed = 0
    for claim in claims:
        text = haystack(claim) if wanted else ""
        matches = all(word in text for word in wanted)
        if not matches and claim.id != chosen:
            continue  # the claim chosen stays listed, so narrowing never loses a choice
        listed += matches
        statement = claim.statement
        group = f"{statement.speaker.name}: {statement.title} ({statement.date_label})"
        choices.append(SelectChoice(str(claim.id), claim.summary, optgroup=group))
    return Picker(choices, listed, len(claims), words)


def haystack(claim: Claim) -> str:
    """What the words typed are looked for in: the claim's summary, slug and quote, its statement and speaker."""
    statement = claim.statement
    return folded(" ".join((claim.summary, claim.slug, statement.speaker.name, statement.title,
                            statement.date_label, claim.quote_exact or "")))


def folded(text: str) -> str:
    """Text compared as quotes are found (case, curly quotes, dashes and spaces set aside), accents too."""
    decomposed = unicodedata.normalize("NFKD", normalize(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
