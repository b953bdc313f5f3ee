"""Matching sets: the forms on the seed and on a law-shaped document, one-to-one pairing checked
against the parse, homogeneous columns, no pair solvable by a shared word, no ordinal trivia."""

import random
import re
from functools import lru_cache
from pathlib import Path

import pytest

from quizzes.core.kinds.matching import pair_line_keys
from quizzes.generation.matching import (
    NUMBER,
    Item,
    bigrams,
    clauses,
    gist,
    matching_questions,
    number_values,
    numbers,
    partition,
)
from quizzes.generation.source import SourceLine, headings, source_lines
from studyapp.documents.parsing import ParsedDocument, parse_document
from tests.support import seed_document, seed_questions

LAW = Path(__file__).resolve().parents[2] / "data" / "union-law-excerpt.md"
CN = "一二三四五六七八九"
ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条$")
LINE_FORMS = ("heading_gist", "article_gist", "number", "halves")


@lru_cache(maxsize=1)
def law_document() -> ParsedDocument:
    return parse_document(LAW.read_text(encoding="utf-8"))


def seed_sets():
    return seed_questions("matching")


@lru_cache(maxsize=2)
def law_sets(seed: int = 0):
    doc = law_document()
    return matching_questions(source_lines(doc), headings(doc), random.Random(seed))


def documents():
    return [(seed_document(), seed_sets()), (law_document(), law_sets())]


def texts_under(doc: ParsedDocument, title: str) -> list[str]:
    """The lines directly under the heading titled `title`."""
    index = next(i for i, n in enumerate(doc.nodes) if n.kind in ("task", "topic") and n.text == title)
    return [doc.nodes[i].text for i in doc.children(index) if doc.nodes[i].kind not in ("task", "topic")]


def correct(doc: ParsedDocument, form: str, left: str, right: str) -> bool:
    """The document's answer, worked out from the parse independently of the generator."""
    nodes = doc.nodes
    all_texts = [n.text for n in nodes]
    if form == "topic_task":
        topic = next(i for i, n in enumerate(nodes) if n.kind == "topic" and n.text == left)
        task = next(a for a in doc.ancestors(topic) if a.kind == "task")
        number, clause = right[1:].split("）", 1)
        return number == task.number and clause in task.text.split("，")
    if form == "name_topic":
        return any(left in n.text and nodes[n.parent].text == right for n in nodes if n.kind == "point")
    if form == "halves":
        joined = re.compile(re.escape(left) + "，(?:并且|而且|或者|同时|其中|以及|但是|并|但|且)?" + re.escape(right))
        return any(joined.search(text) for text in all_texts)
    if form in ("heading_gist", "article_gist"):
        return any(right in text for text in texts_under(doc, left))
    if form == "number":
        return any(right.replace("＿＿", left) in text for text in all_texts)
    if form == "name":
        return any(left in text and right in text for text in all_texts)
    raise AssertionError(form)


def shared_words(left: str, right: str) -> set[str]:
    """Two-character runs of Chinese, letters or digits found on both sides (computed here, not by the generator)."""

    def grams(text: str) -> set[str]:
        runs = re.findall(r"[\u4e00-\u9fffA-Za-z0-9]+", text)
        return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}

    return grams(left) & grams(right)


# --- Forms ---------------------------------------------------------------------------------------


def test_the_seed_gets_sets_of_the_content_forms_and_none_of_the_ordinal_ones():
    forms = {q.form for q in seed_sets()}

    assert forms == {"topic_task", "heading_gist", "number", "name", "name_topic", "halves"}
    for question in seed_sets():
        for left, _right in question.pairs:
            assert not re.fullmatch(r"第.个“要”|（[一二三四五六七八九十]+）", left), left


def test_the_seed_gets_a_reasonable_number_of_sets():
    assert 10 <= len(seed_sets()) <= 40


def test_the_law_excerpt_gets_article_gist_and_number_sets():
    forms = [q.form for q in law_sets()]

    assert len(forms) >= 2
    assert forms.count("article_gist") >= 2 and forms.count("number") >= 2


