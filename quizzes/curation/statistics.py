"""Item statistics of the question bank: what every learner's answers say about each question, so
that the people who keep the bank can see which questions to rewrite, retire or accept more for.

What the numbers mean
---------------------
Over every recorded answer to the questions asked about (all questions by default):

answers
    How many answers were recorded (a learner who met a question in several quizzes counts each).
facility (通过率)
    The mean credit of those answers, 0..1 (a matching question earns part of its credit per pair).
discrimination (区分度)
    Facility among the answers of the top third of the learners who answered the question minus
    facility among those of the bottom third. Learners are ranked by their overall score: the mean
    credit of all their answers, on every question of the bank (ties, within ROUNDING digits, by user
    id). A third is ⌊n/3⌋ of the n learners who answered the question, so it is None below 3 learners.
    Negative: the strong learners do worse on it than the weak ones (a wrong key, a trick question).
wrong, common_wrong
    Answers not fully right, and their COMMON_WRONG most frequent wrong parts as the question's kind
    counts them (the kind's `wrong_answer_texts`, as in the group report): a fill-in's wrong blanks
    normalised as checking.normalize() does (numbered “第2空：…” when it has several), the option(s)
    picked, the verdict given, each wrong pairing “左 → 右”. Most frequent first, ties by text.
lenient
    Fill-in only: answers with a blank marked right although the text typed in it is not literally
    one of its accepted forms (its answer or `accepted`; for a blank of an any-order group, those of
    every member, each member typed into one box counting alone): what checking.normalize() let
    through (full-width or traditional characters, quotes, spaces, punctuation at the ends…).

Flags (reasons in Chinese, worst first)
---------------------------------------
Only for a question with at least MIN_ANSWERS answers:
    区分度为负   discrimination below 0 (beyond float noise, DISCRIMINATION_TOLERANCE);
    一个错答占一半以上：“…”   one wrong answer text makes up at least DOMINANT_WRONG_SHARE of the wrong
                answers, with at least MIN_WRONG_FOR_DOMINANT of them: often a synonym the checker should
                accept;
    太容易      facility above TOO_EASY.
`flagged()` orders flagged questions by the weight of their flags (FLAG_WEIGHTS), then by lower
discrimination, then by more answers.

Cost: at most four queries whatever the number of questions, learners and answers; the answers are read as
aggregates and as value rows grouped by their content, never as model instances.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum

from ..core.checking import normalize
from ..core.kinds import CLOZE
from ..core.kinds.cloze import MEMBER_SEPARATOR
from ..models import Answer, Question

MIN_ANSWERS = 30  # fewer answers say too little to flag a question
TOO_EASY = 0.95  # facility above this: the question teaches and tells nothing
DOMINANT_WRONG_SHARE = 0.5  # one wrong answer this share of the wrong ones: likely an unaccepted synonym
MIN_WRONG_FOR_DOMINANT = 5
COMMON_WRONG = 3
DISCRIMINATION_TOLERANCE = 1e-9  # sums of float credits in SQL and in Python differ in the last bits
ROUNDING = 9  # digits of the overall score compared when ranking: equal scores tie on every database

TOO_EASY_FLAG = "太容易"
NEGATIVE_FLAG = "区分度为负"
DOMINANT_FLAG = "一个错答占一半以上：“{text}”"
FLAG_WEIGHTS = {NEGATIVE_FLAG: 3, DOMINANT_FLAG: 2, TOO_EASY_FLAG: 1}

# The fields the kinds read to name a wrong answer and to tell a lenient one.
QUESTION_FIELDS = ("id", "type", "prompt", "blanks", "pairs", "choices", "answer_index", "correct_choices")


@dataclass(frozen=True)
class ItemStats:
    answers: int
    facility: float  # mean credit, 0..1
    discrimination: float | None  # None below 3 learners
    common_wrong: tuple[tuple[str, int], ...]  # (text, count), most frequent first
    wrong: int  # answers not fully right
    lenient: int  # fill-in answers accepted only after normalising
    flags: tuple[str, ...]


@dataclass
class _Tally:
    """What the queries gathered about one question."""

    answers: int = 0
    credit: float = 0.0
    wrong: int = 0
    lenient: int = 0
    learners: dict[int, tuple[int, float]] = field(default_factory=dict)  # user id → (answers, credit)
    wrong_texts: Counter[str] = field(default_factory=Counter)


def item_statistics(questions: QuerySet[Question] | None = None) -> dict[int, ItemStats]:
    """Question id → ItemStats for every question of `questions` (all by default) that has answers.
    At most four queries (see the module docstring for what the numbers mean)."""
    answers = Answer.objects.filter(timed_out=False)  # a timeout says nothing about the question
    if questions is not None:
        answers = answers.filter(attempt_question__question__in=questions.values("pk"))
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    _tally_learners(answers, tallies)
    if not tallies:
        return {}
    scores = _overall_scores()
    found = Question.objects.filter(pk__in=answers.values("attempt_question__question_id")).only(*QUESTION_FIELDS)
    _tally_contents(answers, {question.pk: question for question in found}, tallies)
    return {question_id: _stats(tally, scores) for question_id, tally in tallies.items()}


def flagged(stats: Mapping[int, ItemStats]) -> list[int]:
    """Ids of the flagged questions, worst first: heaviest flags, then lowest discrimination, then
    most answers, then id."""

    def badness(question_id: int) -> tuple[int, float, int, int]:
        item = stats[question_id]
        weight = sum(FLAG_WEIGHTS[_flag_kind(flag)] for flag in item.flags)
        discrimination = item.discrimination if item.discrimination is not None else 1.0
        return (-weight, discrimination, -item.answers, question_id)

    return sorted((question_id for question_id, item in stats.items() if item.flags), key=badness)


# --- Queries ---------------------------------------------------------------------------------------


def _tally_learners(answers: QuerySet[Answer], tallies: dict[int, _Tally]) -> None:
    """Per question and learner: answers, summed credit, wrong answers (one query). The question's own
    counts are their sums, and the learners' share is what the thirds need."""
    rows = (
        answers.values_list("attempt_question__question_id", "attempt_question__attempt__user_id")
        .annotate(n=Count("id"), credit=Sum("credit"), wrong=Count("id", filter=Q(is_correct=False)))
        .order_by()
    )
    for question_id, user_id, n, credit, wrong in rows:
        tally = tallies[question_id]
        tally.answers += n
        tally.credit += credit or 0.0
        tally.wrong += wrong
        tally.learners[user_id] = (n, credit or 0.0)


