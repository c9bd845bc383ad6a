"""How much room text takes on the map: an estimate from the letters, since the server cannot measure fonts.

The widths are on the generous side of common sans-serif faces (DejaVu Sans, the widest
of them, included), so text wrapped to a width stays inside it in a browser.
"""

NARROW = set("iljtfrI.,;:'!|() ")
WIDE = set("mwMW@%…—")


def width(text: str, size: float) -> float:
    """The text's width at this font size, estimated per letter."""
    em = 0.0
    for char in text:
        if char in NARROW:
            em += 0.36
        elif char in WIDE:
            em += 1.0
        elif char.isupper() or char.isdigit():
            em += 0.72
        else:
            em += 0.62
    return em * size


def wrap(text: str, room: float, size: float, max_lines: int) -> list[str]:
    """Words in lines no wider than `room`; the last line kept ends in "…" if words are left over."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and width(f"{line} {words[0]}", size) <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(clip(line, room, size))
    if words:
        lines[-1] = clip(lines[-1] + " " + " ".join(words), room, size, force=True)
    return lines


def clip(text: str, room: float, size: float, force: bool = False) -> str:
    """The text, cut with "…" where it would pass `room` (or always cut when `force`)."""
    if width(text, size) <= room and not force:
        return text
    while text and width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"
