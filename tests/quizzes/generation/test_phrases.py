"""Candidate rules, ranking features and the bank-wide rules (no repeats, no give-aways,
every line asked), on hand-written lines, the seed and the law-shaped document."""

import re
from functools import lru_cache
from pathlib import Path

import pytest

from quizzes.generation import generate_questions
from quizzes.generation.choice import KindPool, kind_at
from quizzes.generation.cloze import _people_of_interest, _whole, cloze_questions, line_units, quota
from quizzes.generation.phrases import GENERIC
from quizzes.generation.quality import is_generic, quality, read_gold
from quizzes.generation.source import SourceLine, source_lines
from quizzes.generation.terms import (
    ARABIC,
    COMPOUND,
    ENUM,
    PHRASE,
    Term,
    _manner_after_name,
    _people_before,
    _split_compounds,
    analyse,
    made_of_common,
)
from studyapp.documents.parsing import parse_document
from tests.support import seed_document

DATA = Path(__file__).resolve().parents[2] / "data"
GOLD = DATA / "acftu-key-terms.tsv"


def analyse_text(*texts):
    return analyse([SourceLine(str(i), str(i), "point", t, "", "", "", "", i) for i, t in enumerate(texts)])


def candidates(text):
    return {t.text: t for t in analyse_text(text)[0].candidates}


@lru_cache(maxsize=1)
def law():
    document = parse_document((DATA / "union-law-excerpt.md").read_bytes())
    return document, generate_questions(document, seed=0)


@lru_cache(maxsize=1)
def seed():
    document = seed_document()
    return document, generate_questions(document, seed=0)


# --- Candidate rules ------------------------------------------------------------------------------


def test_a_phrase_does_not_start_with_the_verb_that_governs_it():
    found = candidates("积极维护女职工合法权益，充分保障女职工特殊权益")

    assert "女职工特殊权益" in found
    assert not any(text.startswith(("维护", "保障")) for text, t in found.items() if t.category == PHRASE)


def test_a_principle_framed_by_yi_wei_is_one_candidate():
    assert "以职工为中心" in candidates("要坚持以职工为中心的工作导向，切实维护职工合法权益")
    assert "以党的政治建设为统领" in candidates("以党的政治建设为统领全面加强党的建设")


def test_a_list_ends_at_deng():
    (line,) = analyse_text("加快创建线上工会、云上课堂、线上援助、数字展馆等一系列线上、云上产品和服务")

    assert [[m.text for m in e.members] for e in line.enumerations] == [
        ["线上工会", "云上课堂", "线上援助", "数字展馆"]
    ]


def test_the_last_member_is_cut_where_the_members_share_length_and_end():
    (line,) = analyse_text("用心用情做好维权服务工作，实现好、维护好、发展好职工群众根本利益")

    assert ["实现好", "维护好", "发展好"] in [[m.text for m in e.members] for e in line.enumerations]


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("促进企业内部分配进一步向一线职工、技术工人倾斜", ["一线职工", "技术工人"]),
        ("全面推进互联网企业、平台企业建会扩面提质", ["互联网企业", "平台企业"]),
    ],
)
def test_a_list_of_two_is_cut_where_its_members_mirror_each_other(text, members):
    (line,) = analyse_text(text)

    assert members in [[m.text for m in e.members] for e in line.enumerations]


def test_two_clauses_joined_by_a_list_mark_are_no_list_of_two():
    (line,) = analyse_text("就党的工运事业和工会工作发表一系列重要讲话、作出一系列重要指示")

    assert not any("作出" in m.text or m.text.endswith("重要") for e in line.enumerations for m in e.members)


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂", "凝心铸魂"),  # 凝|心|铸|魂
        ("持续推进非公有制企业建会强会工作", "建会强会"),  # 建|会|强|会
        ("建强用好党委协同机制，做实下沉地方联动机制", "建强用好"),  # 建|强|用好
        ("探索新产业新业态竞赛活动新形式", "新产业新业态"),  # a repeated lead of two parts
        ("全面推进互联网企业、平台企业建会扩面提质", "建会扩面提质"),  # six lone characters
        ("巩固拓展学习贯彻习近平新时代中国特色社会主义思想主题教育成果", "巩固拓展"),  # before 学习贯彻
        ("广泛深入持久开展劳动和技能竞赛", "广泛深入持久"),  # the manner before the verb
    ],
)
def test_a_formula_the_dictionary_cut_into_single_characters_is_one_candidate(text, formula):
    assert formula in candidates(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("落实全国工会法治宣传教育五年规划", "法治宣传教育"),  # a number inside starts a phrase of its own
        ("加强对基层的指导和帮扶", "指导和帮扶"),  # the head after 的, with its 和
        ("努力把各级工会组织建设成为名副其实的职工之家", "职工之家"),  # 职工|之|家 is one word
        ("推动落实终身职业技能培训制度", "终身职业技能培训制度"),  # jieba tags 终身 as an adverb
        ("参与产业工人队伍立法工作", "产业工人队伍立法"),  # …and 立法 as one
        ("大力开展对党忠诚教育", "对党忠诚教育"),  # 对 before a one-character noun belongs to the phrase
        (
            "落实意识形态工作责任制，牢牢掌握工会意识形态工作领导权",
            "意识形态工作责任制",
        ),  # a 4-character word opens a name
        ("强化劳动领域法律法规执行", "法律法规执行"),  # 执行 after a noun is its head
        ("持续点燃创新创造激情", "创新创造激情"),  # one governing verb is stripped, not the verbs after it
        ("畅通职业发展通道", "职业发展通道"),  # jieba's 畅通/a and 通道/v
        ("坚持以严的基调强化正风肃纪反腐", "严的基调"),  # 严|的: no unknown word, 的 joins
        ("坚持以严的基调强化正风肃纪反腐", "正风肃纪反腐"),  # four lone characters and the verb after them
        ("打造影响力大、引领力强的竞赛品牌", "竞赛品牌"),  # the head after 的 keeps its own noun
        ("深化工会改革和建设，有效发挥党联系职工群众的桥梁纽带作用", "工会改革和建设"),  # 建设: a member
    ],
)
def test_phrases_cut_where_a_trainer_would(text, phrase):
    assert phrase in candidates(text)