@pytest.mark.parametrize("which", ["seed", "law"])
def test_every_set_has_four_to_six_pairs_and_no_repeated_text(which):
    for question in seed_sets() if which == "seed" else law_sets():
        lefts = [left for left, _ in question.pairs]
        rights = [right for _, right in question.pairs]
        assert 4 <= len(question.pairs) <= 6
        assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)


def test_each_left_item_fits_exactly_one_right_item_of_its_set():
    for doc, questions in documents():
        for question in questions:
            for left, right in question.pairs:
                fitting = [r for _, r in question.pairs if correct(doc, question.form, left, r)]
                assert fitting == [right], (question.form, left, fitting)


def test_no_pair_shares_a_word_between_its_sides():
    for _doc, questions in documents():
        for question in questions:
            for left, right in question.pairs:
                assert not shared_words(left, right), (question.form, left, right)


def test_each_column_holds_one_kind():
    for doc, questions in documents():
        topics = {n.text for n in doc.nodes if n.kind == "topic"}
        tasks = {n.text for n in doc.nodes if n.kind == "task"}
        for question in questions:
            lefts = [left for left, _ in question.pairs]
            rights = [right for _, right in question.pairs]
            if question.form == "topic_task":
                assert set(lefts) <= topics and all(re.match(r"（[一二三四五六七八九]）", r) for r in rights)
            elif question.form == "article_gist":
                assert all(ARTICLE.match(left) for left in lefts)
                assert not any(ARTICLE.match(right) or "＿" in right for right in rights)
            elif question.form == "heading_gist":
                assert set(lefts) <= topics or set(lefts) <= tasks
                assert not any(ARTICLE.match(left) for left in lefts)
            elif question.form == "number":
                assert all(NUMBER.fullmatch(left) for left in lefts)
                assert all(right.count("＿＿") == 1 and not NUMBER.search(right) for right in rights)
            elif question.form in ("name", "name_topic"):
                assert all(re.fullmatch(r"“[^“”]+”|双\d+工程|\d{3,}", left) for left in lefts)
                if question.form == "name_topic":
                    assert set(rights) <= topics
            else:
                assert question.form == "halves"


def test_pairs_taken_from_lines_rate_those_lines():
    for doc, questions in documents():
        lines = {n.text_key: n.text for n in doc.nodes if n.kind in ("point", "paragraph", "requirement")}
        for question in questions:
            if question.form not in LINE_FORMS:
                continue
            own = {key: lines[key] for key in question.source_text_keys if key in lines}
            for pair, key in zip(question.pairs, pair_line_keys(question.pairs, own), strict=True):
                left, right = pair
                from_a_line = any(right.replace("＿＿", left) in text or right in text for text in own.values())
                assert bool(key) == from_a_line, pair
                if key:
                    assert left in own[key] or right in own[key]


def test_no_two_topics_of_one_task_share_a_topic_to_task_set():
    for question in seed_sets():
        if question.form == "topic_task":
            rights = [right for _, right in question.pairs]
            assert len(set(rights)) == len(rights)


def test_every_topic_appears_in_some_set():
    topics = {n.text for n in seed_document().nodes if n.kind == "topic"}
    asked = {text for q in seed_sets() for pair in q.pairs for text in pair}
    assert len(topics) == 28
    assert topics <= asked


def test_a_task_is_shown_by_a_clause_of_its_title_that_the_topic_does_not_repeat():
    pairs = {pair for q in seed_sets() if q.form == "topic_task" for pair in q.pairs}

    assert ("强化职工思想政治引领", "（一）坚持党的全面领导") in pairs
    assert ("坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂", "（一）引导职工群众更加紧密团结在党的周围") in pairs


def test_pairs_are_not_listed_in_document_order():
    topic_sets = [q for q in seed_sets() if q.form == "topic_task"]
    numbers = [[CN.index(right[1]) for _, right in q.pairs] for q in topic_sets]
    assert any(n != sorted(n) for n in numbers)


def test_numbers_of_one_value_never_share_a_set():
    for _doc, questions in documents():
        for question in questions:
            if question.form == "number":
                values = [number_values(left) for left, _ in question.pairs]
                assert sum(map(len, values)) == len(set().union(*values)), question.pairs


