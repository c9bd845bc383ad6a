"""The response map: the dispute drawn as a graph, on the page and as a download."""

import re
import signal
import xml.etree.ElementTree as ET
from collections import deque
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import url_for

from tracker.db import db
from tracker.disputes.queries import PAGE_CLAIMS
from tracker.maps import layout, stack
from tracker.maps.svg import RELATIONS
from tracker.models import Actor, Claim, ClaimKind, Relation, Response

from . import factories as make
from .database import count_queries

SEED_MAP = "/disputes/china-latin-america-cooperation-2020/map"
SVG = "{http://www.w3.org/2000/svg}"
ACCUSATIONS = {"pompeo-accuses-cooperation", "pompeo-geopolitical-aims", "pompeo-opaque-practices",
               "pompeo-local-harm", "pompeo-no-real-benefit"}
HOSTILE = '<script>alert(1)</script>" onload="x'
EMBASSY = "Embassy of the People's Republic of China in Jamaica"


def drawings(page: str) -> dict[str, ET.Element]:
    """The drawings inside the HTML page's map frame, parsed as XML, by class: "map" (wide), "map-narrow"."""
    match = re.search(r'<div class="map-frame[^"]*">(.*?)</div>', page, re.S)
    assert match, "no map on the page"
    found = {svg.get("class"): svg for svg in ET.fromstring(f"<frame>{match.group(1)}</frame>")}
    assert set(found) <= {"map", "map-narrow"} and "map-narrow" in found
    return found


def inline_svg(page: str) -> ET.Element:
    """The wide drawing on the page."""
    return drawings(page)["map"]


def download(client, slug: str, query: str = ""):
    response = client.get(f"/disputes/{slug}/map.svg{query}")
    assert response.status_code == 200
    return response, ET.fromstring(response.get_data())


def nodes(svg: ET.Element) -> dict[str, ET.Element]:
    """Each drawn claim's link, by claim slug (a claim drawn twice fails here)."""
    links = svg.findall(f".//{SVG}a")
    slugs = [link.get("data-claim") for link in links]
    assert len(slugs) == len(set(slugs)), "a claim is drawn more than once"
    return dict(zip(slugs, links))


