"""The account page with API tokens, in a real browser: a token made and shown once, listed, revoked; the page
passes axe and fits a phone at each step."""

import re

import pytest
from playwright.sync_api import expect

from .test_browser import assert_accessible, browser, server, shot, signed_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.committed


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_token_made_listed_and_revoked_on_the_account_page(server, browser, editor):  # noqa: F811
    context, page = signed_in(browser, server, "editor@example.org", bypass_csp=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/account")
    page.get_by_label("Name").fill("Nightly import from the newsroom's archive server")
    page.get_by_label("Expires").select_option(label="after 30 days")
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("code.token")
    expect(token).to_have_text(re.compile(r"^trk_[A-Za-z0-9_-]{43}$"))
    shot(page, "account-new-token-390")
    assert fits_a_phone(page) and serious(page) == []
    raw = token.inner_text()
    expect(page.get_by_label("Name")).to_have_value("")  # the form is ready for another

    page.goto(server + "/account")  # shown once: never again
    assert raw not in page.content()
    item = page.locator("ul.tokens li", has_text="Nightly import")
    expect(item).to_contain_text(raw[:10] + "…")
    expect(item).to_contain_text("last used never")
    assert fits_a_phone(page)
    assert_accessible(browser, server + "/account", context)

    page.get_by_role("button", name="Revoke the token Nightly import from the newsroom's archive server").click()
    expect(page.get_by_role("status").first).to_contain_text("revoked")
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    context.close()


def test_the_account_page_with_a_token_works_without_javascript(server, browser, editor):  # noqa: F811
    context, page = signed_in(browser, server, "editor@example.org", javascript=False)
    page.goto(server + "/account")
    page.get_by_label("Name").fill("script")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("code.token")).to_be_visible()
    page.goto(server + "/account")
    expect(page.locator("ul.tokens li", has_text="script")).to_contain_text("expires")
    context.close()