def test_a_phrase_never_ends_with_a_verb_that_governs_what_follows():
    found = candidates("就党的工运事业和工会工作发表一系列重要讲话")

    assert any(text.endswith("工运事业") for text in found)
    assert not any(text.endswith("发表") for text in found)
    assert "党组内部巡视" in candidates("扎实做好党组内部巡视工作，巩固深化中央巡视整改成果")  # 巡视|工作: a noun


def test_the_nouns_after_a_recurring_name_are_a_phrase_of_their_own():
    first, _ = analyse_text(
        "巩固拓展学习贯彻习近平新时代中国特色社会主义思想主题教育成果",
        "坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂",
    )

    assert "主题教育" in {t.text for t in first.candidates}


def test_a_name_and_the_manner_word_after_it_are_asked_apart():
    (line,) = analyse_text("推进国有企业工会规范化建设，全面加快工会系统数字化建设")
    ranked = [t.text for t in line.terms]

    assert {"国有企业工会", "规范化"} <= set(ranked) and "国有企业工会规范化" not in ranked


def test_no_phrase_cuts_into_a_formula_of_lone_characters():
    found = candidates("履行工会牵头抓总职责，形成党组统一领导的格局")

    assert "牵头抓总" in found and "总职责" not in found


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("要深化产业工人队伍建设改革，努力建设高素质劳动大军。", "高素质劳动大军"),  # 努力|建设/vn: a verb here
        ("进一步加强系统谋划、顶层设计，优化资源配置", "资源配置"),  # ，优化/vn: likewise
        # 组织 after a noun: a noun (the frame verb's whole object keeps its context word)
        ("深化工会社会组织工作，深化劳模和工匠人才创新工作室建设", "工会社会组织"),
    ],
)
def test_a_verbal_noun_opening_a_clause_governs_and_a_frame_word_after_a_noun_is_a_noun(text, phrase):
    ranked = [t.text for t in analyse_text(text)[0].terms]

    assert phrase in ranked
    assert "工会社会" not in ranked


def test_a_measure_word_opens_no_phrase_and_a_predicate_ends_none():
    assert "个基层" not in candidates("培育选树1000个基层协调劳动关系公共服务样板站点")
    assert not any(t.endswith("提升") for t in candidates("争取经过三年努力，基层直接服务职工群众的能力大幅提升"))


def test_the_party_s_name_opens_a_phrase_and_a_numeral_ends_none():
    assert "党的全面领导" in candidates("坚持党的全面领导，引导职工群众更加紧密团结在党的周围")
    assert not any(text.endswith("十八") for text in candidates("党的十八大以来，习近平总书记就工会工作作出重要指示"))


def test_a_suffixed_word_opening_lines_is_a_candidate_not_a_governing_verb():
    (first, _second) = analyse_text(
        "常态化开展各级工会机关干部赴基层蹲点工作", "常态化开展职工队伍风险隐患专项排查化解工作"
    )

    assert "常态化" in {t.text for t in first.candidates}


def test_a_period_is_asked_with_its_time_word_and_no_phrase_cuts_into_it():
    found = candidates("中国工会今后五年的主要工作")

    assert "今后五年" in found
    assert "中国工会今后" not in found


def test_a_bare_digit_is_no_number_but_a_hotline_a_year_and_a_measured_number_are():
    def numbers(text):
        return [m.group() for m in ARABIC.finditer(text)]

    assert numbers("alert(2)") == [] and numbers("第1条") == [] and numbers("x12") == []
    assert numbers("推进全国工会系统12351维权服务热线建设") == ["12351"]
    assert numbers("培育1000个站点，2035年，3个月，2.5%，双15工程") == ["1000个", "2035年", "3个月", "2.5%", "双15工程"]


def test_a_blank_made_only_of_common_words_is_no_candidate():
    assert made_of_common("广大职工") and made_of_common("工会组织") and not made_of_common("基层工会")
    found = candidates("组织带领广大职工群众为实现发展目标建功立业")

    assert "广大职工" not in found and "广大职工群众" not in found