def _overall_scores() -> dict[int, float]:
    """User id → mean credit of all their answers, whatever questions are analysed (one query)."""
    rows = (
        Answer.objects.filter(timed_out=False)
        .values_list("attempt_question__attempt__user_id")
        .annotate(mean=Avg("credit"))
        .order_by()
    )
    return {user_id: round(mean or 0.0, ROUNDING) for user_id, mean in rows}


def _tally_contents(answers: QuerySet[Answer], questions: Mapping[int, Question], tallies: dict[int, _Tally]) -> None:
    """Wrong answers' texts and lenient fill-ins, from the answers grouped by what was given (one query):
    only the answers that can matter, wrong ones and fill-ins."""
    rows = (
        answers.filter(Q(is_correct=False) | Q(attempt_question__question__type=CLOZE))
        .values_list("attempt_question__question_id", "given", "marks", "is_correct")
        .annotate(n=Count("id"))
        .order_by()
    )
    normalised: dict[str, str] = {}
    for question_id, given, marks, is_correct, n in rows:
        question = questions.get(question_id)
        if question is None:
            continue
        tally = tallies[question_id]
        if not is_correct:
            for text in _wrong_texts(question, given, marks, normalised):
                tally.wrong_texts[text] += n
        if question.type == CLOZE and is_lenient(question.blanks, given, marks):
            tally.lenient += n


# --- Per answer ------------------------------------------------------------------------------------


def _wrong_texts(question: Question, given: Any, marks: Any, cache: dict[str, str]) -> list[str]:
    """The wrong parts of one answer as its kind names them; normalising is slow (OpenCC), and the same
    typed texts come back across questions, so it is remembered in `cache`."""

    def normalise(text: str) -> str:
        if text not in cache:
            cache[text] = normalize(text)
        return cache[text]

    return question.kind.wrong_answer_texts(question, given, list(marks or []), normalise)


