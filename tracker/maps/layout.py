"""Where each claim goes on the response map: pure functions, no Flask, no database.

Nodes are any hashable keys (the map uses claim ids); an edge is a pair
(answer, target). The map reads left to right: a claim that answers nothing (an
accusation) is a root in column 0, and every other claim sits one column right of
the furthest of its targets (the longest path from a root). So every arrow points
left, from an answer back to what it answers, and an answer to an answer is always
right of both.

Boxes have the height their text needs, and at least room for one relation label
per response leaving a side (PORT_STEP apart), so labels never sit on each other.
"""

from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

BOX_WIDTH = 280
BOX_HEIGHT = 84  # when no height is given
GAP_X = 150  # room for the curves, and for a relation label from each side of the gap side by side
GAP_Y = 14
MARGIN = 16
PORT_STEP = 18  # between the ends of two edges on one side of a box: more than a label's height
ARROW_STEP = 8  # between two arrowheads on a side no label leaves from

Edge = tuple[Hashable, Hashable]  # (answer, target)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int = BOX_WIDTH
    height: int = BOX_HEIGHT

    def overlaps(self, other: "Box") -> bool:
        return (self.x < other.x + other.width and other.x < self.x + self.width
                and self.y < other.y + other.height and other.y < self.y + self.height)


@dataclass(frozen=True)
class Route:
    """Where an edge leaves its answer and reaches its target; forward edges point left."""
    x1: int
    y1: int
    x2: int
    y2: int
    forward: bool


@dataclass(frozen=True)
class Layout:
    columns: dict[Hashable, int]
    boxes: dict[Hashable, Box]
    back_edges: frozenset[Edge]  # the responses that close a cycle
    width: int
    height: int


def layered(nodes: Sequence[Hashable], edges: Sequence[Edge], heights: dict | None = None) -> Layout:
    """Columns by longest path from the roots, then rows; `nodes` gives the order of ties."""
    nodes = list(dict.fromkeys(nodes))
    back = back_edges(nodes, edges)
    kept = [edge for edge in edges if edge not in back]
    column = columns(nodes, kept)
    boxes = place(nodes, kept, column, port_room(nodes, edges, back, heights or {}))
    width = max((box.x + box.width for box in boxes.values()), default=0) + MARGIN
    height = max((box.y + box.height for box in boxes.values()), default=0) + MARGIN
    return Layout(column, boxes, frozenset(back), width, height)


def back_edges(nodes: list, edges: Sequence[Edge]) -> set[Edge]:
    """The edges that close a cycle (A rebuts B, B rebuts A); without them the graph is a DAG.

    A depth-first walk from the roots along "is answered by"; an edge back to a claim
    still on the walk's path closes a cycle. A cycle no root leads to is entered at
    its first node in `nodes` order.
    """
    answers = {node: [] for node in nodes}
    answers_something = set()
    for answer, target in edges:
        answers[target].append(answer)
        answers_something.add(answer)
    roots = [node for node in nodes if node not in answers_something]
    on_path, done, back = set(), set(), set()
    for start in roots + nodes:
        if start in on_path or start in done:
            continue
        on_path.add(start)
        stack = [(start, iter(answers[start]))]
        while stack:  # iterative: a chain of 1,000 answers must not hit the recursion limit
            node, pending = stack[-1]
            child = next(pending, _END)
            if child is _END:
                stack.pop()
                on_path.discard(node)
                done.add(node)
            elif child in on_path:
                back.add((child, node))
            elif child not in done:
                on_path.add(child)
                stack.append((child, iter(answers[child])))
    return back


_END = object()


def port_room(nodes: list, edges: Sequence[Edge], back: set, heights: dict) -> dict[Hashable, int]:
    """Each node's height: what it asks for, and room on each side for the ends of its edges.

    A side where responses leave carries their labels: its ends are PORT_STEP apart. A side
    where they only arrive needs room for the arrowheads alone.
    """
    ends: dict[tuple, list[int]] = {}  # (node, side) -> [edges leaving, edges arriving]
    for edge in edges:
        forward = edge not in back
        ends.setdefault((edge[0], "left" if forward else "right"), [0, 0])[0] += 1
        ends.setdefault((edge[1], "right" if forward else "left"), [0, 0])[1] += 1
    room = {node: heights.get(node, BOX_HEIGHT) for node in nodes}
    for (node, _side), (leaving, arriving) in ends.items():
        step = PORT_STEP if leaving else ARROW_STEP
        room[node] = max(room[node], (leaving + arriving + 1) * step)
    return room


