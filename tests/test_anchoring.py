"""Quotes are found as a reader would copy them, and anchored into the verbatim text."""

import re
from pathlib import Path

import pytest

from tracker.anchoring import (
    CONTEXT_CHARS,
    Anchor,
    AnchorError,
    QuoteAmbiguous,
    QuoteNotFound,
    anchor_quote,
    closest_passage,
    normalize,
    quote_context,
    reanchor,
)

SEED = Path("/work/shared/seeds/000_52d63f4225cf6237.txt")

# Verbatim paragraphs of the seed press release (NBSPs, en dash, trailing NBSP kept).
INTRO = (
    "We express our strong dissatisfaction and opposition to the groundless "
    "accusation\u00a0against China's cooperation with Latin America and Caribbean "
    "countries, which Mr. Michael\u00a0Pompeo, Secretary of State\u00a0of the United "
    "States, made at Policy Discussion on U.S. \u2013 Caribbean Relations on January "
    "22, 2020."
)
BODY = (
    "China has no intention to pursue geopolitical strategy or sphere of influence. "
    "China has been carrying out cooperation with Latin America\u00a0and the "
    "Caribbean\u00a0on the basis of mutual respect, equality and mutual benefit. Such "
    "cooperation has been open and transparent, in compliance with local laws and "
    "market rules, paying high attention to protecting environment \u00a0and increasing "
    "local employment, and has given a strong boost to the economic development and "
    "improvement of people's well-being in the region.\u00a0Indisputable facts "
    "have\u00a0shown\u00a0that it is opportunity and tangible benefits that China brings "
    "to Latin America\u00a0and the Caribbean, which have been welcomed by them."
)
RIGHTS = (
    "Latin America\u00a0and the Caribbean countries, as independent sovereign "
    "countries, have every right to determine their own foreign relations including "
    "choosing their trade and investment partners."
)
ENDING = (
    "The world will tell plainly who is stirring up trouble and who is trying to make "
    "a difference.\u00a0"
)
TEXT = f"Press Release (2020.01.22)\n\n{INTRO}\n\n{BODY}\n\n{RIGHTS}\n\n{ENDING}\n\n"

CHINESE = "我们对此表示强烈不满和坚决反对。中方无意谋求地缘政治战略或势力范围。"


def check_anchor(text: str, a: Anchor) -> None:
    """The anchor points into the verbatim text, with verbatim neighbours as context."""
    assert text[a.start:a.end] == a.exact
    assert a.prefix == text[max(0, a.start - CONTEXT_CHARS):a.start]
    assert a.suffix == text[a.end:a.end + CONTEXT_CHARS]
    assert a.exact and not a.exact[0].isspace() and not a.exact[-1].isspace()


def test_plain_typed_quote_finds_text_with_nbsp():
    a = anchor_quote(TEXT, "groundless accusation against China's cooperation")
    check_anchor(TEXT, a)
    assert a.exact == "groundless accusation\u00a0against China's cooperation"


def test_space_followed_by_nbsp_is_matched_by_one_space():
    a = anchor_quote(TEXT, "protecting environment and increasing local employment")
    assert a.exact == "protecting environment \u00a0and increasing local employment"


def test_hyphen_or_spaced_hyphen_finds_en_dash():
    for quote in ("U.S.-Caribbean Relations", "U.S. - Caribbean Relations",
                  "u.s. \u2014 caribbean relations"):
        a = anchor_quote(TEXT, quote)
        assert a.exact == "U.S. \u2013 Caribbean Relations"


def test_dash_in_quote_finds_hyphen_in_text():
    text = "The so-called debt trap is a myth."
    assert anchor_quote(text, "so\u2013called debt").exact == "so-called debt"


def test_straight_quotes_find_curly_ones_and_vice_versa():
    text = "Officials called it \u201ca so-called \u2018debt trap\u2019\u201d and moved on."
    a = anchor_quote(text, "\"a so-called 'debt trap'\"")
    assert a.exact == "\u201ca so-called \u2018debt trap\u2019\u201d"
    # the seed text has ASCII apostrophes; a quote pasted from a word processor has curly ones
    b = anchor_quote(TEXT, "people\u2019s well-being")
    assert b.exact == "people's well-being"