def test_a_line_of_common_words_still_gets_candidates():
    # Every phrase of it is made of stop words or generic words: the fallback asks its runs of nominal words.
    found = candidates("抓好劳动关系发展态势监测")

    assert "态势监测" in found and found["态势监测"].category == PHRASE
    assert not any(text in GENERIC for text in found)


# --- Ranking features -----------------------------------------------------------------------------


def test_a_phrase_made_of_two_strong_candidates_yields_to_them():
    # 发挥劳模工匠示范引领作用: 劳模工匠 and 示范引领 side by side, each nearly as strong as the whole.
    whole, left, right = (
        Term("劳模工匠示范引领", 4, PHRASE, "n", 22.0),
        Term("劳模工匠", 4, PHRASE, "n", 20.0),
        Term("示范引领", 8, PHRASE, "n", 19.0),
    )
    split = {t.text: t.score for t in _split_compounds([whole, left, right])}

    assert split == {"劳模工匠示范引领": 22.0 - COMPOUND, "劳模工匠": 20.0, "示范引领": 19.0}
    # One part far weaker (below the whole by more than COMPOUND): the whole is one idea and keeps its score.
    weak = Term("示范引领", 8, PHRASE, "n", 22.0 - COMPOUND - 1)
    assert {t.text: t.score for t in _split_compounds([whole, left, weak])}["劳模工匠示范引领"] == 22.0


def test_terms_are_best_first_and_do_not_overlap():
    for line in analyse_text(
        "聚焦高质量发展这个首要任务，组织职工群众建功立业、创新创造", "深化“安康杯”竞赛等群众性安全生产活动"
    ):
        scores = [t.score for t in line.terms]
        assert scores == sorted(scores, reverse=True)
        spans = sorted((t.start, t.end) for t in line.terms)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


# --- Distractor kinds -----------------------------------------------------------------------------


def test_options_are_of_the_answers_kind_where_it_stands():
    lines = analyse_text(
        "要大力弘扬劳模精神、劳动精神、工匠精神",
        "大力弘扬企业家精神",
        "深化“安康杯”竞赛，开展“一键入会”",
        "争取经过三年努力，落实五年规划",
        "推进产业工人队伍建设改革，完善劳动法律法规体系和社会保险法规政策体系",
    )
    pool = KindPool(lines)
    text = lines[1].line.text
    entrepreneur = next(t for t in lines[1].candidates if t.text == "企业家精神")

    assert kind_at(text, entrepreneur) == "phrase"
    assert all(option.endswith("神") for option in pool.same_kind("企业家精神", "phrase"))
    assert set(pool.same_kind("安康杯", "quote")) == {"安康杯", "一键入会"}
    assert all(option.endswith("年") for option in pool.same_kind("三年", "number"))
    member = next(m for e in lines[0].enumerations for m in e.members if m.text == "劳模精神")
    assert kind_at(lines[0].line.text, member) == "member" and member.category == ENUM


def test_two_nouns_of_one_shape_joined_by_and_are_asked_together():
    pairs = [
        [m.text for m in e.members]
        for lt in analyse_text(
            "强化党组织政治功能和组织功能", "完善对机关干部和直属单位的综合考核", "深化劳动和技能竞赛"
        )
        for e in lt.enumerations
    ]

    # 党组织 is the modifier of both; a two-character side that needs a cut is the head's kind, no member.
    assert pairs == [["政治功能", "组织功能"], ["机关干部", "直属单位"]]


# --- The bank: the seed and the law-shaped document -----------------------------------------------


@pytest.mark.parametrize("bank", [seed, law], ids=["seed", "law"])
def test_every_line_has_a_question_and_no_answer_is_in_a_heading_above(bank):
    figures = quality(*bank())

    assert figures.uncovered == ()
    assert figures.giveaways == ()


@pytest.mark.parametrize("bank", [seed, law], ids=["seed", "law"])
def test_no_single_choice_repeats_a_fill_in_and_its_distractors_are_of_the_answers_kind(bank):
    figures = quality(*bank())

    # Few, but each with three options whose heads are of the answer's kind (the law excerpt is short:
    # 6 today; the seed 12), and none repeating a fill-in.
    assert figures.choices >= 5
    assert figures.duplicate_choices == ()
    assert figures.distractors["choice"].share >= 0.8


def test_no_question_is_asked_twice():
    for _document, questions in (seed(), law()):
        keys = [q.key for q in questions]
        assert len(keys) == len(set(keys))
        asked = [(q.type, q.source_text_keys[0], tuple(b.answer for b in q.blanks)) for q in questions if q.blanks]
        assert len(asked) == len(set(asked))


def test_the_law_documents_numbers_are_asked():
    document, questions = law()
    answers = {b.answer for q in questions if q.type == "cloze" for b in q.blanks}

    assert {"二十五人", "十五日", "三个月", "2%", "百分之四十"} <= answers


def test_the_seed_recall_and_generic_share_do_not_fall_back():
    # Key-term recall over every kind stays at today's 91.6% (252 of 275) or more; the fill-ins'
    # floor is today's 85.8% (236 of 275), generic blanks 0.3%.
    figures = quality(*seed(), read_gold(GOLD))

    assert figures.recall >= 0.858
    assert figures.bank_recall >= 0.916
    assert figures.generic_share <= 0.02
    assert not any(is_generic(b.answer) and len(b.answer) <= 2 for q in seed()[1] for b in q.blanks)


