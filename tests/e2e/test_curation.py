"""Staff curate the question bank in a real browser, on a phone (360 px) and on a desktop: they filter the
bank, edit a fill-in, suppress (asked first) and restore a question, write one by hand, import an Excel
file (refused whole while a row is wrong), find what a changed text flagged for review, and handle a
learner's 题目有误 sent from the feedback of a practice quiz.

Every page is looked at on a phone too: nothing may be wider than the screen, and every button or link
tapped is at least 44 px tall. Screenshots: artifacts/screenshots/curation-<page>-<phone|desktop>.png.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from quizzes.bank import scope_questions
from quizzes.curation.services import question_edit
from quizzes.curation.spreadsheet import COLUMNS
from quizzes.models import Attempt, Origin, Question, QuestionReport
from quizzes.selectors import attempt_current_item
from studyapp.documents.services import document_import
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOT_DIR
from tests.factories import UserFactory

SIZES = {"phone": PHONE, "desktop": DESKTOP}
PHONE_WIDTH = PHONE["viewport"]["width"]
MIN_TAP = 44  # px: the smallest comfortable touch target

UNCHANGED = "推进国有企业工会规范化建设"
CHANGED_OLD = "推动完善社会保险法规政策体系"
CHANGED_NEW = "推动健全社会保障法规政策体系"
EIGHT_MUSTS = "“八个要”"


@pytest.fixture
def admin_user(transactional_db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


# --- Helpers ----------------------------------------------------------------------------------------


def look(page, size: str, name: str, *, full_page: bool = True) -> Path:
    """The page as a person sees it: no wider than a phone's screen (on the phone), a screenshot, and the
    accessibility checks (tests/e2e/checks.py)."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    if width <= PHONE_WIDTH:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE_WIDTH, f"{name}: the page is {scroll_width}px wide on a {PHONE_WIDTH}px phone"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"curation-{name}-{size}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert_accessible(page, f"{name} ({size})")
    return path


def tap(locator) -> None:
    """Tap (click) a button or link after checking that it is big enough to hit with a finger."""
    # An htmx swap still under way (a filter's list) may replace the element: wait for it to land.
    locator.page.wait_for_load_state("networkidle")
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not on screen"
    assert box["height"] >= MIN_TAP, f"{locator} is {box['height']:.0f}px tall (< {MIN_TAP})"
    locator.click()


def drawn_ids() -> set[int]:
    """The questions a practice quiz over the whole document may draw."""
    questions, _label = scope_questions(scope=Attempt.Scope.DOCUMENT)
    return set(questions.values_list("pk", flat=True))


def on_line(text: str, type: str = "cloze") -> Question:
    return Question.objects.active().filter(source__text=text, type=type).order_by("position").first()


def filter_bank(page, **choices: str) -> None:
    """Choose filters by their labels (状态, 题型 …); htmx swaps the results and pushes the URL."""
    expect(page.locator("h1")).to_have_text("题库维护")
    page.wait_for_load_state("load")  # htmx listens for the change from then on
    for label, option in choices.items():
        # A select's name is its label's text and the option shown (状态 全部状态).
        page.get_by_role("combobox", name=re.compile(f"^{label}")).select_option(label=option)
    page.wait_for_load_state("networkidle")


