"""Each quiz step costs a fixed number of queries, whatever the quiz's length and question types."""

import pytest
from django.db import connection
from django.urls import reverse

from quizzes import services
from quizzes.models import Answer
from quizzes.selectors import attempt_current_item, source_lines
from tests.support import HTMX, form_data

pytestmark = pytest.mark.django_db

# the session with its user (one statement, studyapp/sessions.py), the current question with its
# attempt and question row
SHOW_QUERIES = 2
# the session with its user, the question with its attempt and any answer; in the transaction: the
# attempt's counters moved on (the UPDATE is also its lock), the answer inserted, the day's aggregates
# added to (quizzes/activity.py), the point states read (locked) and upserted; then the source lines for
# the feedback. (Tests run inside a transaction, so the service's BEGIN/COMMIT appear as one SAVEPOINT
# and one RELEASE.) PostgreSQL reads the point states with the question, and writes all of it in one
# statement (quizzes/step_reads.py: answer_write), in a savepoint here as the test is in a transaction.
SUBMIT_QUERIES = 6 if connection.vendor == "postgresql" else 10
# the session with its user, the question with its attempt and answer: nothing is written again, and
# the source lines were kept from the first submit
REPEAT_QUERIES = 2

CASES = [("cloze", 5), ("choice", 10), ("matching", 4), ("mixed", 10), ("mixed", 20)]


@pytest.mark.parametrize(("question_type", "length"), CASES)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_showing_and_answering_a_question_takes_constant_queries(
    learner_client, learner, small_bank, django_assert_num_queries, question_type, length, headers
):
    attempt = services.attempt_start(user=learner, question_type=question_type, length=length)
    url = reverse("quizzes:answer", args=[attempt.pk])
    for _step in range(min(length, 4)):
        with django_assert_num_queries(SHOW_QUERIES):
            learner_client.get(attempt.get_absolute_url(), **headers)
        item = attempt_current_item(attempt)
        with django_assert_num_queries(SUBMIT_QUERIES):
            response = learner_client.post(url, form_data(item, right=item.position % 2 == 0), **headers)
        assert response.status_code == 200
        with django_assert_num_queries(REPEAT_QUERIES):
            learner_client.post(url, form_data(item), **headers)


# Outside a test's transaction, as in production: the statements each request sends.
HOT_ANSWER = 3 if connection.vendor == "postgresql" else 9


@pytest.mark.django_db(transaction=True)
def test_the_hot_requests_send_one_two_and_three_statements(
    learner_client, learner, small_bank, django_assert_num_queries
):
    attempt = services.attempt_start(user=learner, question_type="mixed", length=6)
    source_lines([item.question for item in attempt.items.all()])  # kept per process: gunicorn preloads them
    learner_client.get(reverse("ping"))
    for _step in range(3):
        with django_assert_num_queries(1):  # the session with its user
            assert learner_client.get(reverse("ping")).status_code == 200
        with django_assert_num_queries(2):  # … and the current question with its attempt
            assert learner_client.get(attempt.get_absolute_url(), **HTMX).status_code == 200
        item = attempt_current_item(attempt)
        # … and the question with its attempt, any answer (and, on PostgreSQL, the point states), then
        # the writes: on PostgreSQL one statement; on SQLite BEGIN IMMEDIATE, the counters, the answer,
        # the day, the point states read and upserted, COMMIT.
        with django_assert_num_queries(HOT_ANSWER):
            response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item), **HTMX)
        assert response.status_code == 200 and 'data-testid="next"' in response.content.decode()
    assert Answer.objects.filter(attempt_question__attempt=attempt).count() == 3
