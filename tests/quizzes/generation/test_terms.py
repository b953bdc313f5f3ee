"""Key-term extraction: hand-written lines and the real document."""

from functools import lru_cache

from quizzes.generation.source import source_lines
from quizzes.generation.terms import STOP_WORDS, analyse, extract_terms, is_number
from tests.support import seed_document


@lru_cache(maxsize=1)
def real_terms():
    return analyse(source_lines(seed_document()))


def members(text):
    return [[m.text for m in e.members] for lt in analyse_text(text) for e in lt.enumerations]


def analyse_text(text):
    from quizzes.generation.source import SourceLine

    return analyse([SourceLine(str(i), str(i), "point", t, "", "", "", "", i) for i, t in enumerate(text.splitlines())])


def test_quoted_names_are_found_whole_including_nested_quotes():
    terms = extract_terms(
        "深化“安康杯”竞赛等群众性安全生产活动\n"
        "深入开展“暖边绿境”关爱职工专项行动\n"
        "让亿万职工群众享受“一键入会”\n"
        "深入开展“建功‘十四五’、奋进新征程”主题劳动和技能竞赛"
    )
    assert {"安康杯", "暖边绿境", "一键入会", "建功‘十四五’、奋进新征程"} <= set(terms)
    assert "十四五" not in terms  # inside the slogan, which is the better blank


def test_numbers_keep_their_measure_words():
    terms = extract_terms(
        "推进全国工会系统12351维权服务热线建设\n"
        "培育选树1000个基层协调劳动关系公共服务样板站点\n"
        "争取经过三年努力\n"
        "以实施双15工程为牵引\n"
        "落实全国工会法治宣传教育五年规划"
    )
    assert {"12351", "1000个", "三年", "双15工程", "五年规划"} <= set(terms)
    assert "1000" not in terms and "15" not in terms


def test_enumerations_are_cut_where_the_list_begins_not_at_the_verb():
    assert members("持续提高引领力、组织力、服务力") == [["引领力", "组织力", "服务力"]]
    assert members("保持和增强政治性、先进性、群众性") == [["政治性", "先进性", "群众性"]]
    assert members("叫响做实工会送温暖、送清凉、金秋助学、职工医疗互助等工作品牌") == [
        ["送温暖", "送清凉", "金秋助学", "职工医疗互助"]
    ]
    assert members("全面实施“研读原著、专题研讨、调查研究、转化运用”党的创新理论学习行动") == [
        ["研读原著", "专题研讨", "调查研究", "转化运用"]
    ]


def test_function_words_and_punctuation_are_never_terms():
    terms = extract_terms(
        "加强与各国工会组织、区域和国际工会组织的交流合作\n推动新业态劳动者等涉及职工维权服务和工会领域的法律法规制定"
    )
    assert not {"的", "和", "等", "与", "及", "对", "为", "、", "，"} & set(terms)
    assert all(len(t) >= 2 for t in terms)


def test_a_rare_name_outranks_a_word_every_line_repeats():
    terms = extract_terms("加强工会宣传工作\n深化“安康杯”竞赛工作\n完善工会服务工作\n推进工会财务工作")
    assert terms[0] == "安康杯"
    assert "工作" not in terms


def test_the_private_tokenizer_leaves_jieba_global_dictionary_alone():
    import jieba

    analyse_text("深入开展“暖边绿境”关爱职工专项行动")
    assert "暖边绿境" not in jieba.dt.FREQ


def test_no_term_of_the_real_document_is_a_stop_word_a_single_character_or_a_whole_line():
    for lt in real_terms():
        for term in lt.terms:
            assert term.text not in STOP_WORDS
            assert len(term.text) >= 2 or is_number(term.text)
            assert term.text != lt.line.text
            assert lt.line.text[term.start : term.end] == term.text
