import pytest
from django.urls import reverse

from quizzes.models import Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="trainer", is_staff=True))
    return client


def test_the_bank_page_lists_questions_with_their_answers(staff_client, seed_bank):
    response = staff_client.get(reverse("quizzes:bank"))

    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    first = Question.objects.active().order_by("position").first()
    assert first.prompt in body
    assert response.context["counts"]["total"] == Question.objects.active().count()
    assert response.context["total"] == Question.objects.active().count()


def test_filters_narrow_the_list_by_type_task_and_difficulty(staff_client, seed_bank):
    task_key = (
        Question.objects.active()
        .filter(type="matching")
        .exclude(task_key="")
        .values_list("task_key", flat=True)
        .first()
    )

    response = staff_client.get(reverse("quizzes:bank"), {"type": "matching", "task": task_key, "difficulty": ""})
    hard = staff_client.get(reverse("quizzes:bank"), {"difficulty": "hard"})

    shown = list(response.context["page"])
    assert shown and all(q.type == "matching" and q.task_key == task_key for q in shown)
    assert all(q.difficulty >= 0.67 for q in hard.context["page"])
    assert hard.context["total"] == Question.objects.active().filter(difficulty__gte=0.67).count()


def test_an_htmx_filter_returns_only_the_results_fragment(staff_client, seed_bank):
    response = staff_client.get(reverse("quizzes:bank"), {"type": "choice"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body and "bank-question" in body
    assert "HX-Request" in response["Vary"]


def test_a_bad_filter_value_is_ignored_rather_than_failing(staff_client, seed_bank):
    response = staff_client.get(reverse("quizzes:bank"), {"type": "essay", "difficulty": "extreme"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_learners_cannot_read_the_bank(client, seed_bank):
    client.force_login(UserFactory(username="member"))

    response = client.get(reverse("quizzes:bank"))

    assert response.status_code == 403
    assert "bank-question" not in response.content.decode()
