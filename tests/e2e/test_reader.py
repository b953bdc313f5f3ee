"""The reader in a real browser: phone layout, htmx navigation and history, plain links without JavaScript,
the desktop sidebar, and nothing loaded from outside the app."""

import re

import pytest
from playwright.sync_api import expect

from studyapp.documents import selectors
from studyapp.documents.models import Node
from tests.e2e.checks import assert_accessible

TITLE = "中国工会十八大精神图解"
TASK_NUMBERS = "一二三四五六七八九"


@pytest.fixture
def first_topic(seed_version) -> Node:
    """The first topic of the document; it has points."""
    return seed_version.nodes.filter(kind=Node.Kind.TOPIC).order_by("position").first()


@pytest.fixture
def next_after_first_topic(seed_version, first_topic) -> Node:
    """The heading the pager leads to from the first topic."""
    order = selectors.reading_order(selectors.document_outline(seed_version))
    return order[order.index(first_topic) + 1]


def no_horizontal_scroll(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide on a {width}px screen"


def test_phone_reads_contents_and_a_topic(phone_page, first_topic, screenshot):
    page = phone_page
    page.goto("/read/")
    expect(page.locator("h1")).to_have_text(TITLE)
    tasks = page.locator("#reader .outline-task")
    for number in TASK_NUMBERS:
        expect(tasks.filter(has_text=f"（{number}）")).to_have_count(1)
    no_horizontal_scroll(page, 360)
    screenshot(page, "contents")
    assert_accessible(page, "目录")

    page.locator("#reader a", has_text=first_topic.text).first.click()
    expect(page).to_have_url(re.compile(rf"/read/{first_topic.key}/$"))
    expect(page.locator("h1")).to_have_text(first_topic.text)
    points = page.locator("#reader .line-point")
    expected_points = first_topic.children.filter(kind=Node.Kind.POINT).order_by("position")
    assert expected_points.exists()
    expect(points).to_have_count(expected_points.count())
    expect(points.first).to_have_text(expected_points.first().text)
    expect(points.first).to_be_visible()
    no_horizontal_scroll(page, 360)
    screenshot(page)
    assert_accessible(page, "专题原文")


def test_pager_swaps_reader_with_htmx_and_back_restores(page, first_topic, next_after_first_topic, live_server):
    page.goto(f"/read/{first_topic.key}/")
    expect(page.locator("h1")).to_have_text(first_topic.text)
    # A full page load would wipe this; an htmx swap of #reader keeps it.
    page.evaluate("window.__marker = 1")
    loads = []
    page.on("load", lambda _: loads.append(page.url))

    page.locator('#reader a[rel="next"]').click()
    expect(page).to_have_url(f"{live_server.url}{next_after_first_topic.get_absolute_url()}")  # hx-push-url
    expect(page.locator("#reader h1")).to_have_text(next_after_first_topic.text)
    assert page.evaluate("window.__marker") == 1, "the pager link reloaded the whole page"
    expect(page.locator('#outline a[aria-current="page"]')).to_have_text(next_after_first_topic.text)

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}{first_topic.get_absolute_url()}")
    expect(page.locator("#reader h1")).to_have_text(first_topic.text)
    assert page.evaluate("window.__marker") == 1, "Back reloaded the whole page"
    assert loads == [], f"full page loads during htmx navigation: {loads}"


def test_links_work_without_javascript(new_page, first_topic, next_after_first_topic, live_server):
    page = new_page(java_script_enabled=False)
    page.goto("/read/")
    expect(page.locator("h1")).to_have_text(TITLE)

    page.locator("#reader a", has_text=first_topic.text).first.click()
    expect(page).to_have_url(f"{live_server.url}{first_topic.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(first_topic.text)

    page.locator('#reader a[rel="next"]').click()
    expect(page).to_have_url(f"{live_server.url}{next_after_first_topic.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(next_after_first_topic.text)

    page.go_back()
    expect(page.locator("h1")).to_have_text(first_topic.text)


def test_desktop_shows_outline_beside_the_text(page, first_topic, screenshot):
    page.goto(f"/read/{first_topic.key}/")
    screenshot(page)  # before the checks, so a failure has a picture too
    assert_accessible(page, "专题原文（桌面）")
    outline = page.locator("#outline")
    text = page.locator("#reader")
    expect(outline).to_be_visible()
    expect(outline.locator('a[aria-current="page"]')).to_have_text(first_topic.text)
    side, main = outline.bounding_box(), text.bounding_box()
    assert side["x"] + side["width"] <= main["x"], f"outline {side} is not left of the text {main}"
    assert side["y"] < main["y"] + main["height"] and main["y"] < side["y"] + side["height"], "not side by side"
    no_horizontal_scroll(page, 1280)


def test_nothing_loaded_from_outside_and_no_console_errors(
    phone_page, first_topic, next_after_first_topic, traffic, live_server
):
    page = phone_page
    page.goto(f"/read/{first_topic.key}/")
    expect(page.locator("h1")).to_have_text(first_topic.text)
    page.locator('#reader a[rel="next"]').click()
    expect(page.locator("#reader h1")).to_have_text(next_after_first_topic.text)
    page.go_back()
    expect(page.locator("#reader h1")).to_have_text(first_topic.text)
    page.locator("#reader .breadcrumb a", has_text=TITLE).click()  # back to the contents, by htmx
    expect(page.locator("#reader h1")).to_have_text(TITLE)

    assert any("/static/" in url for url in traffic.requests), "stylesheets and scripts were expected"
    traffic.assert_clean(live_server.url)


def test_from_contents_into_a_topic_and_on(phone_page, first_topic, next_after_first_topic, traffic, live_server):
    page = phone_page
    page.goto("/read/")
    page.locator("#reader a", has_text=first_topic.text).first.click()
    expect(page.locator("#reader h1")).to_have_text(first_topic.text)
    expect(page.locator(".reader-side #outline")).to_have_count(1)  # as when the topic is opened directly
    page.locator('#reader a[rel="next"]').click()
    expect(page.locator("#reader h1")).to_have_text(next_after_first_topic.text)
    traffic.assert_clean(live_server.url)