def test_a_stem_another_line_of_its_scope_fits_is_not_asked_one_of_another_scope_is():
    def asked(*topics):
        lines = [
            SourceLine(str(i), str(i), "point", text, "", "", "", topic, i)
            for i, (text, topic) in enumerate(
                zip(("加强工会干部队伍建设", "加强网络信息队伍建设"), topics, strict=True)
            )
        ]
        return {b.answer for q in cloze_questions(analyse(lines)) for b in q.blanks}

    # 加强＿＿＿＿＿＿建设 fits both lines; under one topic heading nothing tells them apart.
    assert "网络信息队伍" not in asked("干部", "干部")
    assert "网络信息队伍" in asked("干部", "网信")


def test_the_first_member_leaves_out_the_context_word_before_it():
    (line,) = analyse_text("壮大工会劳动法律监督员、劳动保护监督检查员、劳动争议调解员、兼职仲裁员等工会法律人才队伍")

    assert [[m.text for m in e.members] for e in line.enumerations] == [
        ["劳动法律监督员", "劳动保护监督检查员", "劳动争议调解员", "兼职仲裁员"]
    ]


def test_a_list_member_a_heading_above_shows_stays_in_the_stem_as_a_clue():
    line = SourceLine(
        "1",
        "1",
        "point",
        "聚焦产业工人思想引领、建功立业、素质提升、地位提高、队伍壮大等工作",
        "",
        "组织职工建功立业",
        "",
        "",
        1,
    )
    (question,) = [q for q in cloze_questions(analyse([line])) if len(q.blanks) > 1]

    assert "建功立业" in question.prompt
    assert [b.answer for b in question.blanks] == ["思想引领", "素质提升", "地位提高", "队伍壮大"]


def test_a_line_whose_next_idea_no_other_kind_asks_gets_it_as_another_fill_in():
    document, questions = seed()
    text = "持续推进非公有制企业建会强会工作"  # 16 characters: a verb frame and two key phrases
    (line,) = [line for line in source_lines(document) if line.text == text]
    on_line = [q for q in questions if q.source_text_keys == (line.text_key,)]
    fill_ins = sorted(q.blanks[0].answer for q in on_line if q.type == "cloze")
    others = [q for q in on_line if q.type in ("choice", "truefalse")]

    # The quota's first idea is a fill-in; the next is asked by another kind, else by a second fill-in.
    assert fill_ins and (len(fill_ins) >= 2 or others)
    assert len(fill_ins) == 1 or not others


# --- Names kept whole, lists of clauses and terms beside them --------------------------------------


def best(text, *others):
    """The best term of the first line (the others give the document's own dictionary)."""
    return analyse_text(text, *others)[0].terms[0].text


@pytest.mark.parametrize(
    ("text", "whole", "cut"),
    [
        ("扎实做好党组内部巡视工作，巩固深化中央巡视整改成果", "中央巡视整改", "巡视整改"),
        ("强化线上线下融合，倍增服务能力和效果", "线上线下融合", "线上线下"),
        ("坚持以严的基调强化正风肃纪反腐", "正风肃纪反腐", "正风肃纪"),
    ],
)
def test_a_phrase_cut_out_of_a_name_whose_verbal_noun_goes_on_is_a_fragment(text, whole, cut):
    terms = {t.text: t for t in analyse_text(text)[0].candidates}

    assert terms[cut].fragment and not terms[whole].fragment
    assert terms[whole].score > terms[cut].score


def test_a_verb_that_closes_a_prepositions_frame_or_opens_a_predicate_continues_no_name():
    found = candidates("习近平总书记从党和国家事业发展全局出发，就党的工运事业发表重要讲话")

    assert "党和国家事业发展全局" in found and not found["党和国家事业发展全局"].fragment
    assert "党和国家事业发展全局出发" not in found


