"""The overview strip heading a timeline: one band per speaker, one mark per statement, dates to scale.

SVG built here with every user string escaped (tag() and esc() escape). Horizontal positions are
percentages and the rest pixels, with no viewBox: the strip fills its container at any width while
its text stays 12 px, readable on a 390 px phone and not huge on a wide screen. Marks are packed
into rows so that none covers another at the phone's width, hence at any wider one.
No <style> and no style=: the Content-Security-Policy allows no inline styles.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from markupsafe import Markup

from tracker.db import db
from tracker.maps.svg import XML_DECLARATION, esc, tag
from tracker.models import Actor, Claim, DatePrecision, Dispute, Statement
from tracker.models.statement import format_date
from tracker.shown import STATEMENT_SHOWN

from .queries import statement_order, unanswered_accusation
from .timescale import Scale, period

INK, MUTED, GRID, SHADE = "#1b1b1b", "#4a4a4a", "#d0d0d0", "#f6f7f9"
UNANSWERED = "#b42318"
EDGE = {"stroke": "#fff", "stroke-width": 1.5}  # around every dot, so touching dots stay apart
RING = {"stroke": UNANSWERED, "stroke-width": 3}  # around a dot holding an accusation not answered yet
# Band colours, 4.5:1 or more on white and on the shade; red is kept for unanswered accusations.
COLOURS = ["#0b4f8a", "#0f766e", "#6b2fa0", "#8a5a00", "#374151", "#9d174d"]
OTHERS_COLOUR = "#5c5c5c"
PHONE = 350  # the strip's width in px on a 390 px screen, inside the page's margins: marks are packed for it
MARGIN = 3.5  # % left free at each end, for a mark's radius
UNDATED_ZONE = 12  # % at the right end for statements without a date, when there are any
DOT = 6  # radius of a day's mark
ROW, MAX_ROWS = 15, 5  # marks' rows in a band; a crowd beyond MAX_ROWS overlaps, least where it can
LABEL = 18  # the speaker's name above the band's marks
MAX_BANDS = 6  # more speakers than this: the busiest five get bands, the rest share one
AXIS = 36  # tick labels: the day or month, and the year under it
CHAR = 6.8  # px per character at 12 px, a little generous, for laying out the legend
NAME_CHARS = 46  # of a speaker's name, in bold, on a phone; wider screens show more (the stylesheet's choice)
WIDE_NAME_CHARS = 100  # on a screen 48rem wide or more, and in a file


@dataclass(frozen=True)
class Mark:
    slug: str
    title: str
    speaker_id: int
    speaker: str
    days: tuple[int, int] | None  # the days the date covers, or None when it is unknown
    precision: DatePrecision | None
    date_label: str
    unanswered: bool  # holds an accusation claim no one answers yet


@dataclass
class Band:
    label: str
    colour: str
    marks: list[Mark]
    speakers: int = 1  # more for the band the quieter speakers share


# Built once (its EXISTS cost more to build than to run), the dispute bound per call.
MARKS = (
    sa.select(Statement.slug, Statement.title, Statement.date, Statement.date_precision, Actor.id, Actor.name,
              sa.exists().where(Claim.statement_id == Statement.id, unanswered_accusation()).label("unanswered"))
    .join(Actor, Actor.id == Statement.speaker_id)
    .where(Statement.dispute_id == sa.bindparam("dispute_id"), STATEMENT_SHOWN)
    .order_by(*statement_order())
)


def marks(dispute: Dispute) -> list[Mark]:
    """Every statement readers see, in date order, with its speaker and whether it holds an unanswered accusation:
    one query, whatever the size of the dispute."""
    return [
        Mark(row.slug, row.title, row.id, row.name, period(row.date, row.date_precision) if row.date else None,
             row.date_precision, format_date(row.date, row.date_precision), bool(row.unanswered))
        for row in db.session.execute(MARKS, {"dispute_id": dispute.id})
    ]


def strip(dispute: Dispute) -> Markup:
    """The strip inline on the timeline page, with links within the site; nothing for a dispute without statements."""
    drawn = marks(dispute)
    if not drawn:
        return Markup("")  # the timeline says there are no statements

    # Every piece was escaped by tag() or esc() (bandit B704).
    return Markup(draw(dispute.title, drawn, statement_links(dispute), width=None))  # nosec B704


def document(dispute: Dispute) -> str:
    """The standalone .svg file: absolute links, as it is opened away from the site."""
    links = statement_links(dispute, external=True)
    return XML_DECLARATION + draw(dispute.title, marks(dispute), links, width=960) + "\n"


def statement_links(dispute: Dispute, external: bool = False) -> Callable[[Mark], str]:
    """Each statement's page. url_for once, then the slug appended: url_for per mark cost more than all the
    drawing (a slug is lower-case letters, digits and hyphens, nothing to quote)."""
    prefix = url_for("statements.detail", dispute_slug=dispute.slug, slug="-", _external=external)[:-1]
    return lambda mark: prefix + mark.slug


def bands(all_marks: Sequence[Mark]) -> list[Band]:
    """One band per speaker in the order they first speak; past MAX_BANDS, the quieter ones share the last."""
    by_speaker: dict[int, list[Mark]] = {}
    for mark in all_marks:  # in date order: the first speaker first
        by_speaker.setdefault(mark.speaker_id, []).append(mark)
    speakers = list(by_speaker)
    if len(speakers) > MAX_BANDS:
        busiest = set(sorted(speakers, key=lambda s: -len(by_speaker[s]))[: MAX_BANDS - 1])
        speakers = [s for s in speakers if s in busiest]
    result = [Band(by_speaker[s][0].speaker, COLOURS[i], by_speaker[s]) for i, s in enumerate(speakers)]
    others = [mark for mark in all_marks if mark.speaker_id not in speakers]
    if others:
        quieter = len(by_speaker) - len(speakers)
        result.append(Band(f"{quieter} other speakers", OTHERS_COLOUR, others, speakers=quieter))
    return result


def draw(title: str, all_marks: Sequence[Mark], href: Callable[[Mark], str], width: int | None) -> str:
    """The <svg> element: bands, then the axis, then the legend. `width` in pixels for a file; None on a page,
    where the strip fills its container."""
    if not all_marks:
        message = tag("text", {"x": 4, "y": 24, "fill": INK}, esc(describe(all_marks, [], 0)))
        return svg_element(title, describe(all_marks, [], 0), width, 40, message)
    dated = [mark.days for mark in all_marks if mark.days]
    undated = len(all_marks) - len(dated)
    scale = Scale.around(dated) if dated else None
    right = 100 - MARGIN - (UNDATED_ZONE if undated else 0)

    def x(day: float) -> float:
        """A day's place along the strip, in % of its width."""
        return MARGIN + scale.share(day) * (right - MARGIN)

    def extent(mark: Mark) -> tuple[float, float]:
        if mark.days is None:
            return (100 - MARGIN - UNDATED_ZONE / 2,) * 2
        if mark.precision is DatePrecision.day:
            return (x(mark.days[0] + .5),) * 2
        return x(mark.days[0]), x(mark.days[1])

    layout, y = [], 0
    for band in bands(all_marks):
        rows = pack([extent(mark) for mark in band.marks])
        height = LABEL + ROW * (max(rows) + 1) + 6
        layout.append((band, y, height, rows))
        y += height
    # Under the marks: the bands' shading, then the ticks; then names and marks.
    parts = [tag("rect", {"y": top, "width": "100%", "height": height, "fill": SHADE})
             for i, (_, top, height, _) in enumerate(layout) if i % 2]
    parts += [draw_tick(x(tick.day), tick.label, tick.year, y) for tick in scale.ticks(most=6)] if scale else []
    if undated:
        parts.append(draw_tick(100 - MARGIN - UNDATED_ZONE / 2, "no date", None, y))
    parts.append(tag("line", {"x1": 0, "x2": "100%", "y1": y, "y2": y, "stroke": MUTED}))
    for i, (band, top, height, rows) in enumerate(layout):
        marks_drawn = (draw_mark(mark, extent(mark), top + LABEL + ROW * row + ROW / 2, band.colour, href(mark))
                       for mark, row in zip(band.marks, rows))
        count = f"{len(band.marks)} statement{'s' if len(band.marks) != 1 else ''}"
        halo = SHADE if i % 2 else "#fff"  # the name stays legible where a grid line crosses it
        name = tag("text", {"x": 4, "y": top + 13, "font-weight": 600, "fill": INK, "stroke": halo,
                            "stroke-width": 3, "paint-order": "stroke", "aria-hidden": "true"},
                   band_name(band.label, width))
        group = {"role": "group", "aria-label": f"{band.label}: {count}", "fill": band.colour, **EDGE}  # the dots' colours
        parts.append(tag("g", group, name + "".join(marks_drawn)))
    legend, legend_height = draw_legend(all_marks, y + AXIS)
    description = describe(all_marks, [band for band, *_ in layout], undated)
    return svg_element(title, description, width, y + AXIS + legend_height, "".join(parts) + legend)


