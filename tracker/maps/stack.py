"""The response map top-down, for narrow screens: pure functions, no Flask, no database.

One claim per row, full width. Rows follow the thread: each claim, then what answers it
(in reading order), like replies under a post. Each response gets a line of its own above
its answer, where its label goes; its edge leaves from that line, runs up or down a lane
in the gutter on the left and ends with an arrow at the side of the claim it answers.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from .layout import Box, Edge

WIDTH = 340  # the drawing's width; a phone shows it about 1:1
MARGIN = 8
LANE_STEP = 7
LANES = 6  # edges beyond this many side by side share the outermost lane
BOX_X = MARGIN + LANES * LANE_STEP + 8
BOX_WIDTH = WIDTH - BOX_X - MARGIN
LABEL_LINE = 18  # the height of a response's label line
GAP_Y = 12
ARROW_STEP = 8


@dataclass(frozen=True)
class Path:
    """An edge: from its label line (x1, y1) left to its lane, along it, then right to the target."""
    x1: int
    y1: int
    lane_x: int
    y2: int
    x2: int


@dataclass(frozen=True)
class Stack:
    boxes: dict[Hashable, Box]
    label_tops: list[int]  # the top of each edge's label line, in the order of the edges
    width: int
    height: int


def thread(nodes: Sequence[Hashable], edges: Sequence[Edge]) -> list[Hashable]:
    """The rows' order: each claim that answers nothing drawn, followed depth first by its answers.

    A claim answering several is placed under the first of them reached; claims in a cycle
    that no root reaches start from the first of them in `nodes` order.
    """
    rank = {node: i for i, node in enumerate(nodes)}
    answers: dict[Hashable, list] = {node: [] for node in nodes}
    for answer, target in edges:
        answers[target].append(answer)
    answering = {answer for answer, _ in edges}
    seen, rows = set(), []
    for start in [n for n in nodes if n not in answering] + list(nodes):
        pending = [start]
        while pending:
            node = pending.pop()
            if node in seen:
                continue
            seen.add(node)
            rows.append(node)
            pending.extend(sorted(answers[node], key=rank.__getitem__, reverse=True))
    return rows


def stacked(nodes: Sequence[Hashable], edges: Sequence[Edge], heights: dict) -> Stack:
    """Rows top-down: each claim's label lines (one per response it makes), then its box."""
    rows = thread(nodes, edges)
    row = {node: i for i, node in enumerate(rows)}
    leaving: dict[Hashable, list[int]] = {node: [] for node in rows}
    arriving: dict[Hashable, int] = {node: 0 for node in rows}
    for i, (answer, target) in enumerate(edges):
        leaving[answer].append(i)
        arriving[target] += 1
    boxes, label_tops, y = {}, [0] * len(edges), MARGIN
    for node in rows:
        for i in sorted(leaving[node], key=lambda i: row[edges[i][1]]):
            label_tops[i] = y
            y += LABEL_LINE
        height = max(heights.get(node, 0), (arriving[node] + 1) * ARROW_STEP)
        boxes[node] = Box(BOX_X, y, BOX_WIDTH, height)
        y += height + GAP_Y
    return Stack(boxes, label_tops, WIDTH, y - GAP_Y + MARGIN)


def paths(plan: Stack, edges: Sequence[Edge]) -> list[Path]:
    """Each edge's path; arrows reach a box's side spread out in the order of their answers."""
    arriving: dict[Hashable, list[int]] = {}
    for i, (_, target) in enumerate(edges):
        arriving.setdefault(target, []).append(i)
    end = {}
    for target, incoming in arriving.items():
        box = plan.boxes[target]
        incoming.sort(key=lambda i: plan.label_tops[i])
        for k, i in enumerate(incoming, start=1):
            end[i] = box.y + round(box.height * k / (len(incoming) + 1))
    starts = [top + LABEL_LINE // 2 for top in plan.label_tops]
    lane = lanes([(min(starts[i], end[i]), max(starts[i], end[i])) for i in range(len(edges))])
    return [Path(BOX_X - 3, starts[i], BOX_X - 8 - lane[i] * LANE_STEP, end[i], BOX_X) for i in range(len(edges))]


def lanes(spans: list[tuple[int, int]]) -> list[int]:
    """A lane for each vertical span: the innermost free one, short spans first (they nest inside long ones)."""
    taken: list[list[tuple[int, int]]] = [[] for _ in range(LANES)]
    result = [LANES - 1] * len(spans)
    for i in sorted(range(len(spans)), key=lambda i: (spans[i][1] - spans[i][0], spans[i][0])):
        low, high = spans[i]
        for lane, used in enumerate(taken):
            if all(high + 2 < a or b + 2 < low for a, b in used):
                used.append(spans[i])
                result[i] = lane
                break
    return result