def test_a_name_the_document_repeats_is_kept_whole_and_asked_after_a_headings_verb():
    lines = (
        "深化产业工人队伍建设改革",
        "要深化产业工人队伍建设改革，努力建设高素质劳动大军。",
        "参与产业工人队伍立法工作",
    )
    heading, line, _ = analyse_text(*lines)

    assert heading.terms[0].text == "产业工人队伍建设改革"
    assert line.terms[0].text == "产业工人队伍建设改革"
    assert {t.text: t for t in line.candidates}["建设改革"].fragment


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("推动不同区域、不同行业工会工作协调发展、平衡发展", [["不同区域", "不同行业"], ["协调发展", "平衡发展"]]),
        ("加强工会信访问题源头治理、风险预警和应对处置", [["源头治理", "风险预警", "应对处置"]]),
        ("聚焦高质量发展这个首要任务，组织职工群众建功立业、创新创造", [["建功立业", "创新创造"]]),
        ("加强工会资产管理和监督检查", [["资产管理", "监督检查"]]),
        ("加强对党员干部全方位管理和经常性监督", [["全方位管理", "经常性监督"]]),
        # Parts of two clauses of one length are no list: 党组|统一领导、宣传部门|牵头抓总.
        ("形成党组统一领导、宣传部门牵头抓总、各有关部门及各级工会协同协作的工会宣传工作格局", []),
        # A list of clauses, each opening with its verb, is no list of terms.
        ("推动企业建会强会、维护职工劳动经济权益、推进企业民主管理等，努力构建和谐劳动关系", []),
    ],
)
def test_terms_listed_beside_a_clause_or_joined_by_and(text, members):
    (line,) = analyse_text(text)

    assert [[m.text for m in e.members] for e in line.enumerations] == members


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("要坚持全心全意依靠工人阶级的根本方针，巩固工人阶级的领导阶级地位", "全心全意依靠工人阶级"),
        ("永远保持自觉接受党的领导这一优良传统", "自觉接受党的领导"),
        ("深入学习贯彻习近平总书记关于工人阶级和工会工作的重要论述", "关于工人阶级和工会工作的重要论述"),
        ("推动政府与同级工会联席会议制度化常态化发展", "制度化常态化"),
        ("健全技术工人薪酬激励机制，促进企业内部分配进一步向一线职工、技术工人倾斜", "薪酬激励机制"),
        ("深化工会就业创业服务，加强失业困难群体就业兜底帮扶", "就业兜底帮扶"),
        ("强化粤港澳三地工会交流合作", "粤港澳三地"),
    ],
)
def test_content_before_a_principle_titles_manners_and_what_people_are_given_are_candidates(text, phrase):
    assert phrase in candidates(text)


def test_a_noun_before_a_verb_and_de_is_the_subject_of_a_clause_not_part_of_a_name():
    found = candidates("工会经费的来源：工会会员缴纳的会费")

    assert not found["工会会员"].fragment and found["工会会员"].score > found["会员缴纳"].score


def test_a_title_and_a_manner_pair_win_over_their_insides():
    assert best("深入学习贯彻习近平总书记关于工人阶级和工会工作的重要论述") == "关于工人阶级和工会工作的重要论述"
    assert "常态化发展" not in candidates("推动政府与同级工会联席会议制度化常态化发展")
    assert best("深入推进工会组织和工会会员实名制") == "实名制"


def test_a_list_of_one_shape_is_always_asked():
    text = "用心用情做好维权服务工作，实现好、维护好、发展好职工群众根本利益"
    answers = [[b.answer for b in q.blanks] for q in cloze_questions(analyse_text(text))]

    assert ["实现好", "维护好", "发展好"] in answers


# --- Widened phrases: a phrase takes in its own modifier, verb or context word -------------------


@pytest.mark.parametrize(
    ("text", "whole", "cut"),
    [
        # a modifier and 和 before a phrase share its head
        ("坚持日常和定期沟通协调机制，强化应急、处置管理", "日常和定期沟通协调机制", "定期沟通协调机制"),
        # an adjective right before a phrase qualifies it
        ("有效防范化解劳动领域重大风险隐患", "重大风险隐患", "风险隐患"),
        # the last member of a list closed by 等 keeps its own verb
        (
            "做深做实做细“一带一路”职工人文交流、产业工人技能国际交流、共建国家工干部汉语研修奖学金等工会品牌项目",
            "共建国家工干部汉语研修奖学金",
            "国家工干部汉语研修奖学金",
        ),
        # a verb between a frame verb and the name ending the clause qualifies the name
        ("建强用好党委协同机制，做实下沉地方联动机制", "下沉地方联动机制", "地方联动机制"),
        # a pair of common words is asked with the verb that makes it a principle
        ("着眼统筹发展和安全，坚决维护劳动领域政治安全", "统筹发展和安全", "发展和安全"),
        # a verb phrase before a head naming its kind leaves no part of itself to ask alone
        ("永远保持自觉接受党的领导这一优良传统", "自觉接受党的领导", "党的领导"),
        # two partners after 与 are one answer
        ("健全与港澳台工会和劳动界交流合作机制", "港澳台工会和劳动界", "港澳台工会"),
        # the modifier of a pair with a generic head: the pair is asked whole, not half of it
        ("深化工会改革和建设，有效发挥党联系职工群众的桥梁纽带作用", "工会改革和建设", "工会改革"),
    ],
)
def test_a_phrase_widens_to_take_in_its_own_modifier_or_verb_and_the_narrower_one_is_a_cut(text, whole, cut):
    (line,) = analyse_text(text)
    ranked = {t.text: t for t in line.candidates}

    assert whole in [t.text for t in line.terms]
    assert not ranked[whole].fragment
    assert cut not in [t.text for t in line.terms]
    assert ranked[cut].fragment and ranked[cut].score < ranked[whole].score


def test_a_widening_never_takes_in_a_verb_that_governs_the_phrase():
    texts = ["持续点燃创新创造激情", "积极维护女职工合法权益", "要牢牢把握为实现中华民族伟大复兴而奋斗的时代主题"]

    for line in analyse_text(*texts):
        found = [t.text for t in line.candidates]
        assert not any(text.startswith(("点燃", "维护", "把握")) for text in found), found
    assert "为实现中华民族伟大复兴而奋斗" in [t.text for t in analyse_text(texts[2])[0].terms]