def svg_element(title: str, description: str, width, height: float, content: str) -> str:
    attributes = {
        "xmlns": "http://www.w3.org/2000/svg", "width": width or "100%", "height": height,
        "class": "overview-strip", "role": "graphics-document document",
        "aria-labelledby": "overview-title", "aria-describedby": "overview-desc",
        "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "font-size": 12,
    }
    heading = (tag("title", {"id": "overview-title"}, esc(f"Overview of the timeline: {title}"))
               + tag("desc", {"id": "overview-desc"}, esc(description)))
    shapes = tag("defs", {}, tag("circle", {"id": "overview-dot", "r": DOT}))
    background = tag("rect", {"width": "100%", "height": "100%", "fill": "#fff"})
    return tag("svg", attributes, heading + shapes + background + content)


def band_name(name: str, width: int | None) -> str:
    """A speaker's name cut to fit a phone, and longer on a wide screen (the stylesheet picks) or in a file."""
    short, long = clip(name, NAME_CHARS), clip(name, WIDE_NAME_CHARS)
    if width or short == long:  # a file has no stylesheet, and room for the longer cut
        return esc(long)
    return tag("tspan", {"class": "narrow"}, esc(short)) + tag("tspan", {"class": "wide"}, esc(long))


def pack(extents: list[tuple[float, float]]) -> list[int]:
    """A row for each mark (in order), so that no two marks in a row overlap at the phone's width."""
    room = (DOT + 1) * 100 / PHONE  # a mark's radius and a pixel of air, in % of the width
    ends: list[float] = []
    rows = []
    for left, right in extents:
        free = next((row for row, end in enumerate(ends) if end < left - room), None)
        if free is None and len(ends) < MAX_ROWS:
            free = len(ends)
            ends.append(float("-inf"))
        if free is None:
            free = min(range(len(ends)), key=ends.__getitem__)  # a crowd: overlap the row that ends first
        ends[free] = right + room
        rows.append(free)
    return rows or [0]


