"""Selecting words anywhere in a statement's text, with the mouse, to cut a claim from them.

Quotes in the text are marks, not links: a drag inside one highlight, across several, or from plain
text into one selects words, and a double-click selects a word. "New claim from selection" then opens
the form with the quote and its offsets into the stored text (not the page's), whatever lies between:
non-breaking spaces, line breaks, paragraphs, characters beyond 16 bits, overlapping quotes. Readers
go from a quote to its claim by the number after it, with the mouse or the keyboard.
"""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tracker.core.anchors import anchor_values, selected
from tracker.db import db
from tracker.models import Dispute, Statement

from . import factories as make
from .database import SEED_DISPUTE
from .test_browser import SEED, assert_accessible, axe_once, browser, page, server, shot, signed_in  # noqa: F401

pytestmark = pytest.mark.committed

PRESS = f"{SEED}/statements/prc-embassy-press-release"

# A text with a character beyond 16 bits (one code point, two JavaScript units) before the quotes, a
# non-breaking space, paragraphs, and two quotes that cross: the first ends inside the second.
FORUM_TEXT = (
    "Remarks at the forum \U0001F310.\n\n"
    "The embassy says its cooperation rests on mutual respect. The record shows loans\u00a0with hidden "
    "terms\u2014and no open tender for the port.\n"
)
RESPECT = "its cooperation rests on mutual respect. The record shows loans"
HIDDEN_TERMS = "The record shows loans\u00a0with hidden terms"

# The character at a stored offset (counted in code points, as the server counts): where it is on the
# screen, after scrolling it into view. Found by walking the text's text nodes, whatever marks hold them.
CHARACTER_AT = """([offset, edge]) => {
    const box = document.getElementById("statement-text");
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const chars = Array.from(node.data);
        if (offset < seen + chars.length) {
            const at = chars.slice(0, offset - seen).join("").length;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + chars[offset - seen].length);
            if (edge === "scroll") {
                window.scrollTo(0, window.scrollY + range.getBoundingClientRect().top - 200);
                return null;
            }
            const r = range.getClientRects()[0];
            return {x: edge === "left" ? r.left + 1 : r.right - 1, y: (r.top + r.bottom) / 2};
        }
        seen += chars.length;
    }
    throw new Error("no character at " + offset);
}"""

# The marks of one claim's quote (found by the number its link carries), their text, and whether their
# boxes cover every line of the stored passage text[start:end].
MARKS_OF = """([slug, start, end]) => {
    const link = document.querySelector(`#statement-text a[href$="/claims/${slug}"]`);
    const marks = [...document.querySelectorAll(`#statement-text mark[data-quote="${link.dataset.quote}"]`)];
    const walker = document.createTreeWalker(document.getElementById("statement-text"), NodeFilter.SHOW_TEXT);
    const lines = [];
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const chars = Array.from(node.data);
        const from = Math.max(start - seen, 0), to = Math.min(end - seen, chars.length);
        if (from < to) {
            const part = document.createRange();
            part.setStart(node, chars.slice(0, from).join("").length);
            part.setEnd(node, chars.slice(0, to).join("").length);
            lines.push(...[...part.getClientRects()].filter(r => r.width > 0));
        }
        seen += chars.length;
    }
    const markBoxes = marks.flatMap(m => [...m.getClientRects()]);
    const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1
        && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
    const style = getComputedStyle(marks[0]);
    return {
        text: marks.map(m => m.textContent).join(""),
        covered: lines.length > 0 && lines.every(r => markBoxes.some(b => inside(r, b))),
        underline: [style.borderBottomStyle, style.borderBottomColor, style.paddingBottom].join(" "),
    };
}"""


def stored_text(slug: str) -> str:
    return db.session.scalar(sa.select(Statement.text).filter_by(slug=slug))


def drag(page, start: int, end: int) -> None:
    """Press the mouse on the first character of text[start:end], move, and let go on its last."""
    page.evaluate(CHARACTER_AT, [start, "scroll"])
    first, last = page.evaluate(CHARACTER_AT, [start, "left"]), page.evaluate(CHARACTER_AT, [end - 1, "right"])
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move(last["x"], last["y"], steps=12)
    page.mouse.up()


def double_click(page, offset: int) -> None:
    page.evaluate(CHARACTER_AT, [offset, "scroll"])
    point = page.evaluate(CHARACTER_AT, [offset, "left"])
    page.mouse.dblclick(point["x"] + 1, point["y"])


def cut_from_selection(page) -> tuple[str, int, int]:
    """Follow "New claim from selection": the quote and offsets that arrive in the new-claim form."""
    page.get_by_role("button", name="New claim from selection").click()
    quote = page.locator('main form [name="quote"]')
    expect(quote).to_be_visible()
    start, end = (page.locator(f'main form [name="{name}"]').input_value() for name in ("start", "end"))
    return quote.input_value(), int(start), int(end)


def assert_both_show(page, quotes: dict[str, tuple[int, int]], text: str) -> None:
    """Each claim's marks hold exactly its passage and cover it on screen; overlapping quotes are underlined
    differently, so a reader sees where each one starts and ends."""
    underlines = set()
    for slug, (start, end) in quotes.items():
        marks = page.evaluate(MARKS_OF, [slug, start, end])
        assert marks["text"] == text[start:end], slug
        assert marks["covered"], f"{slug}: its marks do not cover its passage on the screen"
        underlines.add(marks["underline"])
    assert len(underlines) == len(quotes), underlines


