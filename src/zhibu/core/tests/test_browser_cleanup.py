"""A browser test that leaves its context open does not outlive the live server: on SQLite the server's threads
share the test's in-memory connection, and a page still connected when the server stopped made each of its threads
fail closing that connection (PytestUnhandledThreadExceptionWarning at the end of the run)."""

from __future__ import annotations

import pytest

from zhibu.testing.browser import chromium_missing

pytest_plugins = ["pytester"]
pytestmark = [pytest.mark.browser]

LEAVES_A_CONTEXT_OPEN = """
def test_opens_two_pages_and_closes_nothing(chromium, plain_http_cookies, live_server):
    context = chromium.new_context()
    for _ in range(2):
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        assert page.locator("input[name=username]").count() == 1
"""


@pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")
def test_a_context_left_open_is_closed_while_the_live_server_still_runs(pytester, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    pytester.makeconftest('pytest_plugins = ["zhibu.conftest"]\n')
    pytester.makepyfile(test_leaves_a_context_open=LEAVES_A_CONTEXT_OPEN)
    result = pytester.runpytest_subprocess(
        "--ds=zhibu.settings",
        "-p",
        "no:cacheprovider",
        "-W",
        "error::pytest.PytestUnhandledThreadExceptionWarning",
    )
    output = result.stdout.str() + result.stderr.str()
    assert "PytestUnhandledThreadExceptionWarning" not in output, output[-3000:]
    assert "can only be used in that same thread" not in output, output[-3000:]
    result.assert_outcomes(passed=1)