def draw_mark(mark: Mark, extent: tuple[float, float], y: float, colour: str, href: str) -> str:
    """A link to the statement: a dot for a day, a hollow bar over a month or a year; ringed in red when it
    holds an accusation no one answers yet. Its title names the speaker, the date and the statement.

    Written out rather than through tag(), which escapes every number too: a dispute of 1,000 statements
    drew in twice the time. The two strings that come from people, the link and the title, are escaped."""
    left, right = (f"{value:.2f}%" for value in extent)
    name = f"{mark.speaker}, {mark.date_label}: {mark.title}"
    if mark.unanswered:
        name += " (holds an accusation not answered yet)"
    if mark.precision in (DatePrecision.month, DatePrecision.year):
        shape = bar(left, right, y, UNANSWERED if mark.unanswered else colour)
    else:
        shape = f'<use href="#overview-dot" x="{left}" y="{y:g}"/>'  # see dot()
    ring = f' class="unanswered" stroke="{UNANSWERED}" stroke-width="{RING["stroke-width"]}"' if mark.unanswered else ""
    return f'<a href="{esc(href)}"{ring}><title>{esc(name)}</title>{shape}</a>'


def dot(x, y: float) -> str:
    """A day's mark: the one circle in <defs>, in the fill and stroke it inherits (its band's, its link's ring).
    A reference rather than a circle each: a dispute of 500 statements draws 500 of them."""
    return tag("use", {"href": "#overview-dot", "x": x, "y": y})


