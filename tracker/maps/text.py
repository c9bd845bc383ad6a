"""How much room text takes on the map: an estimate from the letters, since the server cannot measure fonts.

The widths are on the generous side of common sans-serif faces (DejaVu Sans, the widest
of them, included), so text wrapped to a width stays inside it in a browser.
"""

NARROW = set("iljtfrI.,;:'!|() ")
WIDE = set("mwMW@%…—")


ELLIPSIS_EM = 1.0  # "…" is WIDE


def em_of(char: str) -> float:
    """One letter's width, in em."""
    if char in NARROW:
        return 0.36
    if char in WIDE:
        return 1.0
    if char.isupper() or char.isdigit():
        return 0.72
    return 0.62


class LetterEms(dict):
    """em_of, remembered per letter."""

    def __missing__(self, char: str) -> float:
        self[char] = em = em_of(char)
        return em


EMS = LetterEms()


def em_width(text: str, em: float = 0.0) -> float:
    """The text's width in em, added to `em` letter by letter (left to right, as width() adds)."""
    for char in text:
        em += EMS[char]
    return em


def width(text: str, size: float) -> float:
    """The text's width at this font size, estimated per letter."""
    return em_width(text) * size


# wrap and clip add up each letter once: trying words and cutting letters one at a time while measuring
# the whole line each time cost more than all the rest of the map.
def wrap(text: str, room: float, size: float, max_lines: int) -> list[str]:
    """Words in lines no wider than `room`; the last line kept ends in "…" if words are left over."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        em = em_width(line)
        while words:
            longer = em_width(words[0], em + EMS[" "])
            if longer * size > room:
                break
            line, em = f"{line} {words.pop(0)}", longer
        lines.append(clip(line, room, size))
    if words:
        lines[-1] = clip(lines[-1] + " " + " ".join(words), room, size, force=True)
    return lines


def clip(text: str, room: float, size: float, force: bool = False) -> str:
    """The text, cut with "…" where it would pass `room` (or always cut when `force`)."""
    running, em = [], 0.0  # the width after each letter
    for char in text:
        em += EMS[char]
        running.append(em)
    if em * size <= room and not force:
        return text
    keep = len(text)
    while keep and (running[keep - 1] + ELLIPSIS_EM) * size > room:
        keep -= 1
    return text[:keep].rstrip() + "…"