def test_a_time_frame_opening_the_line_and_the_predicate_closing_a_yu_frame_are_candidates():
    assert "党的十八大以来" in candidates("党的十八大以来，习近平总书记从党和国家事业发展全局出发，发表一系列重要讲话")
    assert "有效衔接" in candidates("巩固城市困难职工解困脱困成果，与提高职工生活品质有效衔接")
    assert "有效衔接" not in candidates("推动各项工作有效衔接")  # no 与 frame: an ordinary predicate


def test_the_party_leadership_of_a_field_is_one_framed_phrase():
    (line,) = analyse_text("要坚持党对工运事业和工会工作的领导，永远保持自觉接受党的领导这一优良传统")

    assert line.terms[0].text == "党对工运事业和工会工作的领导"
    assert "党的领导这一优良传统" not in candidates(line.line.text)  # X这一Y: two ideas, no phrase


@pytest.mark.parametrize(
    ("text", "named", "without"),
    [
        ("加强职工文化阵地建设", "职工文化阵地", "文化阵地"),  # a frame verb's whole object
        ("深化工会就业创业服务，加强失业困难群体就业兜底帮扶", "工会就业创业服务", "就业创业"),
        ("壮大劳动法律监督员、兼职仲裁员等工会法律人才队伍", "工会法律人才队伍", "法律人才队伍"),  # after 等
        ("形成党组统一领导、宣传部门牵头抓总的工会宣传工作格局", "工会宣传工作格局", "宣传工作格局"),  # after 的
    ],
)
def test_a_context_word_opening_a_name_stays_in_the_blank(text, named, without):
    found = candidates(text)

    assert found[named].score > found[without].score


def test_a_context_word_inside_a_clause_still_yields_to_the_phrase_without_it():
    found = candidates("加强工会财务信息一体化建设")  # not the frame verb's whole object: 一体化 follows

    assert "工会财务信息" not in found or found["工会财务信息"].score < found["财务信息"].score


def test_a_frame_verb_tagged_as_a_noun_does_not_make_the_phrase_after_it_a_fragment():
    assert not candidates("加强工会服务工作的研究分析，全面运用数字化技术")["数字化技术"].fragment


def test_a_line_further_strong_key_phrases_become_fill_ins_but_never_one_another_kind_asks():
    _, questions = seed()
    line = "聚焦高质量发展这个首要任务，组织职工群众建功立业、创新创造"
    cloze = [q for q in questions if q.type == "cloze"]
    on_line = [q for q in cloze if fill_in_line(q) == line]

    # quota(line) is 2 (高质量发展, the list); 首要任务 scores above EXTRA_SCORE and nothing else asks it.
    assert len(on_line) > quota(line)
    assert "首要任务" in {b.answer for q in on_line for b in q.blanks}
    by_line: dict[str, set[str]] = {}
    for q in questions:
        if q.type in ("choice", "truefalse"):
            by_line.setdefault(q.source_text_keys[0], set()).update(b.answer for b in q.blanks)
    for q in cloze:
        assert not {b.answer for b in q.blanks} & by_line.get(q.source_text_keys[0], set())


def fill_in_line(question):
    text = question.prompt
    for blank in question.blanks:
        text = re.sub("＿+", blank.answer, text, count=1)
    return text


def test_the_noun_phrase_after_a_quoted_name_is_what_the_name_names():
    found = candidates("全面实施“研读原著、专题研讨、调查研究、转化运用”党的创新理论学习行动")

    assert "党的创新理论学习行动" in found
    assert found["党的创新理论"].fragment
    # up to a head saying what kind of thing the name is, never across 等
    assert "关爱职工专项行动" in candidates("深入开展“暖边绿境”关爱职工专项行动")
    assert not any("等" in text for text in candidates("深化“安康杯”竞赛等群众性安全生产活动"))


def test_what_a_list_after_a_frame_verb_is_about_is_a_candidate():
    (line,) = analyse_text("加强工会信访问题源头治理、风险预警和应对处置")

    assert "信访问题" in [t.text for t in line.terms]
    assert "工会信访问题" not in candidates(line.line.text)  # the context word stays out


def test_a_number_name_keeps_the_body_that_issued_it():
    found = candidates("严格贯彻执行中央八项规定及其实施细则精神")

    assert found["中央八项规定"].category == "number"
    assert "八项规定" not in found
    assert "工会三年" not in candidates("推进工会三年行动")  # a context word issues nothing


def test_the_verb_after_a_place_one_goes_to_is_what_is_done_there():
    found = candidates("常态化开展各级工会机关干部赴基层蹲点工作")

    assert "蹲点" in found
    assert found["基层蹲点"].fragment


def test_the_predicate_closing_a_yu_frame_ranks_as_a_key_phrase():
    found = candidates("巩固城市困难职工解困脱困成果，与提高职工生活品质有效衔接")

    assert found["有效衔接"].score > found["职工生活品质"].score - 2


def test_a_generic_noun_inside_a_noun_run_belongs_to_the_phrase_after_it():
    # 劳动关系|发展|态势监测: 发展 qualifies 态势; the blank does not cut 发展态势 apart
    found = candidates("抓好劳动关系发展态势监测")

    assert found["态势监测"].fragment