def test_quote_spanning_a_paragraph_break():
    a = anchor_quote(TEXT, "on January 22, 2020. China has no intention")
    check_anchor(TEXT, a)
    assert a.exact == "on January 22, 2020.\n\nChina has no intention"


def test_quote_spanning_a_line_break_and_double_spaces():
    text = "He said the\nagreement  was\tfair and\r\nbalanced."
    assert anchor_quote(text, "the agreement was fair and balanced").exact == (
        "the\nagreement  was\tfair and\r\nbalanced"
    )


def test_match_is_case_insensitive():
    assert anchor_quote(TEXT, "CHINA HAS NO INTENTION").exact == "China has no intention"


def test_leading_and_trailing_spaces_are_ignored():
    a = anchor_quote(TEXT, "  mutual respect, equality \n")
    assert a.exact == "mutual respect, equality"
    # the text has a trailing NBSP after the sentence: the anchor must not swallow it
    b = anchor_quote(TEXT, "make a difference. ")
    assert b.exact == "make a difference."
    assert b.suffix.startswith("\u00a0\n\n")


def test_context_lengths_at_text_start_middle_and_end():
    first = anchor_quote(TEXT, "Press Release")
    check_anchor(TEXT, first)
    assert (first.start, first.prefix) == (0, "")
    assert len(first.suffix) == CONTEXT_CHARS
    middle = anchor_quote(TEXT, "geopolitical strategy")
    check_anchor(TEXT, middle)
    assert len(middle.prefix) == len(middle.suffix) == CONTEXT_CHARS
    assert middle.prefix.endswith("intention to pursue ")
    last = anchor_quote("Short text ending here", "ending here")
    assert (last.end, last.suffix, last.prefix) == (22, "", "Short text ")


def test_ligature_maps_back_to_one_verbatim_char():
    text = "The \ufb01nancial report"
    assert anchor_quote(text, "financial").exact == "\ufb01nancial"
    # "inancial" would cut the ligature in half: not a quote a reader could copy
    with pytest.raises(QuoteNotFound):
        anchor_quote(text, "inancial report")


def test_not_found_shows_the_real_sentence():
    quote = "China has no intention to pursue geographic strategy or sphere of influence"
    with pytest.raises(QuoteNotFound) as info:
        anchor_quote(TEXT, quote)
    closest = info.value.closest
    assert "pursue geopolitical strategy or sphere of influence" in closest
    assert closest in TEXT
    assert len(closest) <= 1.5 * len(quote) + 40
    assert str(info.value) == f'not found in the text; closest passage: "{closest}"'
    assert isinstance(info.value, AnchorError)


def test_not_found_with_nothing_in_common():
    with pytest.raises(QuoteNotFound) as info:
        anchor_quote(TEXT, "zqxj")
    assert info.value.closest == ""
    assert str(info.value) == "not found in the text"


def test_ambiguous_quote_reports_count():
    with pytest.raises(QuoteAmbiguous) as info:
        anchor_quote(TEXT, "Latin America and the Caribbean")
    assert info.value.count == 3
    assert str(info.value).startswith("found 3 times in the text; quote more words")


def test_prefix_or_suffix_resolves_ambiguity():
    quote = "Latin America and the Caribbean"
    by_prefix = anchor_quote(TEXT, quote, prefix="carrying out cooperation with ")
    assert by_prefix.suffix.startswith("\u00a0on the basis")
    by_suffix = anchor_quote(TEXT, quote, suffix=", which have been welcomed")
    assert by_suffix.prefix.endswith("China brings to ")
    # hints are compared folded: curly/NBSP/case differences don't matter
    by_both = anchor_quote(TEXT, quote, prefix="BRINGS\u00a0TO", suffix=",\u00a0WHICH")
    assert by_both == by_suffix
    with pytest.raises(QuoteAmbiguous) as info:
        anchor_quote(TEXT, quote, prefix="nowhere in the text ")
    assert info.value.count == 3


def test_single_match_ignores_disagreeing_hints():
    a = anchor_quote(TEXT, "geopolitical strategy", prefix="wrong", suffix="also wrong")
    assert a.exact == "geopolitical strategy"


def test_overlapping_matches_are_counted():
    with pytest.raises(QuoteAmbiguous) as info:
        anchor_quote("aaaa", "aa")
    assert info.value.count == 3


