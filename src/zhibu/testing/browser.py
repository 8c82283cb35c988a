"""Playwright fixtures driving Debian's Chromium. Without Chromium the browser tests skip with a reason."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZHIBU_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path(os.environ.get("ZHIBU_SCREENSHOTS", "test-artifacts"))


def chromium_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return "未安装 Chromium（apt-get install -y chromium），跳过浏览器测试"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "未安装 playwright，跳过浏览器测试"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_browser_contexts(request):
    """Every browser context a test opened is closed when the test ends, with the pages' keep-alive connections to
    the live server. A context left open kept its connections until the browser closed at the end of the session,
    after the live server had stopped sharing the in-memory SQLite connection with its threads: each of those
    threads then failed closing that connection (an unhandled thread exception on SQLite)."""
    browser = request.getfixturevalue("chromium") if "chromium" in request.fixturenames else None
    yield
    if browser is not None:
        for context in list(browser.contexts):
            context.close()


@pytest.fixture
def plain_http_cookies(settings):
    """The live test server speaks plain http on localhost."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def phone(chromium, plain_http_cookies):
    context = chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop(chromium, plain_http_cookies):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