@pytest.fixture
def forum(seeded):
    """A statement in the seed dispute whose two quotes cross: its address."""
    dispute = db.session.scalar(sa.select(Dispute).filter_by(slug=SEED_DISPUTE))
    statement = make.statement(dispute, "forum-remarks", text=FORUM_TEXT, title="Remarks at the forum")
    for slug, words in (("respect-and-loans", RESPECT), ("hidden-terms", HIDDEN_TERMS)):
        start = FORUM_TEXT.index(words)
        make.claim(statement, slug, **anchor_values(selected(FORUM_TEXT, words, start, start + len(words))))
    db.session.commit()
    return f"{SEED}/statements/forum-remarks"


def test_an_editor_drags_inside_one_highlight_and_cuts_a_narrower_claim(server, browser, editor):
    text = stored_text("prc-embassy-press-release")
    sentence = "China has no intention to pursue geopolitical strategy or sphere of influence."
    words = "pursue geopolitical strategy"
    start = text.index(words)
    context, page = signed_in(browser, server, "editor@example.org")
    page.goto(server + PRESS)
    drag(page, start, start + len(words))
    expect(page.get_by_role("button", name="New claim from selection")).to_be_visible()
    assert page.url == server + PRESS  # the drag selected words; it carried no link away
    shot(page, "20-editor-selects-inside-a-highlight")

    assert cut_from_selection(page) == (words, start, start + len(words))
    summary = page.locator('main form [name="summary"]')
    summary.fill("China pursues no geopolitical strategy")
    summary.press("Enter")  # saves, as in any form (the picker's Find button, first in the form, is passed over)
    expect(page.get_by_role("heading", level=1)).to_have_text("China pursues no geopolitical strategy")
    narrower = page.url.rsplit("/", 1)[1]

    # Back on the statement, the sentence and the words inside it both show, each with its own underline.
    page.goto(server + PRESS)
    sentence_at = text.index(sentence)
    assert_both_show(page, {"embassy-no-geopolitical-intent": (sentence_at, sentence_at + len(sentence)),
                            narrower: (start, start + len(words))}, text)
    page.evaluate(CHARACTER_AT, [sentence_at, "scroll"])
    shot(page, "21-editor-narrower-claim-inside-a-quote")
    context.close()


def test_an_editor_drags_across_highlights_and_from_plain_text_into_one(server, browser, editor):
    text = stored_text("prc-embassy-press-release")
    context, page = signed_in(browser, server, "editor@example.org")

    # From one quote, over its number and the plain words after it, into the next quote (non-breaking spaces).
    start, end = text.index("local employment"), text.index("Indisputable facts") + len("Indisputable facts")
    assert "\u00a0" in text[start:end]
    page.goto(server + PRESS)
    drag(page, start, end)
    shot(page, "22-editor-selects-across-highlights")
    assert page.evaluate("String(window.getSelection())") == text[start:end]  # what is copied: no link's number
    assert cut_from_selection(page) == (text[start:end], start, end)

    # From plain text, over a paragraph break, into a quote: a quote across lines goes by its offsets.
    start, end = text.index("Michael"), text.index("China has no intention") + len("China has no intention")
    assert "\n\n" in text[start:end]
    page.goto(server + PRESS)
    drag(page, start, end)
    shot(page, "23-editor-selects-from-plain-text-into-a-highlight")
    assert cut_from_selection(page) == (text[start:end], start, end)
    context.close()


def test_an_editor_double_clicks_a_word_where_two_quotes_cross(server, browser, editor, forum):
    context, page = signed_in(browser, server, "editor@example.org")
    page.goto(server + forum)
    respect, hidden = FORUM_TEXT.index(RESPECT), FORUM_TEXT.index(HIDDEN_TERMS)
    assert_both_show(page, {"respect-and-loans": (respect, respect + len(RESPECT)),
                            "hidden-terms": (hidden, hidden + len(HIDDEN_TERMS))}, FORUM_TEXT)
    shot(page, "24-crossing-quotes")

    # "record" lies in both quotes, after a character JavaScript counts as two.
    record = FORUM_TEXT.index("record")
    double_click(page, record)
    expect(page.get_by_role("button", name="New claim from selection")).to_be_visible()
    assert page.url == server + forum  # the double-click opened nothing
    assert page.evaluate("String(window.getSelection())") == "record"
    assert cut_from_selection(page) == ("record", record, record + len("record"))
    context.close()


def test_a_reader_goes_from_a_quote_to_its_claim_with_the_keyboard(server, page):
    page.goto(server + PRESS)
    link = page.get_by_role("link", name="Claim 3: China has no intention to pursue a geopolitical strategy")
    expect(link).to_have_attribute("href", f"{SEED}/claims/embassy-no-geopolitical-intent")
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    expect(link).to_be_focused()
    shot(page, "25-reader-focuses-a-quote-link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "China has no intention to pursue a geopolitical strategy or a sphere of influence")


@axe_once
def test_overlapping_quotes_pass_axe_and_fit_a_phone_for_readers_and_editors(server, browser, editor, forum):
    for url in (PRESS, forum):
        assert_accessible(browser, server + url)
    context, page = signed_in(browser, server, "editor@example.org", bypass_csp=True)
    for url in (PRESS, forum):
        assert_accessible(browser, server + url, context)
    page.set_viewport_size({"width": 390, "height": 844})
    for url, text, words in ((PRESS, stored_text("prc-embassy-press-release"), "mutual respect, equality"),
                             (forum, FORUM_TEXT, "mutual respect. The record")):
        page.goto(server + url)
        drag(page, text.index(words), text.index(words) + len(words))
        expect(page.get_by_role("button", name="New claim from selection")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url  # no sideways scrolling
    shot(page, "26-editor-selection-on-a-phone")
    context.close()
