"""The demo organisation manager (manager of 某省总工会) on a phone: opens the roll-up of their province,
changes the period (htmx), drills down to the city and to the people of the enterprise union, opens one
person; another province's report and a person outside the subtree answer 404. Screenshots:
artifacts/screenshots/org-*.png."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from studyapp.people.models import Organisation
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE, SCREENSHOT_DIR
from tests.factories import ProfileFactory


@pytest.fixture
def demo(seed_bank):
    call_command("create_demo_accounts", verbosity=0)
    root = Organisation.objects.get(name="全国总工会")
    other = Organisation.objects.create(name="另一省总工会", parent=root)
    outsider = ProfileFactory(display_name="外省会员", organisation=other).user
    return get_user_model().objects.get(username="manager"), other, outsider


def shot(page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"org-{name}.png"), full_page=True)
    assert_accessible(page, name)


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"the page is {width}px wide"


def test_a_manager_on_a_phone_reads_and_drills_down_their_organisation_only(new_page, demo, traffic, live_server):
    manager, other, outsider = demo
    page = new_page(user=manager, **PHONE)

    page.goto("/")
    page.get_by_role("link", name="组织", exact=True).click()
    expect(page.locator("h1")).to_have_text("组织报表")
    page.get_by_role("link", name="某省总工会").click()

    expect(page.get_by_test_id("org-name")).to_have_text("某省总工会")
    rows = page.get_by_test_id("rollup-row")
    expect(rows.first).to_contain_text("某市总工会")
    expect(page.get_by_test_id("participation-chart")).to_be_visible()
    fits_the_phone(page)
    shot(page, "1-province")

    page.locator("#range-preset").select_option("7")  # htmx swaps the report region
    expect(page.get_by_test_id("period-label")).to_have_text("近7天")
    expect(page).to_have_url(
        f"{live_server.url}/orgs/{Organisation.objects.get(name='某省总工会').pk}/?range=7&from=&to="
    )
    page.locator("#range-preset").select_option("all")
    expect(page.get_by_test_id("period-label")).to_have_text("全部时间")

    page.get_by_test_id("drill").filter(has_text="某市总工会").click()
    expect(page.get_by_test_id("org-name")).to_have_text("某市总工会")
    expect(page.get_by_role("navigation", name="位置")).to_contain_text("某省总工会")
    expect(page.get_by_role("navigation", name="位置")).not_to_contain_text("全国总工会")
    shot(page, "2-city")

    page.get_by_test_id("drill").filter(has_text="某企业工会").click()  # a leaf: its people
    expect(page.locator("h1")).to_have_text("人员名单")
    expect(page.get_by_test_id("person-row").first).to_be_visible()
    names = page.get_by_test_id("person-row").locator("th a").all_inner_texts()
    assert "张会员" in names and "外省会员" not in names
    fits_the_phone(page)
    shot(page, "3-people")

    page.get_by_test_id("person-row").locator("th a", has_text="张会员").click()
    expect(page.locator("h1")).to_have_text("张会员")
    expect(page.get_by_test_id("person-totals")).to_be_visible()
    fits_the_phone(page)
    shot(page, "4-person")
    traffic.assert_clean(live_server.url)  # before the 404s below, which the console reports

    response = page.goto(f"/orgs/{other.pk}/")
    assert response is not None and response.status == 404
    province = Organisation.objects.get(name="某省总工会")
    response = page.goto(f"/orgs/{province.pk}/people/{outsider.pk}/")
    assert response is not None and response.status == 404
    shot(page, "5-other-subtree-404")
