"""The assignment form refuses inputs that used to end in a server error."""

import pytest
from django.urls import reverse

from quizzes.models import Assignment


def _post(client, group, **overrides):
    data = {
        "title": "第一周测验",
        "mode": "generated",
        "scope": "document",
        "question_type": "mixed",
        "length": "5",
        "opens_at": "2030-03-01T08:00",
        "closes_at": "2030-03-08T08:00",
        "action": "save",
        **overrides,
    }
    return client.post(reverse("groups:assignment_new", args=[group.pk]), data)


def test_a_valid_assignment_is_still_created(trainer_client, study_group, small_bank):
    response = _post(trainer_client, study_group)

    assert response.status_code == 302
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2101-01-01T00:00"])
def test_a_year_far_off_is_refused_with_a_message(trainer_client, study_group, small_bank, field, moment):
    overrides = {field: moment}
    if field == "opens_at":
        overrides["closes_at"] = "9999-12-31T23:59" if moment.startswith("0001") else moment
    response = _post(trainer_client, study_group, **overrides)

    assert response.status_code == 400
    assert "日期应在 2000 年到 2100 年之间" in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("question_id", [str(2**70), str(2**63)])
def test_a_question_id_beyond_64_bits_is_refused_with_a_message(trainer_client, study_group, small_bank, question_id):
    response = trainer_client.post(
        reverse("groups:assignment_new", args=[study_group.pk]),
        {
            "title": "指定题目",
            "mode": "fixed",
            "scope": "document",
            "question_type": "mixed",
            "questions": [str(small_bank.questions[0].pk), question_id],
            "opens_at": "2030-03-01T08:00",
            "closes_at": "2030-03-08T08:00",
            "action": "save",
        },
    )

    assert response.status_code == 400
    assert "题目选择有误" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_preview_with_a_huge_question_id_does_not_fail(trainer_client, study_group, small_bank):
    response = trainer_client.post(
        reverse("groups:assignment_new", args=[study_group.pk]),
        {
            "mode": "fixed",
            "scope": "document",
            "question_type": "mixed",
            "questions": [str(2**70)],
            "action": "preview",
        },
    )

    assert response.status_code == 200