def test_sets_and_keys_do_not_depend_on_the_seed():
    doc = law_document()
    again = matching_questions(source_lines(doc), headings(doc), random.Random(7))

    assert [q.key for q in again] == [q.key for q in law_sets()]
    assert [sorted(q.pairs) for q in again] == [sorted(q.pairs) for q in law_sets()]


# --- The law excerpt, by example ------------------------------------------------------------------


def law_pairs(form: str) -> set[tuple[str, str]]:
    return {pair for q in law_sets() if q.form == form for pair in q.pairs}


def test_law_numbers_are_asked_with_what_they_count():
    pairs = law_pairs("number")

    assert ("十五日", "上一级工会应当自收到申请之日起＿＿内作出答复") in pairs
    assert ("百分之六十", "基层工会留用不少于＿＿") in pairs
    assert ("三年或者五年", "基层工会委员会每届任期＿＿") in pairs


def test_law_articles_are_matched_with_a_clause_of_their_own():
    pairs = law_pairs("article_gist")

    assert ("第三十九条", "必须有工会代表参加") in pairs
    assert ("第四十三条", "工会会员缴纳的会费") in pairs  # the list's first item, without its （一）


# --- Pieces ----------------------------------------------------------------------------------------


def test_numbers_are_counted_numbers_not_ordinals_dates_or_words():
    text = "1992年4月3日第七届会议通过第三条，一体推进“万名劳模”一次，会员二十五人至二百人的，三至七人，一百人，百分之二，2%，1000个站点，三个工作日"

    found = [m.group() for m in numbers(text)]

    assert found == ["二十五人至二百人", "三至七人", "一百人", "百分之二", "2%", "1000个", "三个工作日"]


def test_number_values_compare_numeral_forms_and_keep_the_unit():
    assert number_values("百分之二") == number_values("2%") == {"2%"}
    assert number_values("三年或者五年") == {"3年", "5年"}
    assert number_values("三人至七人") == number_values("三至七人") == {"3人", "7人"}


def test_clauses_break_at_punctuation_and_before_list_marks():
    found = [(c.text, c.sentence) for c in clauses("来源：（一）会费；（二）拨缴的经费。其余上解，留用")]

    assert found == [("来源", 0), ("（一）会费", 1), ("（二）拨缴的经费", 2), ("其余上解", 3), ("留用", 3)]


def line(text: str, position: int = 0) -> SourceLine:
    return SourceLine(f"k{position}", f"t{position}", "paragraph", text, "章", "第一条", "", "", position)


def test_a_gist_skips_references_title_words_and_what_fits_elsewhere():
    section = [line("违反本法第三条规定的，依照前款处理。工会会员缴纳会费，以暴力威胁阻挠造成严重后果")]

    assert gist("第五十一条", section, lambda text: False) == (section[0], "工会会员缴纳会费")
    assert gist("第五十一条", section, lambda text: "会费" in text) == (section[0], "以暴力威胁阻挠造成严重后果")
    assert gist("会员会费", section, lambda text: "会费" not in text) is None


def test_shared_words_are_two_character_runs():
    assert bigrams("工资集体协商") & bigrams("完善职工工资决定") == {"工资"}
    assert not bigrams("“四强”") & bigrams("党支部建设")


def test_partition_keeps_items_of_one_class_apart_and_drops_what_cannot_make_four():
    items = [Item(f"L{i}", f"R{i}", f"C{i % 5}", (str(i),), (str(i),), i) for i in range(10)]
    groups = partition(items)
    assert [len(group) for group in groups] == [5, 5]
    for group in groups:
        assert len({i.conflict for i in group}) == len(group)
    assert partition(items[:3]) == []
    assert partition([Item(f"L{i}", f"R{i}", "same", (), (), i) for i in range(8)]) == []


def test_partition_keeps_items_with_a_common_value_apart_and_prefers_one_full_set_to_a_lost_one():
    items = [Item(f"L{i}", f"R{i}", "", (), (), i, classes=frozenset({f"v{i % 6}"})) for i in range(7)]

    groups = partition(items, unique_lefts=False)

    assert [len(group) for group in groups] == [6]
    assert all(len({c for i in group for c in i.classes}) == len(group) for group in groups)
