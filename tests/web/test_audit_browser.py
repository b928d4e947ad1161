"""The audit log page in Chromium: no axe-core violations, readable at 390 px, for an
anonymous reader and for an account seeing its own private entries."""

from __future__ import annotations

import pytest
from django.db import transaction

from secession.assets import npm_file
from secession.web.apps.accounts.actions import issue_token
from secession.web.apps.audit.log import record

from .test_browser import CHROMIUM_ARGS, chromium_browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1100])
def test_the_audit_page_has_no_axe_violations(chromium_browser, live_server, founder, width):  # noqa: F811
    issue_token(founder, person=founder, name="laptop")  # a private entry
    for i in range(120):  # more than a page
        with transaction.atomic():
            record("test.entry", data={"i": i})
    # bypass_csp: the test injects axe-core, which the site's CSP forbids
    context = chromium_browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/audit/")
    _no_violations(page, width)
    page.get_by_role("link", name="Older").click()
    page.wait_for_url("**before=**")
    assert 'id="entry-1"' in page.content() and "a private account entry" in page.content()
    _no_violations(page, width)
    context.close()


def _no_violations(page, width: int) -> None:
    page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
    result = page.evaluate("async () => await axe.run(document)")
    assert result["violations"] == [], [v["id"] for v in result["violations"]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
