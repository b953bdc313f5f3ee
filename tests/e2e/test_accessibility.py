"""The checks of tests/e2e/checks.py catch what they promise, and let pass what they exempt, on small
hand-made pages; axe-core runs inside the app's Content-Security-Policy without a violation."""

from __future__ import annotations

import pytest

from tests.e2e.checks import (
    AXE_INSTALL,
    AXE_JS,
    IN_CI,
    assert_accessible,
    axe_available,
    axe_violations,
    focus_ring_offenders,
    letter_column_offenders,
    tap_target_offenders,
)
from tests.e2e.conftest import PHONE

needs_axe = pytest.mark.skipif(
    not axe_available() and not IN_CI, reason=f"axe-core not found at {AXE_JS}: {AXE_INSTALL}"
)

TAP_PAGE = """<!doctype html><html lang="zh-CN"><body style="margin:0;font:16px/1.5 sans-serif">
<main>
  <button id="small" style="padding:2px">退出</button>
  <button id="big" style="min-width:44px;min-height:44px">开始</button>
  <p><a id="alone" href="#">原文</a></p>
  <p>学习中国工会十八大精神，请先阅读<a id="inline" href="#">图解全文</a>，再做练习巩固要点。</p>
  <p>原文 · <a id="short-line" href="#">标题</a></p>
  <label id="radio-small"><input type="radio" name="r"> 填空</label>
  <label id="radio-big" style="display:flex;min-height:44px"><input type="radio" name="r"> 连线</label>
  <input type="checkbox" id="bare-box">
  <a id="hidden" href="#" style="position:absolute;width:1px;height:1px;overflow:hidden">跳到正文</a>
  <details><summary style="display:block;min-height:44px">数据</summary><a id="closed" href="#">x</a></details>
</main></body></html>"""

COLUMN_PAGE = """<!doctype html><html lang="zh-CN"><body style="margin:0;font:16px/1.5 sans-serif">
<main>
  <div style="display:flex;width:200px"><input style="flex:1 1 auto;width:190px">
    <button id="squeezed" style="flex:1 1 auto;min-width:0;padding:0">加入</button></div>
  <div style="width:36px"><a id="narrow" href="#" style="display:block">查看小组测验报告</a></div>
  <button id="one-line">开始练习</button>
  <div style="width:120px"><a id="long" href="#">健全与港澳台工会和劳动界交流合作机制</a></div>
</main></body></html>"""

AXE_PAGE = """<!doctype html><html lang="zh-CN"><head><title>测试</title></head><body>
<main><h1>标题</h1><h3>跳级的标题</h3><input type="text" id="unlabelled"></main></body></html>"""


def ids(offenders: list[str]) -> set[str]:
    return {offender.split(" ")[0].split(":")[0] for offender in offenders}


def test_the_tap_target_check_lists_small_controls_and_exempts_only_links_in_a_sentence(new_page):
    page = new_page(user=None, **PHONE)
    page.set_content(TAP_PAGE)

    offenders = tap_target_offenders(page)

    assert ids(offenders) == {
        "button#small",
        "a#alone",
        "a#short-line",  # beside four characters: not a sentence
        "label#radio-small",  # a radio button is measured as its label
        "input#bare-box",  # no label: the box itself
    }
    assert any(offender.startswith('button#small "退出": ') for offender in offenders)


def test_the_wrapping_check_finds_labels_set_a_character_or_two_a_line(new_page):
    page = new_page(user=None, **PHONE)
    page.set_content(COLUMN_PAGE)

    offenders = letter_column_offenders(page)

    assert ids(offenders) == {"button#squeezed", "a#narrow"}
    assert any("2 characters on 2 lines" in offender for offender in offenders)


@needs_axe
def test_axe_core_reports_a_skipped_heading_level_and_an_unlabelled_field(new_page):
    page = new_page(user=None, **PHONE)
    page.set_content(AXE_PAGE)

    found = {violation["id"]: violation for violation in axe_violations(page)}

    assert {"heading-order", "label"} <= set(found)
    assert found["label"]["nodes"][0]["target"] == "#unlabelled"


@needs_axe
def test_axe_core_runs_in_a_page_of_the_app_without_breaking_its_content_security_policy(
    new_page, traffic, live_server
):
    page = new_page(user=None, **PHONE)
    response = page.goto("/accounts/login/")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]

    assert_accessible(page)  # axe's source evaluated in the page: no inline <script>, nothing from outside

    assert page.evaluate("() => typeof window.axe.run") == "function"
    traffic.assert_clean(live_server.url)


def test_the_keyboard_focus_is_drawn_with_a_clear_ring_on_every_stop(new_page, learner, small_bank, live_server):
    page = new_page(user=learner, **PHONE)
    page.goto("/")
    assert focus_ring_offenders(page, presses=15) == []

    page.goto("/quiz/")
    assert focus_ring_offenders(page, presses=12) == []