def edges(svg: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {(p.get("data-answer"), p.get("data-target")): p for p in svg.iter(f"{SVG}path") if p.get("data-answer")}


def words(element: ET.Element) -> str:
    """An element's text as read: its lines (tspans) joined by spaces."""
    return " ".join(part for part in element.itertext() if part.strip())


# A label's box is estimated generously: every letter 0.65 em wide (1 em for the widest), 1 em above
# the baseline and 0.25 em below; what a browser draws is smaller (tests/test_browser_map.py measures it).
def text_width(text: str, size: float) -> float:
    return sum(1.0 if char in "mwMW@%…—" else 0.65 for char in text) * size


def label_boxes(svg: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, (left, top, right, bottom)) of every relation label."""
    boxes = []
    for label in svg.iter(f"{SVG}text"):
        if label.get("class") != "map-label":
            continue
        x, y, size = float(label.get("x")), float(label.get("y")), float(label.get("font-size"))
        width = text_width(label.text, size)
        left = x - width if label.get("text-anchor") == "end" else x
        boxes.append((label.text, (left, y - size, left + width, y + 0.25 * size)))
    return boxes


def node_boxes(svg: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    boxes = []
    for slug, link in nodes(svg).items():
        rect = link.find(f"{SVG}rect")
        x, y = float(rect.get("x")), float(rect.get("y"))
        boxes.append((slug, (x, y, x + float(rect.get("width")), y + float(rect.get("height")))))
    return boxes


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_no_label_overlaps(svg: ET.Element) -> int:
    """No two labels intersect, and no label intersects a claim's box; returns how many labels there are."""
    labels, boxes = label_boxes(svg), node_boxes(svg)
    for i, (text, box) in enumerate(labels):
        for other, other_box in labels[i + 1:]:
            assert not overlap(box, other_box), f"labels {text!r} {box} and {other!r} {other_box} overlap"
        for slug, node_box in boxes:
            assert not overlap(box, node_box), f"label {text!r} {box} lies on the box of {slug} {node_box}"
    return len(labels)


def seed_responses() -> list[tuple[str, str, Relation]]:
    answer, target = sa.orm.aliased(Claim), sa.orm.aliased(Claim)
    query = (sa.select(answer.slug, target.slug, Response.relation)
             .join(answer, Response.claim_id == answer.id).join(target, Response.target_id == target.id))
    return [tuple(row) for row in db.session.execute(query)]


def test_the_page_shows_the_map_a_legend_and_its_ways_out(client, seeded):
    page = client.get(SEED_MAP).get_data(as_text=True)
    assert "<h1>Response map: China&#39;s cooperation" in page
    for relation in Relation:
        assert f"<strong>{relation.value}</strong>" in page
    assert 'href="/disputes/china-latin-america-cooperation-2020">Back to the timeline</a>' in page
    assert 'href="/disputes/china-latin-america-cooperation-2020/map.svg" download>' in page
    assert "17 claims, 16 responses." in page
    for svg in drawings(page).values():  # drawn in its own units, scaled to the frame by the page
        assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"
    assert '<div class="map-frame map-wide-from-50">' in page  # the wide drawing from 50rem (800 px) up


def test_the_download_is_a_standalone_accessible_svg_document(client, seeded):
    response, svg = download(client, seeded)
    assert response.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{seeded}-map.svg"'
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.tag == f"{SVG}svg"
    assert svg.get("aria-labelledby") == "map-title" and svg.get("aria-describedby") == "map-desc"
    assert svg.find(f"{SVG}title").text.startswith("Response map: China's cooperation")
    assert "17 claims and 16 responses" in svg.find(f"{SVG}desc").text
    # The site's Content-Security-Policy allows no inline styles: presentation attributes only.
    assert "<style" not in text and not re.search(r"\sstyle=", text)


def test_the_accusations_are_the_roots_in_the_leftmost_column(client, seeded):
    svg = inline_svg(client.get(SEED_MAP).get_data(as_text=True))
    left = {slug: int(link.find(f"{SVG}rect").get("x")) for slug, link in nodes(svg).items()}
    leftmost = min(left.values())
    assert {slug for slug, x in left.items() if x == leftmost} == ACCUSATIONS


def test_every_claim_is_drawn_once_and_links_to_its_page(client, seeded):
    page = drawings(client.get(SEED_MAP).get_data(as_text=True))
    for svg, external in ((page["map"], False), (page["map-narrow"], False), (download(client, seeded)[1], True)):
        drawn = nodes(svg)
        slugs = set(db.session.scalars(sa.select(Claim.slug)))
        assert set(drawn) == slugs and len(slugs) == 17
        for slug, link in drawn.items():
            assert link.get("href") == url_for("claims.detail", dispute_slug=seeded, slug=slug, _external=external)
        # The summary is the link's text; the full summary is its <title>.
        link = drawn["embassy-groundless"]
        assert link.find(f"{SVG}title").text.startswith("The accusation is groundless; the embassy strongly")
        assert "".join(link.find(f"{SVG}text").itertext()).startswith("The accusation is groundless;")


def test_one_edge_per_response_in_the_colour_and_dash_of_its_relation(client, seeded):
    svg = inline_svg(client.get(SEED_MAP).get_data(as_text=True))
    drawn = edges(svg)
    responses = seed_responses()
    assert len(responses) == 16 and set(drawn) == {(a, t) for a, t, _ in responses}
    for answer, target, relation in responses:
        path = drawn[answer, target]
        assert path.get("data-relation") == relation.value
        assert path.get("stroke") == RELATIONS[relation].colour
        assert path.get("stroke-dasharray") == RELATIONS[relation].dash
        assert path.get("marker-end") == f"url(#map-arrow-{relation.value})"
        assert svg.find(f".//{SVG}marker[@id='map-arrow-{relation.value}']") is not None
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text in {r.value for r in Relation}]
    assert sorted(labels) == sorted(r.value for _, _, r in responses)  # not colour alone: the word too
    # Top down, the label also names what is answered (it may be far up or down the drawing).
    narrow = drawings(client.get(SEED_MAP).get_data(as_text=True))["map-narrow"]
    assert set(edges(narrow)) == set(drawn)
    assert "denies: China's projects harm the env…" in [text for text, _ in label_boxes(narrow)]
    assert len({(s.colour, s.dash) for s in RELATIONS.values()}) == len({s.dash for s in RELATIONS.values()}) == 6


