"""The curator's one-click synonym: the question page offers each common wrong fill-in (per blank),
the confirm page shows how many earlier answers it re-marks, POST accepts it; forged requests change
nothing. And what restoring a suppressed fill-in tells the curator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from quizzes import services as quiz_services
from quizzes.bank import bank_sync
from quizzes.curation import services
from quizzes.models import Answer, Attempt, PointState, Question, QuestionLog
from tests.factories import ANSWER, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

SYNONYM = "终生职业技能培训"  # a learner's synonym of ANSWER (终身职业技能培训)
OTHER = "劳动竞赛"
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def staff(db):
    return UserFactory(username="editor", is_staff=True)


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def take(user, question: Question, given: Any, day: float = 0) -> Attempt:
    """One quiz of `user` on `question`, answered with `given`."""
    at = T0 + timedelta(days=day)
    attempt = quiz_services.attempt_create(user=user, question_ids=[question.pk], started_at=at - timedelta(seconds=40))
    quiz_services.answer_submit(item=attempt.items.get(), user=user, given=given, now=at)
    attempt.refresh_from_db()
    return attempt


def synonym_url(question: Question, **query: Any) -> str:
    return reverse("curation:synonym", args=[question.pk]) + ("?" + urlencode(query) if query else "")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def answers_of(question: Question) -> dict[int, tuple[Any, float, bool]]:
    return {
        pk: (marks, credit, correct)
        for pk, marks, credit, correct in Answer.objects.filter(attempt_question__question=question).values_list(
            "pk", "marks", "credit", "is_correct"
        )
    }


@pytest.fixture
def answered(small_bank):
    """The small bank's first fill-in (one blank), answered: 3 times with SYNONYM (two attempts of one
    learner, one of another), once with OTHER, once right."""
    question = small_bank.questions[0]
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    attempts = [
        take(first, question, [SYNONYM], day=0),
        take(first, question, [SYNONYM], day=3),
        take(second, question, [f" {SYNONYM} "], day=1),  # typed with spaces: the same text
        take(third, question, [OTHER], day=1),
        take(third, question, [ANSWER], day=2),
    ]
    return {"question": question, "attempts": attempts, "first": first, "second": second, "third": third}


@pytest.fixture
def two_blanks(small_bank):
    """A fill-in with two blanks: learners got the second one wrong with SYNONYM, one of them the
    first one too."""
    question = QuestionFactory(
        source=small_bank.points[0],
        prompt="建好＿＿＿＿，推动＿＿＿＿制度",
        blanks=[
            {"answer": "职工之家", "accepted": ["职工之家"], "group": None, "any_order": False},
            {"answer": ANSWER, "accepted": [ANSWER], "group": None, "any_order": False},
        ],
    )
    take(UserFactory(), question, ["职工之家", SYNONYM])
    take(UserFactory(), question, ["职工的家", SYNONYM])
    return question


# --- The question page --------------------------------------------------------------------------------


def test_the_question_page_offers_each_common_wrong_fill_in_with_its_blank_and_text(staff_client, answered):
    question = answered["question"]

    body = staff_client.get(reverse("curation:question", args=[question.pk])).content.decode()

    assert body.count('data-testid="accept-synonym"') == 2  # SYNONYM and OTHER; not the right answer
    assert f"{synonym_url(question, blank=0, text=SYNONYM)}".replace("&", "&amp;") in body
    assert f"{synonym_url(question, blank=0, text=OTHER)}".replace("&", "&amp;") in body
    assert body.index(SYNONYM) < body.index(OTHER)  # most frequent first


def test_with_several_blanks_each_blank_has_its_own_list(staff_client, two_blanks):
    body = staff_client.get(reverse("curation:question", args=[two_blanks.pk])).content.decode()

    assert "第1空" in body and "第2空" in body
    assert synonym_url(two_blanks, blank=1, text=SYNONYM).replace("&", "&amp;") in body
    assert synonym_url(two_blanks, blank=0, text="职工的家").replace("&", "&amp;") in body
    wrong = services.cloze_wrong_fills(two_blanks)
    assert [(blank.blank_index, [(f.text, f.count) for f in blank.fills]) for blank in wrong] == [
        (0, [("职工的家", 1)]),
        (1, [(SYNONYM, 2)]),
    ]


def test_other_kinds_keep_their_plain_list_without_the_button(staff_client, small_bank):
    question = small_bank.of_type("choice")[0]
    take(UserFactory(), question, 1)

    body = staff_client.get(reverse("curation:question", args=[question.pk])).content.decode()

    assert 'class="common-wrong"' in body and "accept-synonym" not in body


# --- Confirming, then accepting ------------------------------------------------------------------------


def test_the_confirm_page_shows_the_count_and_the_blank_and_changes_nothing(staff_client, answered):
    question = answered["question"]
    before = answers_of(question)

    response = staff_client.get(synonym_url(question, blank=0, text=SYNONYM))

    assert response.status_code == 200
    body = response.content.decode()
    assert "将把 3 个以往作答改判为正确（涉及 3 次练习、2 位学员），并据此重新计算他们的掌握情况。" in body
    assert "第1空" in body and SYNONYM in body and 'data-testid="confirm-synonym"' in body
    assert 'name="blank" value="0"' in body and f'name="text" value="{SYNONYM}"' in body
    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [ANSWER]
    assert answers_of(question) == before and not QuestionLog.objects.exists()


def test_accepting_remarks_the_answers_moves_the_counters_logs_and_says_how_many(staff_client, staff, answered):
    question = answered["question"]
    attempts = answered["attempts"]
    counts = {attempt.pk: attempt.correct_count for attempt in attempts}
    states = {
        user.pk: list(PointState.objects.filter(user=user).values_list("point_text_key", "last_rating", "stability"))
        for user in (answered["first"], answered["second"], answered["third"])
    }

    response = staff_client.post(synonym_url(question), {"blank": "0", "text": SYNONYM})

    assert response.status_code == 302
    assert response["Location"] == reverse("curation:question", args=[question.pk]) + "#stats"
    assert messages_of(response) == [
        f"已接受“{SYNONYM}”为第1空的正确答案：3 个以往作答改判为正确（涉及 3 次练习、2 位学员），他们的掌握情况已重新计算。"
    ]
    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [ANSWER, SYNONYM] and question.is_edited
    # The answers: the three with SYNONYM right now, OTHER still wrong.
    by_text = {
        answer.given[0].strip(): answer
        for answer in Answer.objects.filter(attempt_question__question=question).order_by("pk")
    }
    for attempt in attempts[:3]:
        answer = Answer.objects.get(attempt_question__attempt=attempt)
        assert (answer.marks, answer.credit, answer.is_correct) == ([True], 1.0, True)
        attempt.refresh_from_db()
        assert attempt.correct_count == counts[attempt.pk] + 1
    assert not by_text[OTHER].is_correct
    for attempt in attempts[3:]:
        attempt.refresh_from_db()
        assert attempt.correct_count == counts[attempt.pk]
    # The memory of the learners it concerns is rebuilt; the third learner's is left alone.
    assert (
        list(
            PointState.objects.filter(user=answered["first"]).values_list("point_text_key", "last_rating", "stability")
        )
        != states[answered["first"].pk]
    )
    assert (
        list(
            PointState.objects.filter(user=answered["third"]).values_list("point_text_key", "last_rating", "stability")
        )
        == states[answered["third"].pk]
    )
    entry = QuestionLog.objects.get(question=question)
    assert (entry.action, entry.user) == (QuestionLog.Action.SYNONYM, staff)
    assert entry.after == {"blank": 0, "accepted": [ANSWER, SYNONYM]} and "3 条作答" in entry.note

    # The question page now shows it as accepted, and OTHER as the one wrong fill-in left.
    body = staff_client.get(response["Location"]).content.decode()
    assert body.count('data-testid="accept-synonym"') == 1 and "也接受" in body


def test_a_second_click_changes_nothing_and_says_so(staff_client, answered):
    question = answered["question"]
    staff_client.post(synonym_url(question), {"blank": "0", "text": SYNONYM})
    after = answers_of(question)

    page = staff_client.get(synonym_url(question, blank=0, text=SYNONYM))
    response = staff_client.post(synonym_url(question), {"blank": "0", "text": SYNONYM})

    assert page.status_code == 200 and "没有需要改判的作答" in page.content.decode()
    assert 'data-testid="confirm-synonym"' not in page.content.decode()
    assert response.status_code == 302 and "没有需要改判的作答" in messages_of(response)[0]
    assert answers_of(question) == after and QuestionLog.objects.count() == 1


def test_on_a_blank_of_several_only_that_blank_is_remarked(staff_client, two_blanks):
    page = staff_client.get(synonym_url(two_blanks, blank=1, text=SYNONYM)).content.decode()
    assert "将把 2 个以往作答改判为正确（涉及 2 次练习、2 位学员）" in page
    assert "第2空" in page and "共 2 空" in page and "其中 1 个作答整题变为全对" in page

    staff_client.post(synonym_url(two_blanks), {"blank": "1", "text": SYNONYM})

    marks = sorted(Answer.objects.filter(attempt_question__question=two_blanks).values_list("marks", "is_correct"))
    assert marks == [([False, True], False), ([True, True], True)]
    two_blanks.refresh_from_db()
    assert two_blanks.blanks[0]["accepted"] == ["职工之家"] and two_blanks.blanks[1]["accepted"] == [ANSWER, SYNONYM]


# --- Forged requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"blank": "3", "text": SYNONYM}, "这道题没有第 4 个空（共 1 个）"),
        ({"blank": "-1", "text": SYNONYM}, "空的编号无效"),
        ({"blank": "一", "text": SYNONYM}, "空的编号无效"),
        ({"text": SYNONYM}, "没有指明是哪一个空"),
        ({"blank": "0", "text": ""}, "同义答案不能为空"),
        ({"blank": "0", "text": "  “ ”  "}, "同义答案不能为空"),  # only quotes: empty once normalised
        ({"blank": "0"}, "同义答案不能为空"),
        ({"blank": "0", "text": "从没人填过"}, "没有学员在第1空填过“从没人填过”"),
        ({"blank": "0", "text": "x" * 201}, "同义答案太长"),
    ],
)
def test_forged_requests_get_a_chinese_error_and_change_nothing(staff_client, answered, query, error):
    question = answered["question"]
    before = (answers_of(question), Question.objects.values("blanks").get(pk=question.pk))
    counts = list(Attempt.objects.order_by("pk").values_list("correct_count", flat=True))

    page = staff_client.get(synonym_url(question, **query))
    sent = staff_client.post(synonym_url(question), query)

    for response in (page, sent):
        assert response.status_code == 400
        body = response.content.decode()
        assert error in body and 'data-testid="problem"' in body and "没有做任何改动" in body
        assert 'data-testid="confirm-synonym"' not in body
    assert (answers_of(question), Question.objects.values("blanks").get(pk=question.pk)) == before
    assert list(Attempt.objects.order_by("pk").values_list("correct_count", flat=True)) == counts
    assert not QuestionLog.objects.exists()


def test_a_text_typed_only_into_another_blank_is_refused(staff_client, two_blanks):
    response = staff_client.post(synonym_url(two_blanks), {"blank": "0", "text": SYNONYM})

    assert response.status_code == 400 and "没有学员在第1空填过" in response.content.decode()
    assert not QuestionLog.objects.exists()


def test_another_kind_of_question_is_refused(staff_client, small_bank):
    question = small_bank.of_type("choice")[0]
    take(UserFactory(), question, 1)

    for response in (
        staff_client.get(synonym_url(question, blank=0, text="职工书屋建设")),
        staff_client.post(synonym_url(question), {"blank": "0", "text": "职工书屋建设"}),
    ):
        assert response.status_code == 400 and "只有填空题可以接受同义答案" in response.content.decode()
    assert not QuestionLog.objects.exists()


def test_an_unknown_question_is_a_404(staff_client, answered):
    assert staff_client.get(reverse("curation:synonym", args=[999999]) + "?blank=0&text=x").status_code == 404


# --- Who may -------------------------------------------------------------------------------------------


def test_learners_get_a_403_and_anonymous_users_the_login_page(client, learner_client, answered):
    question = answered["question"]
    before = answers_of(question)

    assert learner_client.get(synonym_url(question, blank=0, text=SYNONYM)).status_code == 403
    response = learner_client.post(synonym_url(question), {"blank": "0", "text": SYNONYM})
    assert response.status_code == 403 and "只有题库编辑人员" in response.content.decode()
    client.logout()
    anonymous = client.post(synonym_url(question), {"blank": "0", "text": SYNONYM})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    assert answers_of(question) == before and not QuestionLog.objects.exists()
    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [ANSWER]


# --- Restoring a suppressed fill-in --------------------------------------------------------------------


def restore(client: Client, question: Question):
    response = client.post(reverse("curation:restore", args=[question.pk]))
    assert response.status_code == 302
    question.refresh_from_db()
    return messages_of(response)


def test_restoring_before_any_regeneration_asks_it_again_now(staff_client, staff, small_bank):
    question = small_bank.questions[0]
    services.question_suppress(question=question, user=staff)

    assert restore(staff_client, question) == ["已恢复这道题，练习中会再次抽到它。"]
    assert question.is_active and not question.is_suppressed


def test_restoring_a_fill_in_the_generator_avoided_says_it_comes_back_at_the_next_regeneration(
    staff_client, staff, seed_bank
):
    fill_in = (
        Question.objects.active()
        .filter(type="cloze", origin="generated", source__isnull=False)
        .order_by("position")
        .first()
    )
    assert fill_in is not None
    services.question_suppress(question=fill_in, user=staff)
    bank_sync(version=seed_bank)  # the generator avoids the suppressed blank: its key is retired
    fill_in.refresh_from_db()
    assert fill_in.retired_in == seed_bank

    (message,) = restore(staff_client, fill_in)

    assert "已恢复；此题在下次重新生成题库（启用文档版本）时重新出题" in message
    assert not fill_in.is_suppressed and not fill_in.is_active  # as the message says: not yet
    bank_sync(version=seed_bank)
    fill_in.refresh_from_db()
    assert fill_in.is_active and fill_in.retired_in is None  # and the message was right


def test_restoring_a_question_whose_line_is_gone_says_it_stays_out(staff_client, staff, small_bank):
    question = small_bank.questions[0]
    services.question_suppress(question=question, user=staff)
    Question.objects.filter(pk=question.pk).update(retired_in=small_bank.version, source_text_keys=["gone"])

    (message,) = restore(staff_client, question)

    assert "当前文档版本已不再出这道题" in message and "重新出题" not in message
    assert not question.is_active and not question.is_suppressed


def test_restoring_a_question_not_suppressed_says_so(staff_client, small_bank):
    question = small_bank.questions[0]

    assert restore(staff_client, question) == ["这道题没有停用，不需要恢复。"]
    assert not QuestionLog.objects.exists()