def bar(left, right, y: float, colour: str) -> str:
    """A hollow bar over a month or a year: its round ends keep it visible, however short the period is drawn."""
    line = {"x1": left, "x2": right, "y1": y, "y2": y, "stroke-linecap": "round"}
    return tag("line", {**line, "stroke": colour, "stroke-width": 2 * DOT}) + tag(
        "line", {**line, "stroke": "#fff", "stroke-width": 2 * DOT - 6})


def draw_tick(share: float, label: str, year: str | None, bottom: float) -> str:
    """A grid line across the bands, its label under them, and the year under that where it starts.
    Near an end of the strip, the label stands inside it rather than centred on the line."""
    x = f"{share:.2f}%"
    line = tag("line", {"x1": x, "x2": x, "y1": 0, "y2": bottom + 4, "stroke": GRID})
    near = share * PHONE / 100
    anchor = "start" if near < 24 else "end" if PHONE - near < 24 else "middle"
    nudge = {"start": -4, "end": 4, "middle": None}[anchor]
    text = tag("text", {"x": x, "dx": nudge, "y": bottom + 16, "text-anchor": anchor, "fill": MUTED}, esc(label))
    if year:
        text += tag("text", {"x": x, "dx": nudge, "y": bottom + 30, "text-anchor": anchor, "fill": INK,
                             "font-weight": 600}, esc(year))
    return tag("g", {"aria-hidden": "true"}, line + text)


def draw_legend(all_marks: Sequence[Mark], top: float) -> tuple[str, int]:
    """What the kinds of mark mean (those present), flowed into lines that fit a phone. Returns it and its height."""
    kinds = [("dot", "a statement, on its day")]
    if any(m.precision in (DatePrecision.month, DatePrecision.year) for m in all_marks):
        kinds.append(("bar", "dated to a month or a year"))
    if any(m.unanswered for m in all_marks):
        kinds.append(("ring", "holds an accusation not answered yet"))
    parts, x, line = [], 4, 0
    for kind, meaning in kinds:
        width = 2 * DOT + 24 + CHAR * len(meaning)
        if x > 4 and x + width > PHONE:
            x, line = 4, line + 1
        y = top + 10 + 20 * line
        if kind == "bar":
            parts.append(bar(x + DOT, x + DOT + 10, y, COLOURS[0]))
        else:
            parts.append(tag("g", {"fill": COLOURS[0], **(RING if kind == "ring" else EDGE)}, dot(x + DOT, y)))
        parts.append(tag("text", {"x": x + 2 * DOT + (14 if kind == "bar" else 6), "y": y + 4, "fill": INK},
                         esc(meaning)))
        x += width
    return tag("g", {"class": "legend"}, "".join(parts)), 20 * (line + 1) + 4


def describe(all_marks: Sequence[Mark], bands_drawn: list[Band], undated: int) -> str:
    """The picture in words, for the desc element."""
    if not all_marks:
        return "This dispute has no statements yet."
    dated = [m for m in all_marks if m.days]
    words = [f"{len(all_marks)} statement{'s' if len(all_marks) != 1 else ''}"]
    if dated and dated[0].date_label == dated[-1].date_label:
        words.append(f"on {dated[0].date_label}")
    elif dated:
        words.append(f"from {dated[0].date_label} to {dated[-1].date_label}")
    shared = bands_drawn[-1].speakers if bands_drawn[-1].speakers > 1 else 0
    words.append(f"in {len(bands_drawn)} band{'s' if len(bands_drawn) != 1 else ''}, one per speaker"
                 + (f" for the {len(bands_drawn) - 1} busiest and one for the {shared} others" if shared else "")
                 + ", dates to scale.")
    if undated:
        words.append(f"{undated} without a date stand at the right end.")
    unanswered = sum(m.unanswered for m in all_marks)
    if unanswered:
        verb = "holds" if unanswered == 1 else "hold"
        words.append(f"{unanswered} {verb} an accusation not answered yet, ringed in red.")
    return " ".join(words) + " Each mark links to its statement."


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