def test_reconstructed_claims_are_drawn_dashed_and_labelled(client, seeded):
    drawn = nodes(inline_svg(client.get(SEED_MAP).get_data(as_text=True)))
    for slug, link in drawn.items():
        rect, byline = link.find(f"{SVG}rect"), words(link.findall(f"{SVG}text")[-1])
        if slug in ACCUSATIONS:
            assert rect.get("stroke-dasharray") and byline == "reconstructed · Michael R. Pompeo"
        else:
            assert rect.get("stroke-dasharray") is None and "reconstructed" not in byline


def test_a_hostile_summary_comes_out_as_text(client, app):
    d = make.dispute("hostile")
    d.title = HOSTILE
    s = make.statement(d, "s")
    s.speaker.name = HOSTILE
    target = make.claim(s, "target", summary=HOSTILE)
    make.response(make.claim(s, "answer", summary="x & y"), target)
    db.session.commit()
    page = client.get("/disputes/hostile/map").get_data(as_text=True)
    assert "<script>" not in page and '" onload="x' not in page
    for svg in (*drawings(page).values(), download(client, "hostile")[1]):
        link = nodes(svg)["target"]
        assert link.find(f"{SVG}title").text == f"{HOSTILE} ({HOSTILE})"
        assert link.get("onload") is None and not svg.findall(f".//{SVG}script")
        assert "".join(link.find(f"{SVG}text").itertext()).startswith("<script>alert(1)</script>")


