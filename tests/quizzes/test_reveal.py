"""When a learner sees the correct answers (quizzes/reveal.py): each of an assignment's choices at
each moment, and no page giving the key away while it is hidden."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import reveal, services
from quizzes.groups import services as group_services
from quizzes.models import Answer, Assignment, Attempt
from tests.factories import ANSWER, MembershipFactory
from tests.support import HTMX, form_data, wrong_answer

pytestmark = pytest.mark.django_db

SHOW = Assignment.ShowAnswers
# What only a shown key puts on a page: the verdicts, the key's label and row, the source line's mark,
# and the fill-in's answer itself (the learner types a wrong one below).
KEY_MARKERS = ("回答正确", "回答错误", "部分正确", "正确答案：", "row-correct", "<mark>", ANSWER)


@pytest.fixture
def member(study_group, learner):
    MembershipFactory(group=study_group, user=learner)
    return learner


def assignment_of(small_bank, study_group, trainer, mode: str, **overrides) -> Assignment:
    """A fixed assignment of three fill-ins (each blanking ANSWER from a different line), open now."""
    now = timezone.now()
    cloze = small_bank.of_type("cloze")
    arguments = {
        "group": study_group,
        "created_by": trainer,
        "title": "闭卷测验",
        "mode": "fixed",
        "question_ids": [cloze[0].pk, cloze[3].pk, cloze[6].pk],
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1),
        "show_answers": mode,
    } | overrides
    return group_services.assignment_create(**arguments)


def items_of(attempt: Attempt) -> list:
    return list(attempt.items.select_related("question").order_by("position"))


def answer_wrong(attempt: Attempt, user, count: int | None = None) -> None:
    for item in items_of(attempt)[:count]:
        services.answer_submit(item=item, user=user, given=wrong_answer(item.question))


def close_now(assignment: Assignment) -> None:
    """Move the closing time into the past (the attempts' deadlines too): the deadline has passed."""
    past = timezone.now() - timedelta(minutes=1)
    Assignment.objects.filter(pk=assignment.pk).update(opens_at=past - timedelta(hours=2), closes_at=past)
    Attempt.objects.filter(assignment=assignment).update(deadline=past)


def fresh(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_related("assignment").get(pk=attempt.pk)


# --- The rule at each moment -----------------------------------------------------------------------------

# mode → shown (answers, score) while answering, once finished before the deadline, after the deadline
EXPECTED = {
    SHOW.EACH: ((True, False), (True, True), (True, True)),
    SHOW.FINISHED: ((False, False), (True, True), (True, True)),
    SHOW.DEADLINE: ((False, False), (False, True), (True, True)),
    SHOW.NEVER: ((False, False), (False, False), (False, True)),
}


@pytest.mark.parametrize("mode", list(EXPECTED))
def test_each_choice_shows_answers_and_score_at_its_moment(mode, small_bank, study_group, trainer, member):
    assignment = assignment_of(small_bank, study_group, trainer, mode)
    attempt = group_services.assignment_start(assignment=assignment, user=member)
    during, finished, after = EXPECTED[mode]

    def observed() -> tuple[bool, bool]:
        now = timezone.now()
        current = fresh(attempt)
        shown = reveal.answers_shown_for(current, now)
        # The Q over answers says the same of every answer of the attempt.
        selected = Answer.objects.filter(reveal.answers_shown_q(now=now), attempt_question__attempt=current)
        assert selected.count() == (current.answered_count if shown else 0)
        score = reveal.score_shown_for(current, now)
        return shown, score if current.is_finished else False

    answer_wrong(attempt, member, 1)
    assert observed() == during
    answer_wrong(attempt, member)  # the rest: finished
    assert observed() == finished
    close_now(assignment)
    assert observed() == after


def test_practice_answers_are_always_shown(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    answer_wrong(attempt, learner, 1)
    now = timezone.now()

    assert reveal.answers_shown_for(attempt, now)
    assert Answer.objects.filter(reveal.answers_shown_q(now=now)).count() == 1


def test_finished_shows_an_attempt_whose_time_is_up_even_before_it_is_recorded(
    small_bank, study_group, trainer, member
):
    assignment = assignment_of(small_bank, study_group, trainer, SHOW.FINISHED, time_limit_minutes=10)
    attempt = group_services.assignment_start(assignment=assignment, user=member)
    answer_wrong(attempt, member, 1)
    later = attempt.deadline + timedelta(seconds=1)

    assert not reveal.answers_shown_for(fresh(attempt), attempt.deadline)
    assert reveal.answers_shown_for(fresh(attempt), later)
    assert Answer.objects.filter(reveal.answers_shown_q(now=later)).count() == 1


def test_the_q_keeps_one_learners_hidden_answers_apart_from_anothers_shown_ones(
    small_bank, study_group, trainer, member, learner
):
    hidden = assignment_of(small_bank, study_group, trainer, SHOW.DEADLINE)
    each = assignment_of(small_bank, study_group, trainer, SHOW.EACH, title="随堂练")
    for assignment in (hidden, each):
        answer_wrong(group_services.assignment_start(assignment=assignment, user=member), member)
    practice = services.attempt_start(user=learner, question_type="cloze", length=1)
    answer_wrong(practice, learner)

    shown = Answer.objects.filter(reveal.answers_shown_q(now=timezone.now()))

    assert set(shown.values_list("attempt_question__attempt__assignment", flat=True)) == {each.pk, None}
    assert shown.count() == 3 + 1


# --- No page gives the key away while it is hidden -------------------------------------------------------

HIDDEN = [SHOW.FINISHED, SHOW.DEADLINE, SHOW.NEVER]


def assert_no_key(html: str) -> None:
    for marker in KEY_MARKERS:
        assert marker not in html, marker


@pytest.mark.parametrize("mode", HIDDEN)
def test_the_feedback_after_an_answer_says_only_that_it_was_recorded(
    mode, small_bank, study_group, trainer, member, learner_client
):
    attempt = group_services.assignment_start(
        assignment=assignment_of(small_bank, study_group, trainer, mode), user=member
    )
    first, second = items_of(attempt)[:2]
    url = reverse("quizzes:answer", args=[attempt.pk])

    page = learner_client.post(url, form_data(first, right=False))
    fragment = learner_client.post(url, form_data(second, right=False), **HTMX)
    repeated = learner_client.post(url, form_data(first, right=True), **HTMX)  # a second submit: the same
    following = learner_client.get(attempt.get_absolute_url(), **HTMX)  # the next question

    assert page.status_code == fragment.status_code == repeated.status_code == following.status_code == 200
    for response in (page, fragment, repeated):
        html = response.content.decode()
        assert "答案已记录" in html and 'data-testid="recorded"' in html
        assert_no_key(html)
    assert wrong_answer(second.question)[0] in fragment.content.decode()  # what was given is shown
    assert_no_key(following.content.decode())
    assert Answer.objects.filter(is_correct=False).count() == 2  # the repeated right answer changed nothing


@pytest.mark.parametrize("mode", [SHOW.DEADLINE, SHOW.NEVER])
def test_the_result_page_shows_no_key_and_the_score_only_when_allowed(
    mode, small_bank, study_group, trainer, member, learner_client
):
    attempt = group_services.assignment_start(
        assignment=assignment_of(small_bank, study_group, trainer, mode), user=member
    )
    answer_wrong(attempt, member)

    html = learner_client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert_no_key(html)
    assert 'data-testid="retry"' not in html  # which ones were wrong is part of the key
    assert html.count('data-testid="recorded"') == 3
    assert ('data-testid="score"' in html) == (mode == SHOW.DEADLINE)
    assert ('data-testid="score-hidden"' in html) == (mode == SHOW.NEVER)
    assert 'data-testid="when-shown"' in html


@pytest.fixture
def hidden_result(small_bank, study_group, trainer, member):
    assignment = assignment_of(small_bank, study_group, trainer, SHOW.DEADLINE)
    attempt = group_services.assignment_start(assignment=assignment, user=member)
    answer_wrong(attempt, member)
    return assignment, attempt


def test_the_retry_of_wrong_questions_is_refused_until_the_answers_are_shown(hidden_result, member, learner_client):
    assignment, attempt = hidden_result
    url = reverse("quizzes:retry", args=[attempt.pk])

    refused = learner_client.post(url, follow=True)

    assert refused.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert "答案公布后" in refused.content.decode()
    assert_no_key(refused.content.decode())
    assert not Attempt.objects.filter(retry_of=attempt).exists()

    close_now(assignment)
    retried = learner_client.post(url)
    retry = Attempt.objects.get(retry_of=attempt)
    assert retried["Location"] == retry.get_absolute_url() and retry.question_count == 3


def test_after_the_deadline_the_learner_sees_the_answers(hidden_result, learner_client):
    assignment, attempt = hidden_result
    close_now(assignment)

    html = learner_client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert "正确答案" in html and ANSWER in html and "回答错误" in html
    assert 'data-testid="retry"' in html and 'data-testid="when-shown"' not in html


def test_with_each_answer_the_feedback_is_shown_at_once(small_bank, study_group, trainer, member, learner_client):
    attempt = group_services.assignment_start(
        assignment=assignment_of(small_bank, study_group, trainer, SHOW.EACH), user=member
    )
    item = items_of(attempt)[0]

    html = learner_client.post(
        reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=False), **HTMX
    ).content.decode()

    assert "回答错误" in html and "正确答案" in html and ANSWER in html


def test_the_lists_of_a_learners_quizzes_hide_a_never_shown_score(
    small_bank, study_group, trainer, member, learner_client
):
    attempt = group_services.assignment_start(
        assignment=assignment_of(small_bank, study_group, trainer, SHOW.NEVER), user=member
    )
    answer_wrong(attempt, member)

    dashboard = learner_client.get(reverse("quizzes:home")).content.decode()
    assigned = learner_client.get(reverse("groups:assignments"), **HTMX).content.decode()

    assert "成绩暂不公布" in dashboard and "得分 0" not in dashboard
    assert "已交卷" in assigned and "得分" not in assigned


def test_the_group_exports_and_report_are_the_trainers_not_the_learners(
    hidden_result, study_group, member, trainer_client
):
    learner_client = Client()
    learner_client.force_login(member)
    for name in ("groups:report", "groups:export_csv", "groups:export_xlsx"):
        assert learner_client.get(reverse(name, args=[study_group.pk])).status_code == 404
    # The trainers see everything at any time: the common wrong answers of the hidden assignment.
    assignment, attempt = hidden_result
    given = wrong_answer(items_of(attempt)[0].question)[0]
    html = trainer_client.get(reverse("groups:report_analysis", args=[study_group.pk]) + f"?assignment={assignment.pk}")
    assert html.status_code == 200 and given in html.content.decode()


# --- The trainer's form ------------------------------------------------------------------------------


def test_the_assignment_form_offers_the_choice_with_a_help_text(trainer_client, study_group, small_bank):
    html = trainer_client.get(reverse("groups:assignment_new", args=[study_group.pk])).content.decode()

    for label in ("每题作答后", "提交后", "截止后", "不显示"):
        assert label in html
    assert re.search(r'value="deadline"[^>]*checked', html)  # after the deadline unless chosen otherwise
    assert "培训师在小组报告中随时能看到全部作答" in html


def test_the_form_saves_the_choice_and_refuses_an_unknown_one(trainer_client, study_group, small_bank):
    now = timezone.localtime()
    data = {
        "title": "闭卷",
        "mode": "generated",
        "scope": "document",
        "question_type": "mixed",
        "length": "3",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "action": "create",
    }
    url = reverse("groups:assignment_new", args=[study_group.pk])

    bad = trainer_client.post(url, data | {"show_answers": "sometimes"})
    good = trainer_client.post(url, data | {"show_answers": "never"})

    assert bad.status_code == 400 and not Assignment.objects.filter(title="闭卷", show_answers="sometimes").exists()
    assert good.status_code == 302 and Assignment.objects.get(title="闭卷").show_answers == SHOW.NEVER