def test_what_follows_a_repeated_name_is_a_cut_when_the_name_is_itself_a_modifier():
    lines = analyse_text(
        "推进新时代和谐劳动关系创建活动",
        "构建和谐劳动关系",
        "探索行业和谐劳动关系创建活动试点",
    )
    found = {t.text: t for t in lines[2].candidates}

    assert found["创建活动试点"].fragment  # 行业|和谐劳动关系|创建活动试点: one name


def test_a_manner_of_two_verbs_with_their_nouns_opening_a_line_is_one_phrase():
    (line,) = analyse_text("有计划分步骤对基层工会工作者进行培训，提高社会化工作者待遇")

    assert "有计划分步骤" in [t.text for t in line.terms]
    assert "有计划分步骤" not in candidates("推动有关部门分步骤实施计划")  # not a line's opening pair


def test_how_a_thing_is_acted_on_closing_a_noun_run_is_a_phrase_of_its_own():
    assert "专项排查化解" in candidates("常态化开展职工队伍风险隐患专项排查化解工作")
    assert "工匠示范引领" not in candidates("突出发挥劳模工匠示范引领作用")  # who, not how


def test_the_subject_before_an_adverb_and_its_verb_is_no_part_of_the_phrase():
    found = candidates("争取经过三年努力，基层直接服务职工群众的能力大幅提升")

    assert "直接服务职工群众的能力" in found
    assert found["基层直接服务职工群众"].fragment


def test_the_means_a_clause_opens_on_is_a_phrase_with_its_verb():
    found = candidates("要大力弘扬劳模精神、劳动精神、工匠精神，依靠劳动创造扎实推进中国式现代化。")

    assert "依靠劳动创造" in found
    assert found["依靠劳动创造"].score > found["中国式现代化"].score  # the clause's point, ranked as one


def test_a_role_a_body_plays_and_the_body_are_asked_apart():
    found = candidates("发挥工会院校培训主渠道作用")

    assert not found["主渠道"].fragment
    assert found["院校培训主渠道"].fragment  # who plays it and the role: two ideas
    assert not found["工会院校"].fragment  # who plays it, without what it does (培训), a name of its own
    assert candidates("发挥工会院校培训主渠道优势")["主渠道"].fragment  # no 作用 after it: no role named


def test_an_action_closing_a_noun_run_ranks_as_the_clause_point():
    found = candidates("常态化开展职工队伍风险隐患专项排查化解工作")

    assert found["专项排查化解"].score > found["常态化"].score - 2


def test_a_frame_verbs_whole_object_holding_a_repeated_name_is_one_name():
    # 和谐劳动关系 recurs across the seed; after 探索 it is inside one longer name, asked whole.
    _, questions = seed()
    line = "充分发挥协调劳动关系三方机制作用，探索行业和谐劳动关系创建活动试点"
    answers = {b.answer for q in questions if q.type == "cloze" and fill_in_line(q) == line for b in q.blanks}

    assert "行业和谐劳动关系创建活动试点" in answers
    assert not answers & {"和谐劳动关系", "创建活动试点"}


def test_a_further_key_phrase_is_whole_never_a_cut_a_half_pair_or_led_by_a_generic_verb():
    text = "为全面建设社会主义现代化国家，形成主流媒体和新媒体各展所长的格局"

    assert not _whole(Term("建设社会主义", 3, PHRASE), text)
    assert not _whole(Term("主流媒体", 17, PHRASE), text)
    assert not _whole(Term("社会主义现代化国家", 5, PHRASE, fragment=True), text)
    assert _whole(Term("现代化国家", 9, PHRASE), text)


def test_a_key_phrase_goes_to_a_fill_in_before_a_statement_as_written_judges_it():
    # 基本形式 is the line's second key phrase; a true statement judges what the fill-ins leave.
    _, questions = seed()
    line = "努力推动以职工代表大会为基本形式的企事业单位民主管理制度落地落实"
    on_line = [q for q in questions if q.type in ("cloze", "truefalse") and fill_in_line(q) == line]

    assert "基本形式" in {b.answer for q in on_line if q.type == "cloze" for b in q.blanks}
    assert "基本形式" not in {b.answer for q in on_line if q.type == "truefalse" for b in q.blanks}


def test_what_a_line_puts_somewhere_is_its_point_generic_head_and_all():
    found = candidates("把纪律建设摆在更加突出位置，强化经常性纪律教育，开展常态化警示教育")

    assert "纪律建设" in found
    assert found["纪律建设"].score > found["突出位置"].score