# --- 1. An admin edits, suppresses, restores and writes questions ----------------------------------


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_admin_edits_suppresses_restores_and_writes_questions(
    new_page, admin_user, seed_bank, size, traffic, live_server
):
    question = on_line(UNCHANGED)
    assert question is not None and question.pk in drawn_ids()
    page = new_page(user=admin_user, **SIZES[size])

    # The bank, filtered to the fill-ins on one line.
    page.goto("/staff/bank/")
    expect(page.locator("h1")).to_have_text("题库维护")
    expect(page.get_by_test_id("bank-row").first).to_be_visible()
    look(page, size, "bank", full_page=False)
    filter_bank(page, 题型="填空")
    expect(page).to_have_url(re.compile(r"type=cloze"))
    page.get_by_label("搜索", exact=True).fill(UNCHANGED)
    tap(page.get_by_role("button", name="筛选"))
    expect(page).to_have_url(re.compile(r"q="))
    rows = page.get_by_test_id("bank-row")
    expected = Question.objects.filter(type="cloze", source__text__contains=UNCHANGED).count()
    expect(rows).to_have_count(expected)
    for index in range(expected):
        expect(rows.nth(index).locator(".badge").first).to_have_text("填空")
    look(page, size, "bank-filtered", full_page=False)

    # One question: what learners see, its source, its (empty) log.
    tap(page.locator(f'.curation-prompt a[href="/staff/bank/{question.pk}/"]'))
    expect(page.locator("h1")).to_have_text(f"题目 #{question.pk}")
    expect(page.locator(".curation-badges")).to_contain_text("在用")
    expect(page.locator(".source-line")).to_contain_text(UNCHANGED)
    look(page, size, "question")

    # Edit the stem and the accepted answers of the first blank.
    tap(page.get_by_test_id("edit"))
    expect(page.locator("h1")).to_contain_text("修改题目")
    stem = page.get_by_label("题干", exact=True)
    new_stem = "（依据十八大报告）" + question.prompt
    stem.fill(new_stem)
    accepted = page.get_by_label("第1空也接受的答案", exact=False)
    kept = [form for form in accepted.input_value().splitlines() if form.strip()]  # forms accepted already
    accepted.fill("\n".join([*kept, "同义说法", "另一种说法"]))
    look(page, size, "edit")
    tap(page.get_by_test_id("save"))

    expect(page.locator(".messages")).to_contain_text("已保存修改。")
    expect(page.locator(".learner-preview")).to_contain_text("（依据十八大报告）")
    expect(page.locator(".bank-answers")).to_contain_text("同义说法")
    expect(page.locator(".curation-badges")).to_contain_text("已修改")
    entry = page.get_by_test_id("log-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("修改")
    expect(entry).to_contain_text("admin")
    expect(entry.locator("ins").first).to_be_visible()
    expect(entry.locator("ins").last).to_contain_text("同义说法、另一种说法")
    question.refresh_from_db()
    assert question.prompt.startswith("（依据十八大报告）") and question.is_edited
    assert {*kept, "同义说法", "另一种说法"} <= set(question.blanks[0]["accepted"])
    look(page, size, "question-edited")

    # Suppress: asked first; cancelling changes nothing, confirming takes it out of every draw.
    tap(page.get_by_test_id("suppress"))
    expect(page.locator("h1")).to_have_text("停用这道题？")
    expect(page.get_by_role("alert")).to_contain_text("不会再抽到这道题")
    look(page, size, "suppress")
    tap(page.get_by_role("button", name="取消"))
    expect(page.locator(".curation-badges")).to_contain_text("在用")
    assert question.pk in drawn_ids()

    tap(page.get_by_test_id("suppress"))
    page.get_by_label("说明（可不填，记入修改记录）").fill("题干有歧义")
    tap(page.get_by_test_id("confirm-suppress"))
    expect(page.locator(".messages")).to_contain_text("已停用这道题")
    badges = page.locator(".curation-badges")
    expect(badges).to_contain_text("已停用")
    expect(badges).not_to_contain_text("在用")
    expect(page.get_by_test_id("log-entry").filter(has_text="停用")).to_contain_text("题干有歧义")
    expect(page.get_by_test_id("restore")).to_be_visible()
    assert question.pk not in drawn_ids()
    question.refresh_from_db()
    assert question.is_suppressed and not question.is_active
    look(page, size, "question-suppressed")

    # Restore it: drawn again.
    tap(page.get_by_test_id("restore"))
    expect(page.locator(".messages")).to_contain_text("已恢复这道题")
    expect(page.locator(".curation-badges")).to_contain_text("在用")
    expect(page.get_by_test_id("log-entry")).to_have_count(3)
    assert question.pk in drawn_ids()

    # A hand-written single-choice question on a point.
    tap(page.locator(".curation-nav").get_by_role("link", name="新增题目"))
    expect(page.locator("h1")).to_have_text("新增题目")
    look(page, size, "new-kind")
    tap(page.get_by_role("button", name="单选", exact=True))
    expect(page.locator("h1")).to_contain_text("新增题目")
    page.get_by_label("所属章节或要点").select_option(label="· " + UNCHANGED)
    prompt = f"国有企业工会要推进什么建设？（{size}）"
    page.get_by_label("题干", exact=True).fill(prompt)
    for letter, text in zip("ABCD", ["民主化建设", "规范化建设", "信息化建设", "标准化建设"], strict=True):
        page.get_by_label(f"选项{letter}", exact=True).fill(text)
    tap(page.locator(".option-row").nth(1).locator(".option-right"))
    expect(page.locator(".option-row").nth(1).locator("input[type=radio]")).to_be_checked()
    page.get_by_label("解析（可不填）").fill("原文：推进国有企业工会规范化建设。")
    tap(page.get_by_role("button", name="检查并预览"))
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("检查通过，可以保存。")
    expect(preview).to_contain_text(prompt)
    look(page, size, "new")
    tap(page.get_by_test_id("save"))

    expect(page.locator(".messages")).to_contain_text("已添加这道题")
    expect(page.locator(".curation-badges")).to_contain_text("人工编写")
    written = Question.objects.get(prompt=prompt)
    assert written.origin == Origin.WRITTEN and written.source.text == UNCHANGED
    assert written.pk in drawn_ids()

    tap(page.locator(".curation-nav").get_by_role("link", name="题库"))
    filter_bank(page, 状态="人工编写")
    expect(page).to_have_url(re.compile(r"status=written"))
    rows = page.get_by_test_id("bank-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(prompt)
    expect(rows).to_contain_text("单选")
    look(page, size, "bank-written", full_page=False)
    traffic.assert_clean(live_server.url)


# --- 2. Excel import: refused whole while a row is wrong, then 200 questions land -------------------


def good_row(number: int) -> dict[str, str]:
    """Row `number` of the file (1-based), in the template's columns; the kinds take turns."""
    tag = f"（第{number}题）"
    section = EIGHT_MUSTS if number % 3 else ""
    match number % 4:
        case 0:
            return {
                "题型": "单选",
                "题干": f"{tag}要大力弘扬劳模精神、劳动精神、（　），依靠劳动创造扎实推进中国式现代化。",
                "选项A": "工匠精神",
                "选项B": "奉献精神",
                "选项C": "创新精神",
                "选项D": "奋斗精神",
                "答案": "A",
                "解析": "原文：要大力弘扬劳模精神、劳动精神、工匠精神。",
                "所属章节": section,
            }
        case 1:
            return {
                "题型": "多选",
                "题干": f"{tag}要大力弘扬哪些精神，依靠劳动创造扎实推进中国式现代化？",
                "选项A": "劳模精神",
                "选项B": "劳动精神",
                "选项C": "工匠精神",
                "选项D": "企业家精神",
                "答案": "ABC",
                "所属章节": section,
            }
        case 2:
            return {
                "题型": "判断",
                "题干": f"{tag}要坚持以企业为中心的工作导向。",
                "答案": "错",
                "解析": "原文为“以职工为中心的工作导向”。",
                "所属章节": section,
            }
        case _:
            return {
                "题型": "填空",
                "题干": f"{tag}要坚持以＿＿为中心的工作导向。",
                "答案": "职工/职工群众",
                "所属章节": section,
            }


# Row number in the file (1-based, without the header) → a mistake and what the preview says about it.
BAD_ROWS = {
    17: ({"答案": "E"}, "不在已填写的选项中"),  # a 多选 (17 % 4 == 1) whose answer is not an option
    88: ({"题型": "问答"}, "无法识别"),  # an unknown kind
    151: ({"题干": "（第151题）要坚持以职工为中心的工作导向。"}, "题干中没有找到空"),  # a fill-in without a blank
}


def workbook_bytes(rows: list[dict[str, str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_an_excel_file_with_bad_rows_is_refused_whole_and_the_fixed_one_imports(
    new_page, admin_user, seed_bank, tmp_path, traffic, live_server
):
    rows = [good_row(number) for number in range(1, 201)]
    bad_rows = [dict(row) for row in rows]
    for number, (mistake, _reason) in BAD_ROWS.items():
        bad_rows[number - 1].update(mistake)
    bad_file, fixed_file = tmp_path / "题库-有误.xlsx", tmp_path / "题库.xlsx"
    bad_file.write_bytes(workbook_bytes(bad_rows))
    fixed_file.write_bytes(workbook_bytes(rows))
    before = Question.objects.count()
    page = new_page(user=admin_user, **DESKTOP)

    page.goto("/staff/bank/")
    tap(page.locator(".curation-nav").get_by_role("link", name="导入"))
    expect(page.locator("h1")).to_have_text("导入题目")
    expect(page.get_by_test_id("template")).to_be_visible()
    look(page, "desktop", "import")
    page.set_input_files("input[type=file]", str(bad_file))
    tap(page.get_by_role("button", name="上传并检查"))

    expect(page.locator("h1")).to_have_text("导入预览")
    expect(page.locator("hgroup")).to_contain_text("共 200 道：可导入 197 道，有误 3 道")
    refused = page.get_by_test_id("import-row").filter(has_text="有误")
    expect(refused).to_have_count(3)
    for index, (number, (_mistake, reason)) in enumerate(BAD_ROWS.items()):
        excel_row = number + 1  # the header is row 1
        expect(refused.nth(index)).to_contain_text(f"第{excel_row}行")
        expect(refused.nth(index)).to_contain_text(reason)
    expect(page.get_by_test_id("import-row").filter(has_text="可导入")).to_have_count(197)
    apply = page.get_by_test_id("apply")
    expect(apply).to_be_disabled()
    summary = page.get_by_test_id("refused-summary")  # the problems are listed before the rows too
    expect(summary).to_contain_text("全部无误才能导入")
    for number, (_mistake, reason) in BAD_ROWS.items():
        expect(summary).to_contain_text(f"第{number + 1}行")
        expect(summary).to_contain_text(reason)
    assert Question.objects.count() == before  # nothing lands
    look(page, "desktop", "import-preview-refused", full_page=False)
    refused.first.scroll_into_view_if_needed()
    look(page, "desktop", "import-preview-refused-row", full_page=False)

    # The same pages on a phone: the upload is listed, its preview readable, nothing wider than the screen.
    phone = new_page(user=admin_user, **PHONE)
    phone.goto("/staff/bank/import/")
    look(phone, "phone", "import")
    tap(phone.locator(".upload-list").get_by_role("link", name=bad_file.name))
    expect(phone.locator("h1")).to_have_text("导入预览")
    expect(phone.get_by_test_id("refused-summary")).to_contain_text("第18行")
    expect(phone.get_by_test_id("apply")).to_be_disabled()
    look(phone, "phone", "import-preview-refused", full_page=False)
    phone.get_by_test_id("import-row").filter(has_text="有误").first.scroll_into_view_if_needed()
    look(phone, "phone", "import-preview-refused-row", full_page=False)

    # The fixed file: every row can be imported, and all 200 land.
    tap(page.get_by_role("button", name="重新上传"))
    page.set_input_files("input[type=file]", str(fixed_file))
    tap(page.get_by_role("button", name="上传并检查"))
    expect(page.locator("hgroup")).to_contain_text("共 200 道：可导入 200 道，有误 0 道")
    expect(page.get_by_test_id("import-row").filter(has_text="有误")).to_have_count(0)
    apply = page.get_by_test_id("apply")
    expect(apply).to_be_enabled()
    expect(apply).to_have_text("导入 200 道题")
    look(page, "desktop", "import-preview-ok", full_page=False)
    tap(apply)

    expect(page.locator(".messages")).to_contain_text("已导入 200 道题。")
    expect(page).to_have_url(re.compile(r"status=imported"))
    expect(page.locator("#results")).to_contain_text("共 200 道")
    assert Question.objects.count() == before + 200
    imported = Question.objects.filter(origin=Origin.IMPORTED)
    assert imported.count() == 200 and imported.filter(is_active=True).count() == 200
    placed = sum(1 for number in range(1, 201) if good_row(number)["所属章节"])
    assert imported.filter(source__text=EIGHT_MUSTS).count() == placed
    look(page, "desktop", "bank-imported", full_page=False)
    traffic.assert_clean(live_server.url)


# --- 3. A changed text flags exactly the edited question whose line changed ------------------------


def test_after_a_changed_text_the_admin_finds_exactly_the_affected_question_to_review(
    new_page, admin_user, seed_bank, seed_markdown, traffic, live_server
):
    edited_kept, edited_changed = on_line(UNCHANGED), on_line(CHANGED_OLD)
    for question in (edited_kept, edited_changed):
        blanks = [{**blank, "accepted": [*blank["accepted"], "同义答案"]} for blank in question.blanks]
        assert question_edit(question=question, user=admin_user, changes={"blanks": blanks})
    changed = seed_markdown.decode().replace(CHANGED_OLD, CHANGED_NEW).encode()
    document_import(source=changed, source_name="十八大-修订.md", activate=True)
    assert set(Question.objects.filter(needs_review=True).values_list("pk", flat=True)) == {edited_changed.pk}

    for size in ("phone", "desktop"):
        page = new_page(user=admin_user, **SIZES[size])
        page.goto("/staff/bank/")
        expect(page.locator("hgroup")).to_contain_text("待复核 1 道")
        filter_bank(page, 状态="待复核")
        expect(page).to_have_url(re.compile(r"status=review"))
        rows = page.get_by_test_id("bank-row")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(edited_changed.prompt[:20])
        expect(rows.locator(".curation-badges")).to_contain_text("待复核")
        expect(rows.locator(".curation-badges")).to_contain_text("已修改")
        look(page, size, "bank-review", full_page=False)

        tap(rows.locator(".curation-prompt a"))
        expect(page.locator("h1")).to_have_text(f"题目 #{edited_changed.pk}")
        expect(page.get_by_test_id("review-reason")).to_be_visible()
        expect(page.get_by_test_id("log-entry").filter(has_text="原文变化，待复核")).to_have_count(1)
        look(page, size, "question-review")

    # The edit on the unchanged line kept its wording and is not flagged.
    edited_kept.refresh_from_db()
    assert edited_kept.is_active and not edited_kept.needs_review and "同义答案" in edited_kept.blanks[0]["accepted"]
    traffic.assert_clean(live_server.url)


# --- 4. 题目有误 from a practice quiz's feedback, handled in the reports queue --------------------------


def test_a_learner_reports_a_fill_in_and_the_staff_resolve_it(
    new_page, learner, admin_user, seed_bank, traffic, live_server
):
    phone = new_page(user=learner, **PHONE)
    phone.goto("/quiz/")
    expect(phone.locator("h1")).to_have_text("开始练习")
    phone.get_by_label("填空", exact=True).check()
    phone.get_by_label("5 题", exact=True).check()
    tap(phone.get_by_role("button", name="开始", exact=True))

    expect(phone.get_by_test_id("position")).to_have_text("第 1 / 5 题")
    attempt = Attempt.objects.get(user=learner)
    item = attempt_current_item(attempt)
    question = item.question
    assert question.type == "cloze"
    blanks = phone.locator("input[id^=blank-]")
    for index in range(blanks.count()):
        blanks.nth(index).fill("随便写的")
    tap(phone.get_by_test_id("submit"))
    expect(phone.locator(".feedback-verdict")).to_contain_text("回答错误")
    look(phone, "phone", "feedback-wrong")

    tap(phone.get_by_test_id("report-link"))
    text = phone.get_by_label("哪里有误？")
    expect(text).to_be_visible()
    look(phone, "phone", "report-form")
    text.fill("“随便写的”在原文里也有这种说法，应该算对。")
    tap(phone.get_by_test_id("report-submit"))
    expect(phone.get_by_test_id("report-sent")).to_contain_text("已收到，谢谢")
    look(phone, "phone", "report-sent")
    report = QuestionReport.objects.get(question=question, reporter=learner)
    assert report.status == QuestionReport.Status.OPEN

    # The staff: on a desktop the queue, on a phone the queue and resolving the report.
    desk = new_page(user=admin_user, **DESKTOP)
    desk.goto("/staff/bank/")
    tap(desk.get_by_role("link", name="待处理反馈 1 条"))
    expect(desk.locator("h1")).to_have_text("题目反馈")
    expect(desk.get_by_test_id("report")).to_contain_text("应该算对")
    look(desk, "desktop", "reports")

    staff = new_page(user=admin_user, **PHONE)
    staff.goto("/staff/bank/")
    tap(staff.locator(".curation-nav").get_by_role("link", name="题目反馈"))
    entry = staff.get_by_test_id("report")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("应该算对")
    expect(staff.locator(".curation-item")).to_contain_text(question.prompt[:15])
    look(staff, "phone", "reports")
    entry.get_by_label("处理说明（可不填）").fill("已把这个说法加为也接受的答案")
    tap(entry.get_by_role("button", name="已处理"))

    expect(staff.locator(".messages")).to_contain_text("反馈已标记为“已处理”")
    expect(staff.get_by_test_id("report")).to_have_count(0)
    expect(staff.locator(".curation-list")).to_contain_text("没有待处理的反馈。")
    look(staff, "phone", "reports-resolved")
    report.refresh_from_db()
    assert report.status == QuestionReport.Status.RESOLVED and report.handled_by == admin_user
    assert report.response == "已把这个说法加为也接受的答案"
    traffic.assert_clean(live_server.url)
