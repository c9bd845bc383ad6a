"""slug_url: the address url_for gives, built once per request up to the slug."""

import pytest
from flask import url_for

from tracker.templating import slug_url


@pytest.mark.parametrize("script_root", ["", "/tracker"])
@pytest.mark.parametrize(("endpoint", "values"), [
    ("claims.detail", {"dispute_slug": "some-dispute"}),
    ("statements.detail", {"dispute_slug": "some-dispute"}),
    ("actors.detail", {}),
])
def test_the_same_address_as_url_for(app, script_root, endpoint, values):
    with app.test_request_context("/", base_url=f"http://localhost{script_root}"):
        for slug in ("a", "claim-12", "x-1-y", "new"):
            assert slug_url(endpoint, slug, **values) == url_for(endpoint, slug=slug, **values)
        assert slug_url(endpoint, "a", **values).startswith(f"{script_root}/")


def test_a_value_that_is_not_a_slug_is_quoted_as_url_for_quotes_it(app):
    with app.test_request_context("/"):
        for odd in ("with space", "Upper", "a/b", "é", "-", "a--b", "?q=1#x"):
            expected = url_for("claims.detail", dispute_slug="d", slug=odd)
            assert slug_url("claims.detail", odd, dispute_slug="d") == expected
        assert slug_url("claims.detail", "with space", dispute_slug="d").endswith("/with%20space")


def test_each_dispute_gets_its_own_prefix(app):
    with app.test_request_context("/"):
        assert slug_url("claims.detail", "c", dispute_slug="one") == "/disputes/one/claims/c"
        assert slug_url("claims.detail", "c", dispute_slug="two") == "/disputes/two/claims/c"
        assert slug_url("statements.detail", "c", dispute_slug="one") == "/disputes/one/statements/c"