def test_a_key_phrase_goes_to_a_fill_in_before_a_false_statement_swaps_it_a_single_choice_keeps_its_term():
    # 非公有制企业 was swapped for 海外中资企业 in a false statement; as the line's further key phrase
    # it is a fill-in, and the statement gives way (one idea, one item). 竞赛品牌 stays a single
    # choice: options of its kind are scarce, a statement's other terms are not.
    _, questions = seed()

    def asked(line, kind):
        return {b.answer for q in questions if q.type == kind and fill_in_line(q) == line for b in q.blanks}

    line = "持续推进非公有制企业建会强会工作"
    statements = [q for q in questions if q.type == "truefalse" and q.prompt.endswith("建会强会工作")]
    assert "非公有制企业" in asked(line, "cloze")
    assert "非公有制企业" not in {b.answer for q in statements for b in q.blanks}
    line = "打造影响力大、引领力强的竞赛品牌"
    assert "竞赛品牌" in asked(line, "choice")
    assert "竞赛品牌" not in asked(line, "cloze")


def test_a_formula_of_single_characters_after_a_name_is_what_the_name_does_no_cut_of_it():
    # 平台企业 is a name the document repeats; 建会扩面提质 (cut into single characters) is what such
    # bodies do, a phrase of its own rather than the rest of 平台企业's name.
    line = analyse_text(
        "推动平台企业合法规范用工、科学调整算法、完善劳动定额标准，推进职业病伤害保障试点工作",
        "全面推进互联网企业、平台企业建会扩面提质，督促其分支机构、加盟企业等建立基层工会组织",
    )[1]
    found = {t.text: t for t in line.candidates}

    assert "建会扩面提质" in found
    assert not found["建会扩面提质"].fragment


def test_a_name_after_and_is_whole_when_both_members_close_on_a_head_of_their_own():
    # 政治机关建设和模范机关创建: 和 joins …建设 and …创建, so 模范机关 names its own member; in
    # 工会组织和工会会员实名制 工会会员 is half of the pair 实名制 governs.
    text = "深化政治机关建设和模范机关创建，大力开展对党忠诚教育"
    assert _whole(Term("模范机关", 9, PHRASE), text)
    assert not _whole(Term("工会会员", 9, PHRASE), "深入推进工会组织和工会会员实名制")


def test_the_people_a_blank_opens_with_stay_in_the_stem_when_the_line_names_them_again():
    twice, once = analyse_text("积极维护女职工合法权益，充分保障女职工特殊权益", "积极维护女职工合法权益")

    assert "合法权益" in {u.answer for u in line_units(twice)}
    assert "女职工合法权益" not in {u.answer for u in line_units(twice)}
    assert "女职工合法权益" in {u.answer for u in line_units(once)}


def test_a_part_the_rest_of_the_line_shows_again_splits_no_compound():
    # 意识形态 stands again in 工会意识形态工作领导权: it could never be blanked, so 意识形态工作责任制
    # is one name, not two ideas.
    whole = Term("意识形态工作责任制", 2, PHRASE, "n", 20.0)
    left, right = Term("意识形态", 2, PHRASE, "n", 19.0), Term("责任制", 8, PHRASE, "n", 19.0)
    repeated = "落实意识形态工作责任制，牢牢掌握工会意识形态工作领导权"

    assert _split_compounds([whole, left, right], repeated)[0].score == 20.0
    assert _split_compounds([whole, left, right], "落实意识形态工作责任制")[0].score == 20.0 - COMPOUND


def test_a_manner_after_a_body_or_people_is_two_ideas_after_a_thing_one_name():
    assert _manner_after_name("国有企业工会规范化")  # how the body is run
    assert _manner_after_name("技能人才常态化机制")
    assert _manner_after_name("工会系统数字化")
    assert _manner_after_name("制度化常态化发展")
    assert not _manner_after_name("财务信息一体化")  # what is made of the information
    assert not _manner_after_name("制度化常态化")


def test_people_and_a_bare_word_of_what_is_theirs_ask_the_people():
    assert _people_of_interest(Term("社会化工作者待遇", 2, PHRASE)).text == "社会化工作者"
    assert _people_of_interest(Term("女职工特殊权益", 2, PHRASE)).text == "女职工特殊权益"  # a qualified interest
    assert _people_of_interest(Term("职工权益", 2, PHRASE)).text == "职工权益"  # too short to split
    assert _people_of_interest(Term("薪酬激励机制", 2, PHRASE)).text == "薪酬激励机制"


def test_two_things_of_different_kinds_joined_by_and_are_each_whole():
    # 全球劳工治理 (a response) and 工会南南合作 (an activity): two ideas, not halves of one pair.
    text = "参与全球劳工治理和工会南南合作"
    left, right = Term("全球劳工治理", 2, PHRASE), Term("工会南南合作", 9, PHRASE)
    assert _whole(left, text, [left, right])
    assert _whole(right, text, [left, right])
    # 主流媒体和新媒体: two media, a pair.
    text = "形成主流媒体和新媒体各展所长的格局"
    left, right = Term("主流媒体", 2, PHRASE), Term("新媒体", 7, PHRASE)
    assert not _whole(left, text, [left, right])


def test_the_people_a_verb_serves_are_no_whose_of_the_name_after_them():
    served = [("服务", "v", 0), ("农民工", "n", 2), ("公益", "n", 5)]
    framed = [("健全", "v", 0), ("技术工人", "n", 2), ("薪酬", "n", 6)]
    assert not _people_before(served[1], served)  # 服务农民工|公益法律服务行动: one name
    assert _people_before(framed[1], framed)  # 健全|技术工人|薪酬激励机制: whose mechanism
