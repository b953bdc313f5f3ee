"""End-to-end harness: pytest-django's live server driven by Playwright in the system's headless Chromium.

Playwright's own browser downloads are not available here, so the Debian `chromium` package is used
(`./scripts/test` installs it when it runs as root). Without it the e2e tests are skipped, except under
CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls made in that
# thread (fixtures, flushes between tests) as "async unsafe". Nothing here is concurrent: the documented
# workaround for Playwright + pytest-django is to switch the check off for the e2e tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = E2E_DIR.parent.parent / "artifacts" / "screenshots"  # artifacts/ is git-ignored
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only ours: mark just the ones under tests/e2e.
    missing_browser = not CHROMIUM.exists()
    for item in items:
        if E2E_DIR not in item.path.parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing_browser and not IN_CI:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{CHROMIUM} not found: install the Debian package chromium (./scripts/test does as root)"
                )
            )


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found, and CI=true: a browser is required here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What the pages of one test asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def assert_clean(self, base_url: str) -> None:
        assert self.requests, "no request was recorded"
        outside = [url for url in self.requests if not url.startswith(base_url + "/")]
        assert not outside, f"loaded from outside the app: {outside}"
        assert not self.console_errors, f"console errors (CSP violations show up here): {self.console_errors}"


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def learner(transactional_db):
    """A signed-in learner for the pages (every learning page needs a login)."""
    from tests.factories import UserFactory

    return UserFactory(username="learner")


def log_in(context, user, base_url: str) -> None:
    """Gives the browser context the session cookie of `user`, as `Client.force_login` makes it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])


@pytest.fixture
def new_page(browser, live_server, traffic, learner) -> Iterator[Callable[..., object]]:
    """Opens a page in a fresh browser context (own cookies and storage) on the live server, signed in as
    `learner` (pass user=None for an anonymous visitor).

    Other keyword arguments go to `browser.new_context`, e.g. `java_script_enabled=False` or a viewport.
    """
    contexts = []
    default_user = learner

    def open_page(user=default_user, **context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            log_in(context, user, live_server.url)
        page = context.new_page()
        traffic.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(**DESKTOP)


@pytest.fixture
def phone_page(new_page):
    return new_page(**PHONE)


README_SCREENSHOTS = E2E_DIR.parent.parent / "static" / "img" / "screenshots"


def keep_for_readme(path: Path, name: str) -> None:
    """Copy a screenshot to static/img/screenshots/<name> (shown in the README) when
    UPDATE_README_SCREENSHOTS=1: an ordinary test run leaves the committed pictures alone."""
    if os.environ.get("UPDATE_README_SCREENSHOTS") == "1":
        shutil.copyfile(path, README_SCREENSHOTS / name)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """`screenshot(page)` saves artifacts/screenshots/<test name>.png (a suffix tells several apart)."""

    def save(page, suffix: str = "", full_page: bool = True) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name + (f"-{suffix}" if suffix else ""))
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
