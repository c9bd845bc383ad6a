"""The response map of one page, drawn twice: wide (left to right) and narrow (top down).

The page shows the wide drawing where the screen holds it at full size (text at least
12 px), and the narrow one elsewhere; the download is the wide one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from tracker.models import Claim

from . import layout, stack, text
from .queries import Answer, MapPage
from .svg import INK, MUTED, RECONSTRUCTED, RELATIONS, XML_DECLARATION, document, esc, markers, shorten, tag

# Screen widths (rem) from which the page shows the wide drawing, if its frame is wide enough
# there (the screen less main's padding and the frame's border, 42 px). style.css has one
# media query for each; from 77rem the map's page is wider than others.
WIDE_SCREENS = (50, 77)
PAD = 10  # inside a box


@dataclass(frozen=True)
class Sizes:
    """The text sizes of one drawing, in its own units (at least 12 once the page scales it)."""
    summary: int
    small: int  # the speaker, notes and relation labels
    box_width: int
    summary_lines: int


WIDE, NARROW = Sizes(14, 12, layout.BOX_WIDTH, 4), Sizes(14, 13, stack.BOX_WIDTH, 3)


@dataclass(frozen=True)
class Node:
    claim: Claim
    href: str
    elsewhere: bool  # a claim of another page, drawn for the answers to it from this one
    answered_elsewhere: int  # answers to it from claims of other pages


@dataclass(frozen=True)
class Drawing:
    wide: Markup | None  # each an <svg> element, without the XML declaration; None when not asked for
    narrow: Markup | None
    wide_from: int | None  # the screen width (rem) from which the wide drawing fits, if any does
    claims: int  # claims of this page drawn
    elsewhere: int  # claims of other pages drawn
    responses: int
    left_out: int  # claims of this page that take part in no response

    @property
    def document(self) -> str:
        """The standalone .svg file."""
        return XML_DECLARATION + str(self.wide) + "\n"  # str(): "..." + Markup escapes the "..."


def response_map(title: str, page: MapPage, href: Callable[[Claim], str], standalone: bool = False) -> Drawing:
    """Draw this page's claims that take part in a response, and each response as an arrow to its target.

    For the page: the narrow drawing, and the wide one if some screen shows it. `standalone`:
    the wide drawing only, for the download.
    """
    taking_part = {a.claim_id for a in page.answers} | {a.target_id for a in page.answers}
    taking_part |= set(page.answered_elsewhere)
    drawn = [c for c in page.claims if c.id in taking_part]
    nodes = [Node(c, href(c), True, 0) for c in page.elsewhere if c.id in taking_part]
    nodes += [Node(c, href(c), False, page.answered_elsewhere.get(c.id, 0)) for c in drawn]
    left_out = len(page.claims) - len(drawn)
    if not nodes:
        message = "No claim of this dispute answers another yet."
        nothing = tag("text", {"x": 16, "y": 34, "font-size": 14, "fill": INK}, esc(message))
        # Escaped by tag() and esc() (bandit B704).
        picture = Markup(document("map", title, message, 380, 56, [nothing]))  # nosec B704
        return Drawing(picture, picture, 50, 0, 0, 0, left_out)
    by_id = {node.claim.id: node for node in nodes}
    counts = f"{len(drawn)} claims and {len(page.answers)} responses"
    if len(nodes) > len(drawn):
        counts += f"; {len(nodes) - len(drawn)} claims of other pages they answer are drawn dotted"
    edges = [(a.claim_id, a.target_id) for a in page.answers]
    lines = {node.claim.id: node_lines(node, WIDE) for node in nodes}
    plan = layout.layered(list(by_id), edges, {key: height(lines[key]) for key in by_id})
    wide_from = next((rem for rem in WIDE_SCREENS if rem * 16 - 42 >= plan.width), None)
    wide = wide_drawing(title, counts, nodes, page.answers, by_id, plan, lines) if standalone or wide_from else None
    narrow = None if standalone else narrow_drawing(title, counts, nodes, page.answers, by_id)
    # Every piece was escaped by tag() or esc() (bandit B704).
    return Drawing(wide and Markup(wide), narrow and Markup(narrow), wide_from,  # nosec B704
                   len(drawn), len(nodes) - len(drawn), len(page.answers), left_out)


def wide_drawing(title: str, counts: str, nodes: list[Node], answers: list[Answer], by_id: dict,
                 plan: layout.Layout, lines: dict) -> str:
    edges = [(a.claim_id, a.target_id) for a in answers]
    parts = [markers("map", 7)]
    for answer, route in zip(answers, layout.routes(plan, edges)):
        bend = max(40, abs(route.x1 - route.x2) // 3) * (-1 if route.forward else 1)
        path = f"M{route.x1} {route.y1} C{route.x1 + bend} {route.y1} {route.x2 - bend} {route.y2} {route.x2} {route.y2}"
        label = {"x": route.x1 + (-4 if route.forward else 4), "y": route.y1 - 4,
                 "text-anchor": "end" if route.forward else "start"}
        parts.append(edge("map", answer, by_id, path, label, answer.relation.value))
    parts += [node(n, plan.boxes[n.claim.id], lines[n.claim.id]) for n in nodes]
    description = (f"{counts}. Accusations on the left; each answer stands to the right of what it answers, "
                   "with an arrow pointing back to it.")
    return document("map", title, description, plan.width, plan.height, parts)


def narrow_drawing(title: str, counts: str, nodes: list[Node], answers: list[Answer], by_id: dict) -> str:
    edges = [(a.claim_id, a.target_id) for a in answers]
    lines = {node.claim.id: node_lines(node, NARROW) for node in nodes}
    plan = stack.stacked(list(by_id), edges, {key: height(lines[key]) for key in by_id})
    parts = [markers("map-narrow", 4)]
    for answer, top, way in zip(answers, plan.label_tops, stack.paths(plan, edges)):
        path = f"M{way.x1} {way.y1}H{way.lane_x}V{way.y2}H{way.x2}"
        label = {"x": stack.BOX_X, "y": top + NARROW.small}
        words = text.clip(f"{answer.relation.value}: {by_id[answer.target_id].claim.summary}",
                          stack.BOX_WIDTH, NARROW.small)
        parts.append(edge("map-narrow", answer, by_id, path, label, words))
    parts += [node(n, plan.boxes[n.claim.id], lines[n.claim.id]) for n in nodes]
    description = (f"{counts}, top down: each claim is followed by the claims that answer it, "
                   "each answer saying how it answers, with an arrow to what it answers.")
    return document("map-narrow", title, description, plan.width, plan.height, parts)


def edge(prefix: str, answer: Answer, by_id: dict, path: str, label: dict, words: str) -> str:
    """A path from the answer to its target, and the label naming the relation (hidden from screen
    readers: the path's title says it in full)."""
    stroke = RELATIONS[answer.relation]
    one, other = by_id[answer.claim_id].claim, by_id[answer.target_id].claim
    hover = f"“{shorten(one.summary, 100)}” {answer.relation.value} “{shorten(other.summary, 100)}”"
    line = tag("path", {
        "d": path, "fill": "none", "stroke": stroke.colour, "stroke-width": 1.75,
        "stroke-dasharray": stroke.dash, "marker-end": f"url(#{prefix}-arrow-{answer.relation.value})",
        "data-answer": one.slug, "data-target": other.slug, "data-relation": answer.relation.value,
    }, tag("title", {}, esc(hover)))
    return line + tag("text", {
        **label, "font-size": WIDE.small if prefix == "map" else NARROW.small, "fill": stroke.colour,
        "stroke": "#fff", "stroke-width": 3, "paint-order": "stroke", "aria-hidden": "true", "class": "map-label",
    }, esc(words))


@dataclass(frozen=True)
class Line:
    words: str
    size: int
    baseline: int  # below the box's top
    summary: bool


def node_lines(node: Node, sizes: Sizes) -> list[Line]:
    """A box's text: the summary (up to three or four lines), then the speaker (up to two) and any note."""
    room = sizes.box_width - 2 * PAD
    claim = node.claim
    byline = (("on another page · " if node.elsewhere else "") + ("reconstructed · " if claim.reconstructed else "")
              + claim.statement.speaker.name)
    small = text.wrap(byline, room, sizes.small, 2)
    if node.answered_elsewhere:
        n = node.answered_elsewhere
        small.append(f"{n} more answer{'s' if n != 1 else ''} on other pages")
    lines, y = [], PAD
    for words in text.wrap(claim.summary, room, sizes.summary, sizes.summary_lines) or [""]:
        y += round(sizes.summary * 1.3)
        lines.append(Line(words, sizes.summary, y - round(sizes.summary * 0.3), True))
    y += 4
    for words in small:
        y += round(sizes.small * 1.3)
        lines.append(Line(words, sizes.small, y - round(sizes.small * 0.3), False))
    return lines


def height(lines: list[Line]) -> int:
    return lines[-1].baseline + round(lines[-1].size * 0.3) + PAD


def node(n: Node, box: layout.Box, lines: list[Line]) -> str:
    """A link to the claim: its summary, the speaker small; reconstructed claims dashed, other pages' dotted."""
    claim = n.claim
    notes = [claim.statement.speaker.name] + (["reconstructed"] if claim.reconstructed else []) + (
        ["on another page of the map"] if n.elsewhere else [])
    x = box.x + PAD
    texts = ""
    for summary in (True, False):
        mine = [line for line in lines if line.summary is summary]
        if not mine:
            continue
        spans = "".join(tag("tspan", {"x": x, "y": box.y + line.baseline}, esc(line.words)) for line in mine)
        texts += tag("text", {
            "font-size": mine[0].size, "fill": INK if summary else RECONSTRUCTED if claim.reconstructed else MUTED,
            "font-style": "italic" if claim.reconstructed and not summary else None}, spans)
    rect = tag("rect", {
        "x": box.x, "y": box.y, "width": box.width, "height": box.height, "rx": 6,
        "fill": "#f3f3f3" if n.elsewhere else "#fffaf0" if claim.reconstructed else "#fff",
        "stroke": RECONSTRUCTED if claim.reconstructed else MUTED, "stroke-width": 1.5,
        "stroke-dasharray": "2 3" if n.elsewhere else "6 4" if claim.reconstructed else None,
    })
    kind = " elsewhere" if n.elsewhere else " reconstructed" if claim.reconstructed else ""
    return tag("a", {"href": n.href, "data-claim": claim.slug, "class": "map-node" + kind},
               tag("title", {}, esc(f"{claim.summary} ({', '.join(notes)})")) + rect + texts)