def synthetic_graph(size: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Five roots; each later claim answers one or two earlier ones; plus a cycle (A rebuts B, B rebuts A)."""
    edges = set()
    for answer in range(5, size):
        edges.add((answer, (answer * 37 + 11) % answer))
        if answer % 3 == 0:
            edges.add((answer, answer // 2))
    edges |= {(size - 1, size - 2), (size - 2, size - 1)}
    return list(range(size)), sorted(edges)


def test_150_claims_get_boxes_that_never_overlap_and_all_hang_from_a_root():
    claims, edges = synthetic_graph(150)
    plan = layout.layered(claims, edges, {c: 60 + c % 4 * 10 for c in claims})  # boxes of unequal heights
    boxes = list(plan.boxes.values())
    assert len(boxes) == 150
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1:]), box
        assert 0 < box.x and box.x + box.width < plan.width and 0 < box.y and box.y + box.height < plan.height
    assert {c for c in claims if plan.columns[c] == 0} == set(range(5))
    # No column drifts below the tallest one: the picture is as short as its tallest column.
    stacks = {c: [plan.boxes[n].height + layout.GAP_Y for n in claims if plan.columns[n] == c] for c in plan.columns.values()}
    assert plan.height == 2 * layout.MARGIN + max(map(sum, stacks.values())) - layout.GAP_Y
    answers = {c: [a for a, t in edges if t == c and (a, t) not in plan.back_edges] for c in claims}
    reached, todo = set(range(5)), deque(range(5))
    while todo:
        for answer in answers[todo.popleft()]:
            if answer not in reached:
                reached.add(answer)
                todo.append(answer)
    assert reached == set(claims)
    for answer, target in edges:
        if (answer, target) not in plan.back_edges:
            assert plan.columns[answer] > plan.columns[target]  # every arrow points left


def test_an_answer_to_several_claims_is_one_node_right_of_the_furthest():
    plan = layout.layered(["a", "b", "c"], [("b", "a"), ("c", "a"), ("c", "b")])
    assert plan.columns == {"a": 0, "b": 1, "c": 2}  # the longest path from the root
    assert len(plan.boxes) == 3
    routes = layout.routes(plan, [("b", "a"), ("c", "a"), ("c", "b")])
    assert all(route.forward and route.x1 > route.x2 for route in routes)


def test_top_down_each_claim_is_followed_by_its_answers():
    # b and c answer a; d answers b and c (placed once, under b, the first reached); e answers nothing drawn.
    order = stack.thread(["a", "e", "b", "c", "d"], [("b", "a"), ("c", "a"), ("d", "b"), ("d", "c")])
    assert order == ["a", "b", "d", "c", "e"]


def test_top_down_boxes_and_label_lines_never_overlap_and_lanes_never_share_a_stretch():
    claims, edges = synthetic_graph(150)
    plan = stack.stacked(claims, edges, {c: 60 + c % 4 * 10 for c in claims})
    rows = sorted([(box.y, box.y + box.height) for box in plan.boxes.values()]
                  + [(top, top + stack.LABEL_LINE) for top in plan.label_tops])
    assert len(rows) == 150 + len(edges)
    assert all(end <= start for (_, end), (start, _) in zip(rows, rows[1:]))
    assert all(box.x + box.width <= plan.width for box in plan.boxes.values())
    lanes: dict[int, list] = {}
    for way in stack.paths(plan, edges):
        lanes.setdefault(way.lane_x, []).append(sorted((way.y1, way.y2)))
        assert 0 < way.lane_x < stack.BOX_X
    shared = min(lanes)  # the outermost lane takes what the others cannot; no other lane is shared
    for x, spans in lanes.items():
        spans.sort()
        assert x == shared or all(a[1] < b[0] for a, b in zip(spans, spans[1:])), x


def test_top_down_cycles_do_not_hang():
    with deadline(5):
        assert stack.thread(["a", "b"], [("a", "b"), ("b", "a")]) == ["a", "b"]
        plan = stack.stacked(["a", "b"], [("a", "b"), ("b", "a")], {})
    assert len(plan.boxes) == 2 and len(plan.label_tops) == 2


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging."""
    def expire(*_):
        raise TimeoutError("the layout did not finish")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_response_cycles_do_not_hang_the_layout():
    with deadline(5):
        alone = layout.layered(["a", "b"], [("a", "b"), ("b", "a")])  # no root at all
        hanging = layout.layered(["r", "a", "b", "c"], [("a", "r"), ("b", "a"), ("c", "b"), ("a", "c")])
    assert alone.columns == {"a": 0, "b": 1} and len(alone.back_edges) == 1
    assert hanging.columns == {"r": 0, "a": 1, "b": 2, "c": 3} and hanging.back_edges == {("a", "c")}
    back = [r for r in layout.routes(hanging, [("a", "c")])][0]
    assert not back.forward and back.x1 < back.x2  # drawn left to right, from a to c


def test_a_response_cycle_is_drawn_on_the_page(client, app):
    d = make.dispute("cycle")
    s = make.statement(d, "s")
    a, b = make.claim(s, "a"), make.claim(s, "b")
    make.response(a, b)
    make.response(b, a, Relation.counters)
    db.session.commit()
    with deadline(5):
        svg = inline_svg(client.get("/disputes/cycle/map").get_data(as_text=True))
    assert set(nodes(svg)) == {"a", "b"} and set(edges(svg)) == {("a", "b"), ("b", "a")}


def test_a_dispute_without_responses_says_so(client, app):
    d = make.dispute("quiet")
    make.claim(make.statement(d, "s"), "lonely", kind=ClaimKind.accusation)
    db.session.commit()
    page = client.get("/disputes/quiet/map").get_data(as_text=True)
    assert "No claim of this dispute answers another yet, so there is no map to draw." in page
    assert "It has 1 claim, none answered." in page
    assert 'class="map-frame"' not in page
    _, svg = download(client, "quiet")
    assert svg.tag == f"{SVG}svg" and not svg.findall(f".//{SVG}a")
    assert "No claim of this dispute answers another yet." in "".join(svg.itertext())


def test_claims_outside_every_response_are_counted_not_drawn(client, app):
    d = make.dispute("some")
    s = make.statement(d, "s")
    make.response(make.claim(s, "a"), make.claim(s, "b"))
    make.claim(s, "aside")
    db.session.commit()
    page = client.get("/disputes/some/map").get_data(as_text=True)
    assert "2 claims, 1 response; 1 claim that answers nothing and that nothing answers is not drawn." in page
    assert set(nodes(inline_svg(page))) == {"a", "b"}


def build_dispute(slug: str, claims: int) -> None:
    """Five accusations and answers to them and to each other, with every relation."""
    d = make.dispute(slug)
    accuser, answerer = make.statement(d, "accusation"), make.statement(d, "answer")
    made = [make.claim(accuser, f"r{i}", kind=ClaimKind.accusation) for i in range(5)]
    relations = list(Relation)
    for i in range(claims - 5):
        answer = make.claim(answerer, f"a{i}")
        for target in {made[(i * 7) % len(made)], made[i // 2]}:
            make.response(answer, target, relations[i % len(relations)])
        made.append(answer)
    db.session.commit()


@pytest.mark.parametrize("url", ["/disputes/{slug}/map", "/disputes/{slug}/map.svg"])
def test_query_count_does_not_grow_with_the_dispute(client, app, url):
    build_dispute("small", claims=10)
    build_dispute("large", claims=150)
    small = count_queries(lambda: client.get(url.format(slug="small")))
    large = count_queries(lambda: client.get(url.format(slug="large")))
    assert small == large
    response = client.get(url.format(slug="large"))
    assert response.status_code == 200
    assert "150 claims and" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/disputes/no-such-thing/map", "/disputes/no-such-thing/map.svg"])
def test_an_unknown_dispute_is_a_404(client, app, url):
    assert client.get(url).status_code == 404


def test_labels_never_overlap_each_other_or_a_box_on_the_seed(client, seeded):
    page = drawings(client.get(SEED_MAP).get_data(as_text=True))
    for svg in page.values():
        assert assert_no_label_overlaps(svg) == 16
    # The five denials of one claim each have a line of their own.
    groundless = [box for text, box in label_boxes(page["map"]) if text == "denies"]
    assert len(groundless) == 5 and len({top for _, top, _, _ in groundless}) == 5


def test_labels_never_overlap_on_a_generated_150_claim_dispute(client, app):
    build_dispute("big", claims=150)
    first, last = (db.session.scalar(sa.select(Claim).where(Claim.slug == slug)) for slug in ("r0", "a144"))
    make.response(first, last, Relation.concedes)  # a cycle: its edge runs backwards, its label on the other side
    db.session.commit()
    wide = download(client, "big")[1]
    narrow = drawings(client.get("/disputes/big/map").get_data(as_text=True))["map-narrow"]
    for svg in (wide, narrow):
        assert len(nodes(svg)) == 150
        assert assert_no_label_overlaps(svg) == len(edges(svg)) > 250
    assert any(label.get("text-anchor") == "start" for label in wide.iter(f"{SVG}text"))  # the backward one


def test_speakers_are_named_in_full(client, seeded):
    """Not cut: wrapped to a second line in the box, and in the link's title for screen readers and hovering."""
    for svg in drawings(client.get(SEED_MAP).get_data(as_text=True)).values():
        link = nodes(svg)["embassy-groundless"]
        assert link.find(f"{SVG}title").text == f"The accusation is groundless; the embassy strongly objects to it ({EMBASSY})"
        assert words(link.findall(f"{SVG}text")[-1]) == EMBASSY
        assert min(float(text.get("font-size")) for text in svg.iter(f"{SVG}text")) >= 12


def two_pages_of_claims() -> None:
    """An accusation of 100 claims and an answer of 100, one answering each: 200 claims, more than a page."""
    d = make.dispute("long")
    accusation = make.statement(d, "accusation", date=make.dt.date(2020, 1, 1))
    answer = make.statement(d, "answer", date=make.dt.date(2020, 2, 1))
    accused = [make.claim(accusation, f"q{i:03}", kind=ClaimKind.accusation, quote_start=i, quote_end=i + 10) for i in range(100)]
    for i, target in enumerate(accused):
        make.response(make.claim(answer, f"r{i:03}", quote_start=i, quote_end=i + 10), target, Relation.denies)
    db.session.commit()


def timeline_claims(page: str) -> set[str]:
    return set(re.findall(r'<article[^>]* id="claim-([a-z0-9-]+)"', page))


def test_a_long_dispute_has_a_map_page_per_timeline_page(client, app):
    two_pages_of_claims()
    first = client.get("/disputes/long/map").get_data(as_text=True)
    timeline = client.get("/disputes/long").get_data(as_text=True)
    assert len(timeline_claims(timeline)) == PAGE_CLAIMS
    after = re.search(r'<a rel="next" href="/disputes/long\?after=([0-9.]+)"', timeline).group(1)
    assert f'<a rel="next" href="/disputes/long/map?after={after}">Next page of the map</a>' in first
    drawn = nodes(drawings(first)["map-narrow"])
    assert set(drawn) == timeline_claims(timeline)  # every claim of the timeline page answers or is answered
    # Claims answered from the next page say so.
    assert words(drawn["q099"].findall(f"{SVG}text")[-1]).endswith("1 more answer on other pages")

    second = client.get(f"/disputes/long/map?after={after}").get_data(as_text=True)
    later_timeline = client.get(f"/disputes/long?after={after}").get_data(as_text=True)
    assert f'<a href="/disputes/long/map?after={after}">Response map</a>' in later_timeline  # this page's map
    later = timeline_claims(later_timeline)
    assert len(later) == 50 and 'rel="next"' not in second
    drawn = nodes(drawings(second)["map-narrow"])
    elsewhere = {slug for slug, link in drawn.items() if "elsewhere" in link.get("class")}
    assert set(drawn) - elsewhere == later
    assert elsewhere == {f"q{i:03}" for i in range(50, 100)}  # what they answer, drawn dotted
    assert "on another page · " in words(drawn["q050"].findall(f"{SVG}text")[-1])
    assert "50 claims, 50 responses; 50 claims of other pages." in second
    assert '<a href="/disputes/long/map">First page</a>' in second

    response, svg = download(client, "long", f"?after={after}")
    assert set(nodes(svg)) == set(drawn)  # the download is the page's map
    assert response.headers["Content-Disposition"] == f'attachment; filename="long-map-after-{after}.svg"'


@pytest.mark.parametrize("after", ["x", "1.2.3", "99999", "-1", "1." + "9" * 30])
@pytest.mark.parametrize("url", ["/disputes/{slug}/map", "/disputes/{slug}/map.svg"])
def test_a_position_that_is_not_one_is_a_400(client, seeded, url, after):
    response = client.get(url.format(slug=seeded), query_string={"after": after})
    assert response.status_code == 400
    assert 'The &#34;after&#34; parameter is not a position in this timeline.' in response.get_data(as_text=True)


def test_no_map_is_over_1_mb(client, app):
    """The worst a page can hold: 150 claims of the longest summary by the longest name, answering
    each other and claims of the page before, up to the limits."""
    d = make.dispute("heavy")
    speaker = Actor(slug="long-name", name="N" * 200, kind=make.ActorKind.person)
    before = make.statement(d, "before", date=make.dt.date(2020, 1, 1), speaker=speaker)
    earlier = [make.claim(before, f"e{i:03}", summary="W" * 300, quote_start=i, quote_end=i + 10) for i in range(PAGE_CLAIMS)]
    after = make.statement(d, "after", date=make.dt.date(2020, 2, 1), speaker=speaker)
    made = []
    for i in range(PAGE_CLAIMS):
        claim = make.claim(after, f"c{i:03}", summary="W" * 300, quote_start=i, quote_end=i + 10)
        for target in [*made[-3:], earlier[i % 60]]:
            make.response(claim, target, Relation.qualifies)
        made.append(claim)
    db.session.commit()
    timeline = client.get("/disputes/heavy").get_data(as_text=True)
    page = re.search(r'<a rel="next" href="/disputes/heavy\?after=([0-9.]+)"', timeline).group(1)
    html = client.get(f"/disputes/heavy/map?after={page}").get_data()
    svg = client.get(f"/disputes/heavy/map.svg?after={page}").get_data()
    # 594 responses; those to the 10 claims of the page before beyond the 50 drawn are not.
    assert b"150 claims, 574 responses; 50 claims of other pages; 20 more responses of these claims are not drawn" in html
    assert len(html) < 1_000_000 and len(svg) < 1_000_000, (len(html), len(svg))
