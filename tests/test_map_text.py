"""The map's text measuring: lines fit their room, and what is cut says so."""

import pytest

from tracker.maps.text import clip, width, wrap

SUMMARY = ("The embassy says the loans carry no hidden conditions, and that the ports built with them "
           "remain under the full control of the host countries, whatever the critics claim.")


@pytest.mark.parametrize("room", [120, 300])
def test_wrapped_lines_fit_and_keep_the_words_in_order(room):
    lines = wrap(SUMMARY, room, 12, 3)
    assert 1 <= len(lines) <= 3
    assert all(width(line, 12) <= room for line in lines)
    words = " ".join(lines).replace("…", " ").split()
    assert SUMMARY.split()[: len(words) - 1] == words[:-1]  # the last word shown may be cut
    assert lines[-1].endswith("…")  # the summary does not fit in 3 lines of 300


def test_a_word_wider_than_the_room_is_cut_on_its_line():
    lines = wrap("Internationalisation everywhere", 40, 12, 2)
    assert lines[0].startswith("Inter") and lines[0].endswith("…")
    assert all(width(line, 12) <= 40 for line in lines)


def test_a_line_that_fits_is_left_whole():
    assert wrap("Ports stay under control", 400, 12, 2) == ["Ports stay under control"]
    assert clip("Ports stay under control", 400, 12) == "Ports stay under control"


def test_a_cut_line_ends_in_an_ellipsis_within_its_room():
    cut = clip(SUMMARY, 200, 12)
    assert cut.endswith("…") and SUMMARY.startswith(cut[:-1])
    assert width(cut, 12) <= 200 < width(cut[:-1] + SUMMARY[len(cut) - 1] + "…", 12) + width("  ", 12)
    assert clip("short", 400, 12, force=True) == "short…"
    assert clip("", 400, 12) == "" and clip("anything", 1, 12) == "…"


def test_capitals_digits_and_wide_letters_take_more_room():
    assert width("mmmm", 10) > width("AAAA", 10) == width("2020", 10) > width("aaaa", 10) > width("iiii", 10)