def test_reanchor_unchanged_text_keeps_offsets():
    a = anchor_quote(TEXT, "geopolitical strategy")
    assert reanchor(TEXT, a) == a


def test_reanchor_after_correction_earlier_in_the_text():
    a = anchor_quote(TEXT, "geopolitical strategy")
    corrected = TEXT.replace("(2020.01.22)", "of the Embassy, 22 January 2020")
    shift = len(corrected) - len(TEXT)
    b = reanchor(corrected, a)
    assert b is not None
    check_anchor(corrected, b)
    assert (b.start, b.end, b.exact) == (a.start + shift, a.end + shift, a.exact)


def test_reanchor_uses_stored_context_for_repeated_quote():
    a = anchor_quote(TEXT, "Latin America and the Caribbean", suffix=", which have been")
    corrected = "CORRECTED: " + TEXT
    b = reanchor(corrected, a)
    assert b is not None and b.start == a.start + len("CORRECTED: ")


def test_reanchor_survives_whitespace_fix_inside_the_quote():
    a = anchor_quote(TEXT, "groundless accusation against China's")
    corrected = TEXT.replace("accusation\u00a0against", "accusation against")
    b = reanchor(corrected, a)
    assert b is not None and b.exact == "groundless accusation against China's"


def test_reanchor_returns_none_when_the_passage_changed():
    a = anchor_quote(TEXT, "geopolitical strategy")
    corrected = TEXT.replace("geopolitical strategy", "geopolitical aims")
    assert reanchor(corrected, a) is None


def test_reanchor_picks_the_occurrence_whose_context_still_agrees():
    a = anchor_quote(TEXT, "geopolitical strategy")
    corrected = "Note: geopolitical strategy is discussed below.\n\n" + TEXT
    b = reanchor(corrected, a)
    assert b is not None and b.prefix == a.prefix and b.suffix == a.suffix


def test_reanchor_returns_none_when_quote_became_ambiguous():
    a = anchor_quote(TEXT, "geopolitical strategy")
    corrected = TEXT.replace(
        "no intention to pursue geopolitical strategy or sphere",
        "no wish for any geopolitical strategy, nor a geopolitical strategy of sphere",
    )
    assert reanchor(corrected, a) is None


def test_chinese_phrase_in_chinese_text():
    a = anchor_quote(CHINESE, "无意谋求地缘政治战略")
    check_anchor(CHINESE, a)
    assert a.start == CHINESE.index("无意")
    assert a.exact == "无意谋求地缘政治战略"
    # a full-width comma typed as ASCII, and a stray space, still match
    assert anchor_quote("中方\uff0c无意谋求", "中方, 无意").exact == "中方\uff0c无意"


def test_empty_quote_raises():
    for quote in ("", "   ", "\u00a0\n\t"):
        with pytest.raises(AnchorError) as info:
            anchor_quote(TEXT, quote)
        assert str(info.value) == "the quote is empty"
        assert not isinstance(info.value, (QuoteNotFound, QuoteAmbiguous))


def test_normalize_folds_what_readers_cannot_see():
    assert normalize("U.S. \u2013 Caribbean") == normalize("u.s.-caribbean") == "u.s.-caribbean"
    assert normalize("\u201cIt\u2019s\u201d \u2026") == "\"it's\"..."
    assert normalize("\ufb01ne\u00a0\u2009\u202f\u3000line") == "fineline"


def test_quote_context_gives_previous_and_next_sentence():
    a = anchor_quote(TEXT, "Such cooperation has been open and transparent")
    before, after = quote_context(TEXT, a.start, a.end)
    assert before.startswith("China has been carrying out cooperation")
    assert before.endswith("mutual benefit. ")
    assert after.startswith(", in compliance with local laws")
    # the rest of the quote's own sentence, then one more sentence
    assert "people's well-being in the region.\u00a0Indisputable facts" in after
    assert after.endswith("which have been welcomed by them.")
    assert TEXT[a.start - len(before):a.end + len(after)] == before + a.exact + after


def test_quote_context_does_not_break_after_abbreviations():
    a = anchor_quote(TEXT, "Michael Pompeo")
    before, after = quote_context(TEXT, a.start, a.end, sentences=0)
    assert before.startswith("We express our strong dissatisfaction")
    assert before.endswith("which Mr. ")
    assert after.endswith("U.S. \u2013 Caribbean Relations on January 22, 2020.")


