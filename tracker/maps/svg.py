"""The response map as SVG text, built in Python with every value escaped.

No <style> element and no style= attribute: the site's Content-Security-Policy
allows no inline styles, and presentation attributes (fill=, stroke=) are not styles.
"""

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from tracker.models import Claim, Relation, Response

from . import layout

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
INK, MUTED, RECONSTRUCTED = "#1b1b1b", "#4a4a4a", "#8a5a00"
LINE_CHARS = 35  # what fits in a box at 12px, allowing for wide letters
SUMMARY_LINES = 3


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


@dataclass(frozen=True)
class Drawing:
    svg: Markup  # the <svg> element, without the XML declaration
    claims: int  # claims drawn
    responses: int
    left_out: int  # claims that answer nothing and that nothing answers

    @property
    def document(self) -> str:
        """The standalone .svg file."""
        return XML_DECLARATION + str(self.svg) + "\n"  # str(): "..." + Markup escapes the "..."


def response_map(title: str, claims: Sequence[Claim], responses: Sequence[Response],
                 href: Callable[[Claim], str]) -> Drawing:
    """Draw the claims that take part in a response, and every response as an arrow to its target."""
    taking_part = {r.claim_id for r in responses} | {r.target_id for r in responses}
    drawn = [claim for claim in claims if claim.id in taking_part]
    left_out = len(claims) - len(drawn)
    if not responses:
        # Every piece was escaped by tag() or esc() (bandit B704).
        return Drawing(Markup(empty(title)), 0, 0, left_out)  # nosec B704
    edges = [(r.claim_id, r.target_id) for r in responses]
    plan = layout.layered([claim.id for claim in drawn], edges)
    by_id = {claim.id: claim for claim in drawn}
    parts = [markers()]
    for response, route in zip(responses, layout.routes(plan, edges)):
        parts.append(edge(response, route, by_id))
    for claim in drawn:
        parts.append(node(claim, plan.boxes[claim.id], href(claim)))
    description = (f"{len(drawn)} claims and {len(responses)} responses. Accusations on the left; "
                   "each answer stands to the right of what it answers, with an arrow pointing back to it.")
    # Every piece was escaped by tag() or esc() (bandit B704).
    return Drawing(Markup(svg(title, description, plan.width, plan.height, parts)), len(drawn), len(responses), left_out)  # nosec B704


def empty(title: str) -> str:
    """A small valid picture saying there is nothing to draw."""
    message = "No claim of this dispute answers another yet."
    text = tag("text", {"x": 16, "y": 34, "font-size": 14, "fill": INK}, esc(message))
    return svg(title, message, 380, 56, [text])


def svg(title: str, description: str, width: int, height: int, parts: list[str]) -> str:
    attributes = {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height}",
        "width": width, "height": height, "role": "graphics-document document",
        "aria-labelledby": "map-title", "aria-describedby": "map-desc",
        "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    }
    heading = (tag("title", {"id": "map-title"}, esc(f"Response map: {title}"))
               + tag("desc", {"id": "map-desc"}, esc(description)))
    return tag("svg", attributes, heading + tag("rect", {"width": "100%", "height": "100%", "fill": "#fff"})
               + "".join(parts))


def markers() -> str:
    """One arrowhead per relation, in its colour."""
    heads = "".join(
        tag("marker", {"id": f"arrow-{relation.value}", "viewBox": "0 0 10 10", "refX": 10, "refY": 5,
                       "markerWidth": 7, "markerHeight": 7, "orient": "auto"},
            tag("path", {"d": "M0 0L10 5L0 10z", "fill": stroke.colour}))
        for relation, stroke in RELATIONS.items()
    )
    return tag("defs", {}, heads)


def edge(response: Response, route: layout.Route, by_id: dict[int, Claim]) -> str:
    """A curve from the answer to its target, with the relation named at the answer's end."""
    stroke = RELATIONS[response.relation]
    answer, target = by_id[response.claim_id], by_id[response.target_id]
    bend = max(40, abs(route.x1 - route.x2) // 3) * (-1 if route.forward else 1)
    path = (f"M{route.x1} {route.y1} C{route.x1 + bend} {route.y1} "
            f"{route.x2 - bend} {route.y2} {route.x2} {route.y2}")
    hover = f"“{answer.summary}” {response.relation.value} “{target.summary}”"
    line = tag("path", {
        "d": path, "fill": "none", "stroke": stroke.colour, "stroke-width": 1.75,
        "stroke-dasharray": stroke.dash, "marker-end": f"url(#arrow-{response.relation.value})",
        "data-answer": answer.slug, "data-target": target.slug, "data-relation": response.relation.value,
    }, tag("title", {}, esc(hover)))
    label = tag("text", {
        "x": route.x1 + (-4 if route.forward else 4), "y": route.y1 - 3, "font-size": 10,
        "text-anchor": "end" if route.forward else "start", "fill": stroke.colour,
        "stroke": "#fff", "stroke-width": 3, "paint-order": "stroke", "aria-hidden": "true",
    }, esc(response.relation.value))
    return line + label


def node(claim: Claim, box: layout.Box, href: str) -> str:
    """A link to the claim: its summary wrapped and cut, the speaker small; reconstructed claims dashed."""
    speaker = claim.statement.speaker.name
    byline = clip(("reconstructed · " if claim.reconstructed else "") + speaker, 44)
    full = f"{claim.summary} ({speaker}{', reconstructed' if claim.reconstructed else ''})"
    lines = textwrap.wrap(claim.summary, LINE_CHARS, max_lines=SUMMARY_LINES, placeholder=" …") or [""]
    x = box.x + 10
    spans = "".join(tag("tspan", {"x": x, "dy": 0 if i == 0 else 15}, esc(line)) for i, line in enumerate(lines))
    rect = tag("rect", {
        "x": box.x, "y": box.y, "width": box.width, "height": box.height, "rx": 6,
        "fill": "#fffaf0" if claim.reconstructed else "#fff",
        "stroke": RECONSTRUCTED if claim.reconstructed else MUTED, "stroke-width": 1.5,
        "stroke-dasharray": "6 4" if claim.reconstructed else None,
    })
    summary = tag("text", {"x": x, "y": box.y + 20, "font-size": 12, "fill": INK}, spans)
    by = tag("text", {"x": x, "y": box.y + box.height - 10, "font-size": 10,
                      "fill": RECONSTRUCTED if claim.reconstructed else MUTED,
                      "font-style": "italic" if claim.reconstructed else None}, esc(byline))
    return tag("a", {"href": href, "data-claim": claim.slug,
                     "class": "map-node reconstructed" if claim.reconstructed else "map-node"},
               tag("title", {}, esc(full)) + rect + summary + by)


def tag(name: str, attributes: dict, content: str = "") -> str:
    """An element; every attribute value is escaped here, `content` must be escaped already."""
    pairs = "".join(f' {key}="{esc(value)}"' for key, value in attributes.items() if value is not None)
    return f"<{name}{pairs}>{content}</{name}>" if content else f"<{name}{pairs}/>"


# Characters XML 1.0 forbids even when escaped (control characters, lone surrogates).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def esc(value) -> str:
    return str(escape(NOT_XML.sub("", str(value))))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
