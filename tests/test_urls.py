"""Only absolute http(s) links are accepted, in one normal form."""

import pytest

from tracker.urls import normalize_url


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("  HTTPS://Example.ORG/Path?q=1#frag ", "https://example.org/Path?q=1"),
        ("http://example.org:80", "http://example.org/"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
    ],
)
def test_links_are_normalised(raw, normal):
    assert normalize_url(raw) == normal


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("https://example.org/a?utm_source=x#top", "https://example.org/a"),
        ("https://example.org/a?id=7&utm_source=news&UTM_Medium=mail&page=2&fbclid=Iw1",
         "https://example.org/a?id=7&page=2"),
        ("https://example.org/a?gclid=1&msclkid=2&yclid=3&mc_cid=4&mc_eid=5&igshid=6&_ga=7&z=1&a=2",
         "https://example.org/a?z=1&a=2"),  # the others keep their order
        ("https://example.org/a?utm%5Fsource=x&q=a%20b+c&empty=&flag", "https://example.org/a?q=a%20b+c&empty=&flag"),
        ("https://example.org/a?utmost=1&source=utm_x", "https://example.org/a?utmost=1&source=utm_x"),
        ("https://example.org/#!/app/route", "https://example.org/"),
    ],
)
def test_fragments_and_tracking_parameters_are_dropped(raw, normal):
    assert normalize_url(raw) == normal


@pytest.mark.parametrize(
    "raw, message",
    [
        ("javascript:alert(1)", "only http:// and https://"),
        ("data:text/html,hi", "only http:// and https://"),
        ("JaVaScRiPt:alert(1)", "only http:// and https://"),
        ("//example.org/x", "only http:// and https://"),
        ("/relative", "only http:// and https://"),
        ("https://", "no host name"),
        ("https://exa mple.org", "spaces"),
        ("https://example.org\n/x", "spaces or control characters"),
        ("https://good.example@evil.example/", "user name or password"),
        ("https://example.org:99999/", "not a valid link"),
    ],
)
def test_bad_links_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValueError, match=message):
        normalize_url(raw)
