"""The response map in a real browser: it fits the screen, its text is readable, its labels stay apart.

Sizes are measured as drawn (getBoundingClientRect), at 1280 px and at 390 px, without JavaScript
on the page (Playwright's evaluate still reads the layout).
"""

import pytest
from playwright.sync_api import expect

from .test_browser import SEED, assert_accessible, axe_once, browser, server, shot  # noqa: F401  (fixtures)
from .test_maps import build_dispute, two_pages_of_claims

pytestmark = pytest.mark.committed

MEASURE = """svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const box = element => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {
        scale,
        sizes: [...svg.querySelectorAll("text")].map(t => parseFloat(t.getAttribute("font-size")) * scale),
        heights: [...svg.querySelectorAll("text")].map(t => t.getBoundingClientRect().height),
        labels: [...svg.querySelectorAll("text.map-label")].map(t => [t.textContent, box(t)]),
        nodes: [...svg.querySelectorAll("a.map-node")].map(a => [
            a.dataset.claim, box(a.querySelector("rect")), [...a.querySelectorAll("tspan")].map(box)]),
    };
}"""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def check_drawing(page, selector: str) -> dict:
    """The drawing shown: its text at least 12 px, no label on another or on a box, every line inside its box."""
    svg = page.locator(selector)
    expect(svg).to_be_visible()
    drawn = svg.evaluate(MEASURE)
    assert min(drawn["sizes"]) >= 12, f"text drawn at {min(drawn['sizes']):.1f} px"
    assert min(drawn["heights"]) >= 12  # what the browser laid out agrees
    labels, nodes = drawn["labels"], drawn["nodes"]
    for i, (text, box) in enumerate(labels):
        assert not any(overlap(box, other) for _, other in labels[i + 1:]), text
        assert not any(overlap(box, rect) for _, rect, _ in nodes), text
    for slug, rect, lines in nodes:
        assert all(inside(line, rect) for line in lines), f"text of {slug} runs out of its box"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    return drawn


def test_at_1280_px_the_wide_map_fills_its_frame(server, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + SEED + "/map")
    expect(page.locator(".map-frame svg.map-narrow")).to_be_hidden()
    drawn = check_drawing(page, ".map-frame svg.map")
    frame = page.locator(".map-frame").evaluate("frame => frame.clientWidth")
    assert page.locator(".map-frame svg.map").bounding_box()["width"] == pytest.approx(frame, abs=1)
    assert drawn["scale"] > 1  # drawn larger than its own units, not smaller
    assert len(drawn["labels"]) == 16 and len(drawn["nodes"]) == 17
    shot(page, "map-1280")
    context.close()


def test_at_390_px_the_map_reads_top_down(server, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + SEED + "/map")
    expect(page.locator(".map-frame svg.map")).to_be_hidden()
    drawn = check_drawing(page, ".map-frame svg.map-narrow")
    assert len(drawn["labels"]) == 16 and len(drawn["nodes"]) == 17
    # Each answer comes after what it answers: the first accusation, then the claims answering it.
    order = [slug for slug, _, _ in sorted(drawn["nodes"], key=lambda node: node[1][1])]
    assert order[:3] == ["pompeo-accuses-cooperation", "embassy-groundless", "embassy-sovereign-choice"]
    shot(page, "map-390")
    page.locator('.map-frame svg.map-narrow a[data-claim="embassy-groundless"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The accusation is groundless; the embassy strongly objects to it")
    context.close()


def test_a_deep_150_claim_map_reads_top_down_even_on_a_wide_screen(server, browser):  # noqa: F811
    build_dispute("big", claims=150)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/disputes/big/map")
    assert page.locator(".map-frame svg.map").count() == 0  # too wide to fit at full size: not sent
    drawn = check_drawing(page, ".map-frame svg.map-narrow")
    assert len(drawn["nodes"]) == 150
    shot(page, "map-150-claims-1280")
    context.close()


def test_a_long_dispute_pages_its_map_like_its_timeline(server, browser):  # noqa: F811
    two_pages_of_claims()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/disputes/long/map")
    check_drawing(page, ".map-frame svg.map-narrow")
    page.get_by_role("link", name="Next page of the map").click()
    assert "/disputes/long/map?after=" in page.url
    drawn = check_drawing(page, ".map-frame svg.map-narrow")
    assert len(drawn["nodes"]) == 100  # 50 answers, and the 50 claims they answer on the page before
    page.get_by_role("link", name="the same page of the timeline").click()
    expect(page.locator("#claim-r050")).to_be_visible()
    context.close()


@axe_once
@pytest.mark.parametrize("width", [390, 1280])
def test_map_pages_pass_axe(server, browser, width):  # noqa: F811
    two_pages_of_claims()
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    for url in [SEED + "/map", "/disputes/long/map"]:
        assert_accessible(browser, server + url, context)
    context.close()