def columns(nodes: list, dag: Sequence[Edge]) -> dict[Hashable, int]:
    """Each node's longest distance from a root (Kahn's topological order); `dag` has no cycle."""
    column = {node: 0 for node in nodes}
    answers = {node: [] for node in nodes}
    waiting = {node: 0 for node in nodes}  # targets not yet placed
    for answer, target in dag:
        answers[target].append(answer)
        waiting[answer] += 1
    ready = deque(node for node in nodes if waiting[node] == 0)
    while ready:
        target = ready.popleft()
        for answer in answers[target]:
            column[answer] = max(column[answer], column[target] + 1)
            waiting[answer] -= 1
            if waiting[answer] == 0:
                ready.append(answer)
    return column


def place(nodes: list, dag: Sequence[Edge], column: dict, height: dict) -> dict[Hashable, Box]:
    """Stack each column's boxes, each near what it answers, then pull targets level with their answers.

    A column is ordered by the mean height of its targets (fewer crossings). No
    column reaches below the tallest stack, so the picture stays as short as it can be.
    """
    targets = {node: [] for node in nodes}
    answers = {node: [] for node in nodes}
    for answer, target in dag:
        targets[answer].append(target)
        answers[target].append(answer)
    stacks: dict[int, list] = {}
    for node in nodes:
        stacks.setdefault(column[node], []).append(node)
    bottom = MARGIN + max((sum(height[n] + GAP_Y for n in stack) for stack in stacks.values()), default=0) - GAP_Y
    top: dict[Hashable, int] = {}
    for c in sorted(stacks):
        if c > 0:  # every node right of column 0 has a target further left, already placed
            stacks[c].sort(key=lambda node: mean(top[t] for t in targets[node]))
        sweep(stacks[c], top, height, bottom, lambda node: mean(top[t] for t in targets[node]) if c > 0 else 0)
    for c in sorted(stacks, reverse=True)[1:]:
        sweep(stacks[c], top, height, bottom,
              lambda node: mean(top[a] for a in answers[node]) if answers[node] else top[node])
    return {node: Box(MARGIN + column[node] * (BOX_WIDTH + GAP_X), top[node], height=height[node]) for node in nodes}


def sweep(stack: list, top: dict, height: dict, bottom: int, wanted) -> None:
    """Give each node of a column its wanted top, as near as the nodes above and below allow.

    Down the column no box starts before the one above ends; then up the column no box
    ends after `bottom` or after the one below starts. Both keep the order and the gaps,
    so boxes never overlap.
    """
    floor = MARGIN
    for node in stack:
        top[node] = max(wanted(node), floor)
        floor = top[node] + height[node] + GAP_Y
    ceiling = bottom
    for node in reversed(stack):
        top[node] = min(top[node], ceiling - height[node])
        ceiling = top[node] - GAP_Y


def mean(values) -> int:
    values = list(values)
    return round(sum(values) / len(values))


def routes(plan: Layout, edges: Sequence[Edge]) -> list[Route]:
    """Each edge's end points, spread along the boxes' sides in the order of the other ends' heights."""
    ends: dict[tuple, list] = {}  # (node, side) -> edges meeting that side
    for answer, target in edges:
        forward = (answer, target) not in plan.back_edges
        ends.setdefault((answer, "left" if forward else "right"), []).append((answer, target))
        ends.setdefault((target, "right" if forward else "left"), []).append((answer, target))
    port: dict[tuple, int] = {}  # (node, edge) -> y where the edge meets the node's box
    for (node, _side), meeting in ends.items():
        box = plan.boxes[node]
        meeting.sort(key=lambda edge: plan.boxes[edge[1] if edge[0] == node else edge[0]].y)
        for i, edge in enumerate(meeting, start=1):
            port[node, edge] = box.y + round(box.height * i / (len(meeting) + 1))
    result = []
    for answer, target in edges:
        a, t = plan.boxes[answer], plan.boxes[target]
        forward = (answer, target) not in plan.back_edges
        x1, x2 = (a.x, t.x + t.width) if forward else (a.x + a.width, t.x)
        result.append(Route(x1, port[answer, (answer, target)], x2, port[target, (answer, target)], forward))
    return result