def test_quote_context_stops_at_paragraph_and_text_edges():
    a = anchor_quote(TEXT, "China has no intention")
    before, after = quote_context(TEXT, a.start, a.end, sentences=1)
    assert before == INTRO + "\n\n"
    assert after == " to pursue geopolitical strategy or sphere of influence. " + (
        "China has been carrying out cooperation with Latin America\u00a0and the "
        "Caribbean\u00a0on the basis of mutual respect, equality and mutual benefit."
    )
    last = anchor_quote(TEXT, "make a difference")
    before, after = quote_context(TEXT, last.start, last.end, sentences=1)
    assert after == "."
    assert before == RIGHTS + "\n\n" + ENDING[:ENDING.index("make a difference")]


def test_quote_context_in_chinese():
    a = anchor_quote(CHINESE, "无意谋求地缘政治战略")
    assert quote_context(CHINESE, a.start, a.end, sentences=0) == ("中方", "或势力范围。")
    assert quote_context(CHINESE, a.start, a.end) == ("我们对此表示强烈不满和坚决反对。中方", "或势力范围。")


def test_closest_passage_on_a_big_text():
    filler = " ".join(f"Paragraph {i} repeats the usual diplomatic language." for i in range(4000))
    big = filler + "\n\n" + TEXT + "\n\n" + filler
    assert len(big) > 200_000
    quote = "China has no intention to pursue a geographic strategy"
    passage = closest_passage(big, quote)
    assert "China has no intention to pursue geopolitical strategy" in passage
    assert len(passage) <= 1.5 * len(quote) + 40
    assert closest_passage("", quote) == ""


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    given = None

if given is not None:
    # plain and look-alike chars, whitespace of several kinds, a ligature, a CJK char
    ALPHABET = list("abcAB .,;'-\"\u00a0\n\u2013\u2014\u2019\u201c\u2009\ufb01中")

    @st.composite
    def text_and_slice(draw):
        """A random text and a slice of it that starts and ends on a visible char."""
        text = draw(st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=80))
        visible = [i for i, c in enumerate(text) if not c.isspace()]
        if not visible:
            text, visible = text + "a", [len(text)]
        i = draw(st.sampled_from(visible))
        j = draw(st.sampled_from([k for k in visible if k >= i]))
        return text, text[i:j + 1]

    @settings(max_examples=300, deadline=None, database=None)
    @given(text_and_slice())
    def test_any_slice_typed_with_plain_spaces_is_found(case):
        text, piece = case
        quote = re.sub(r"\s+", " ", piece)
        try:
            a = anchor_quote(text, quote)
        except QuoteAmbiguous as e:
            assert e.count >= 2
            return
        check_anchor(text, a)
        assert normalize(a.exact) == normalize(piece)


def test_seed_file_sentences_typed_plainly():
    if not SEED.exists():
        pytest.skip("seed file not available")
    seed = SEED.read_text(encoding="utf-8")
    for paragraph in (INTRO, BODY, RIGHTS, ENDING):
        assert paragraph in seed  # the excerpts above really are verbatim
    quotes = [
        "the groundless accusation against China's cooperation with Latin America and "
        "Caribbean countries, which Mr. Michael Pompeo, Secretary of State of the United "
        "States, made at Policy Discussion on U.S.-Caribbean Relations on January 22, 2020.",
        "paying high attention to protecting environment and increasing local employment",
        "in the region. Indisputable facts have shown that it is opportunity",
        "who is trying to make a difference.",
        "support their efforts to play an active role in international and regional affairs.",
    ]
    for quote in quotes:
        a = anchor_quote(seed, quote)
        check_anchor(seed, a)
        assert normalize(a.exact) == normalize(quote)
    assert "\u00a0" in anchor_quote(seed, quotes[0]).exact
    assert "\u2013" in anchor_quote(seed, quotes[0]).exact


def test_a_short_word_with_nothing_like_it_in_the_text_has_no_closest_passage():
    """Three letters in common ("sed", "ase") are no resemblance: better no hint than a wrong one."""
    assert closest_passage(TEXT, "biased") == ""
    assert closest_passage(TEXT, "groundles acusation") == "groundless accusation"
