"""SVG text built in Python with every value escaped: the pieces both drawings of the map share.

No <style> element and no style= attribute: the site's Content-Security-Policy
allows no inline styles, and presentation attributes (fill=, stroke=) are not styles.
"""

import re
from dataclasses import dataclass

from markupsafe import escape

from tracker.models import Relation

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
INK, MUTED, RECONSTRUCTED = "#1b1b1b", "#4a4a4a", "#8a5a00"
FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class Stroke:
    """How edges of one relation are drawn: colour (4.5:1 or more on white) and dash, so colour is not the only cue."""
    colour: str
    dash: str | None
    meaning: str


RELATIONS = {
    Relation.rebuts: Stroke("#b42318", None, "argues the claim is false"),
    Relation.denies: Stroke("#c2410c", "8 4", "denies it without engaging the detail"),
    Relation.counters: Stroke("#9d174d", "2 3", "answers with a counter-accusation"),
    Relation.qualifies: Stroke("#8a5a00", "10 3 2 3", "accepts part of it, with reservations"),
    Relation.concedes: Stroke("#15803d", "10 3 2 3 2 3", "admits it"),
    Relation.supports: Stroke("#166534", "14 4", "backs it up"),
}


def document(prefix: str, title: str, description: str, width: int, height: int, parts: list[str]) -> str:
    """An <svg> element that stands alone: its name and description, a white ground, the parts.

    `prefix` starts every id in it: the page holds two drawings, and ids must not repeat.
    """
    attributes = {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height}",
        "width": width, "height": height, "class": prefix, "role": "graphics-document document",
        "aria-labelledby": f"{prefix}-title", "aria-describedby": f"{prefix}-desc", "font-family": FONTS,
    }
    heading = (tag("title", {"id": f"{prefix}-title"}, esc(f"Response map: {title}"))
               + tag("desc", {"id": f"{prefix}-desc"}, esc(description)))
    return tag("svg", attributes, heading + tag("rect", {"width": "100%", "height": "100%", "fill": "#fff"})
               + "".join(parts))


def markers(prefix: str, size: int) -> str:
    """One arrowhead per relation, in its colour."""
    heads = "".join(
        tag("marker", {"id": f"{prefix}-arrow-{relation.value}", "viewBox": "0 0 10 10", "refX": 10, "refY": 5,
                       "markerWidth": size, "markerHeight": size, "orient": "auto"},
            tag("path", {"d": "M0 0L10 5L0 10z", "fill": stroke.colour}))
        for relation, stroke in RELATIONS.items()
    )
    return tag("defs", {}, heads)


def tag(name: str, attributes: dict, content: str = "") -> str:
    """An element; every attribute value is escaped here, `content` must be escaped already."""
    pairs = "".join(f' {key}="{value if type(value) is int else esc(value)}"'  # a number needs no escaping
                    for key, value in attributes.items() if value is not None)
    return f"<{name}{pairs}>{content}</{name}>" if content else f"<{name}{pairs}/>"


# Characters XML 1.0 forbids even when escaped (control characters, lone surrogates).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def esc(value) -> str:
    return str(escape(NOT_XML.sub("", str(value))))


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters (a hover text, not drawn: no need to measure)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