def is_lenient(blanks: Sequence[Mapping[str, Any]], given: Any, marks: Any) -> bool:
    """Whether a fill-in answer has a blank marked right on a text that is not literally one of the
    forms it accepts (see the module docstring)."""
    if not isinstance(given, list) or not isinstance(marks, list):
        return False
    literal = _literal_forms(blanks)
    return any(
        right and index < len(given) and not _is_literal(str(given[index]), literal[index], grouped)
        for index, (right, grouped) in enumerate(zip(marks, (_in_group(blank) for blank in blanks), strict=False))
    )


def _in_group(blank: Mapping[str, Any]) -> bool:
    return bool(blank.get("any_order")) and blank.get("group") is not None


def _literal_forms(blanks: Sequence[Mapping[str, Any]]) -> list[set[str]]:
    """Per blank, the texts accepted as written: its own, and every member's for an any-order group
    (whose members are right in any box)."""
    own = [{blank.get("answer", ""), *(blank.get("accepted") or [])} - {""} for blank in blanks]
    groups: dict[Any, set[str]] = defaultdict(set)
    for blank, forms in zip(blanks, own, strict=True):
        if _in_group(blank):
            groups[blank["group"]] |= forms
    return [groups[blank["group"]] if _in_group(blank) else forms for blank, forms in zip(blanks, own, strict=True)]


def _is_literal(text: str, forms: set[str], grouped: bool) -> bool:
    """An empty box is marked right only when members typed together elsewhere fill it: nothing was
    normalised in it. Members typed together into one box are each compared as typed."""
    if not text or text in forms:
        return True
    return grouped and all(piece in forms for piece in _pieces(text))


def _pieces(text: str) -> Iterable[str]:
    return (piece for piece in MEMBER_SEPARATOR.split(text) if piece)


# --- Figures and flags -----------------------------------------------------------------------------


def _stats(tally: _Tally, scores: Mapping[int, float]) -> ItemStats:
    facility = tally.credit / tally.answers if tally.answers else 0.0
    discrimination = _discrimination(tally.learners, scores)
    common = tuple(sorted(tally.wrong_texts.items(), key=lambda item: (-item[1], item[0]))[:COMMON_WRONG])
    return ItemStats(
        answers=tally.answers,
        facility=facility,
        discrimination=discrimination,
        common_wrong=common,
        wrong=tally.wrong,
        lenient=tally.lenient,
        flags=_flags(tally.answers, facility, discrimination, tally.wrong, common),
    )


def _discrimination(learners: Mapping[int, tuple[int, float]], scores: Mapping[int, float]) -> float | None:
    """Facility of the top third's answers minus the bottom third's, learners ranked by overall score."""
    ranked = sorted(learners, key=lambda user_id: (-scores.get(user_id, 0.0), user_id))
    third = len(ranked) // 3
    if not third:
        return None
    return _facility(learners, ranked[:third]) - _facility(learners, ranked[-third:])


def _facility(learners: Mapping[int, tuple[int, float]], chosen: Sequence[int]) -> float:
    answers = sum(learners[user_id][0] for user_id in chosen)
    return sum(learners[user_id][1] for user_id in chosen) / answers


def _flags(
    answers: int, facility: float, discrimination: float | None, wrong: int, common: Sequence[tuple[str, int]]
) -> tuple[str, ...]:
    if answers < MIN_ANSWERS:
        return ()
    flags = []
    if discrimination is not None and discrimination < -DISCRIMINATION_TOLERANCE:
        flags.append(NEGATIVE_FLAG)
    if common and wrong >= MIN_WRONG_FOR_DOMINANT and common[0][1] >= DOMINANT_WRONG_SHARE * wrong:
        flags.append(DOMINANT_FLAG.format(text=common[0][0]))
    if facility > TOO_EASY:
        flags.append(TOO_EASY_FLAG)
    return tuple(flags)


def _flag_kind(flag: str) -> str:
    """The template a flag was made from (the dominant-answer flag carries the answer's text)."""
    prefix = DOMINANT_FLAG.split("{", 1)[0]
    return DOMINANT_FLAG if flag.startswith(prefix) else flag
