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
from tracker.maps import layout
from tracker.maps.svg import RELATIONS
from tracker.models import Claim, ClaimKind, Relation, Response

from . import factories as make
from .database import count_queries

SEED_MAP = "/disputes/china-latin-america-cooperation-2020/map"
SVG = "{http://www.w3.org/2000/svg}"
ACCUSATIONS = {"pompeo-accuses-cooperation", "pompeo-geopolitical-aims", "pompeo-opaque-practices",
               "pompeo-local-harm", "pompeo-no-real-benefit"}
HOSTILE = '<script>alert(1)</script>" onload="x'


def inline_svg(page: str) -> ET.Element:
    """The map drawn inside the HTML page, parsed as XML."""
    match = re.search(r'<div class="map-frame">(<svg.*?</svg>)</div>', page, re.S)
    assert match, "no map on the page"
    return ET.fromstring(match.group(1))


def download(client, slug: str):
    response = client.get(f"/disputes/{slug}/map.svg")
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
    svg = inline_svg(page)
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"


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
    for svg, external in ((inline_svg(client.get(SEED_MAP).get_data(as_text=True)), False),
                          (download(client, seeded)[1], True)):
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
        assert path.get("marker-end") == f"url(#arrow-{relation.value})"
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text in {r.value for r in Relation}]
    assert sorted(labels) == sorted(r.value for _, _, r in responses)  # not colour alone: the word too
    assert len({(s.colour, s.dash) for s in RELATIONS.values()}) == len({s.dash for s in RELATIONS.values()}) == 6


def test_reconstructed_claims_are_drawn_dashed_and_labelled(client, seeded):
    drawn = nodes(inline_svg(client.get(SEED_MAP).get_data(as_text=True)))
    for slug, link in drawn.items():
        rect, byline = link.find(f"{SVG}rect"), link.findall(f"{SVG}text")[-1].text
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
    for svg in (inline_svg(page), download(client, "hostile")[1]):
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
    plan = layout.layered(claims, edges)
    boxes = list(plan.boxes.values())
    assert len(boxes) == 150
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1:]), box
        assert 0 < box.x and box.x + box.width < plan.width and 0 < box.y and box.y + box.height < plan.height
    assert {c for c in claims if plan.columns[c] == 0} == set(range(5))
    # No column drifts below the tallest one: the picture is as short as its tallest column.
    tallest = max(list(plan.columns.values()).count(c) for c in set(plan.columns.values()))
    assert plan.height == 2 * layout.MARGIN + tallest * (layout.BOX_HEIGHT + layout.GAP_Y) - layout.GAP_Y
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
