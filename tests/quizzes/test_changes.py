"""What a new version changed, for those who studied the one before: who is offered the session,
which lines it shows and asks, and when the offer is gone."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.changes import selectors as changes
from quizzes.models import Attempt, ChangeStudy, PointState, Question
from studyapp.documents.models import ImportLog
from tests import revisions
from tests.factories import UserFactory
from tests.support import HTMX, answer_all

pytestmark = pytest.mark.django_db


def study(user, questions) -> Attempt:
    """`user` answers `questions` (rightly), an hour before now."""
    attempt = services.attempt_create(user=user, question_ids=[q.pk for q in questions], rng=random.Random(1))
    answer_all(attempt, user, now=timezone.now() - timedelta(hours=1))
    return attempt


@pytest.fixture
def v1():
    return revisions.import_v1()


@pytest.fixture
def studied(v1):
    """A learner who answered questions on the line about to change and on one that stays."""
    user = UserFactory(username="studied")
    study(
        user,
        revisions.questions_on(v1, revisions.CHANGED_OLD)[:1] + revisions.questions_on(v1, revisions.UNCHANGED)[:1],
    )
    return user


@pytest.fixture
def v2(studied):
    return revisions.import_v2()


def new_keys(v2) -> set[str]:
    return {revisions.line(v2, text).text_key for text in (revisions.CHANGED_NEW, revisions.ADDED)}


def test_a_learner_who_studied_the_old_text_is_offered_the_changes(studied, v2):
    offer = changes.changes_offer(studied)

    assert offer is not None
    assert offer.version == v2
    assert offer.revision.previous.number == 1
    assert (offer.new_lines, offer.dropped_lines) == (2, 2)  # reworded + added; reworded + removed
    assert offer.attempt is None


def test_no_offer_for_a_newcomer_or_someone_who_started_after_the_update(v2):
    newcomer = UserFactory()
    later = UserFactory()
    attempt = services.attempt_create(
        user=later, question_ids=[revisions.questions_on(v2, revisions.UNCHANGED)[0].pk], rng=random.Random(1)
    )
    answer_all(attempt, later)  # now: after the activation

    assert changes.changes_offer(newcomer) is None
    assert changes.changes_offer(later) is None


def test_no_offer_for_the_first_version(studied):
    assert changes.current_revision() is None
    assert changes.changes_offer(studied) is None


def test_the_side_by_side_lines_are_the_changed_added_and_removed_ones(studied, v2):
    lines = changes.changed_lines(changes.current_revision(), studied)

    by_status = {(line.status, (line.new or line.old).text) for line in lines}
    assert by_status == {
        ("changed", revisions.CHANGED_NEW),
        ("added", revisions.ADDED),
        ("removed", revisions.REMOVED),
    }
    changed = next(line for line in lines if line.status == "changed")
    assert changed.old.text == revisions.CHANGED_OLD
    assert "".join(p.text for p in changed.after if p.changed) == "和网上阵地"
    assert "".join(p.text for p in changed.before) == revisions.CHANGED_OLD
    assert not any(p.changed for p in changed.before)  # nothing of the old wording was dropped
    assert changed.studied  # the learner has progress on the old wording
    assert not next(line for line in lines if line.status == "removed").studied


def test_the_session_asks_exactly_the_changed_and_new_lines_once_each(studied, v2):
    attempt = changes.changes_start(user=studied, rng=random.Random(3))

    assert attempt.kind == Attempt.Kind.CHANGES
    asked = [item.question for item in attempt.items.select_related("question")]
    assert asked
    wanted = new_keys(v2)
    assert all(wanted.intersection(q.source_text_keys) for q in asked)
    covered = {key for q in asked for key in q.source_text_keys if key in wanted}
    with_questions = {key for key in wanted if any(key in q.source_text_keys for q in Question.objects.active())}
    assert covered == with_questions
    assert len({q.source_key for q in asked}) == len(asked)  # one question a line
    assert ChangeStudy.objects.get(user=studied, version=v2).attempt == attempt


def test_starting_again_resumes_the_same_quiz_and_the_card_says_so(studied, v2):
    first = changes.changes_start(user=studied)

    assert changes.changes_start(user=studied) == first
    assert changes.changes_offer(studied).attempt == first


def test_the_offer_is_gone_once_the_session_is_finished(studied, v2):
    attempt = changes.changes_start(user=studied)
    answer_all(attempt, studied, right=lambda position: position % 2 == 1)

    assert attempt.items.filter(answer__is_correct=False).exists()  # done, not necessarily right
    assert changes.changes_offer(studied) is None


def test_the_offer_is_gone_once_dismissed_and_only_for_who_dismissed_it(studied, v2):
    other = UserFactory()
    study(other, revisions.questions_on(v2, revisions.UNCHANGED)[:1])
    ImportLog.objects.filter(version=v2).update(at=timezone.now())  # so that counts as before the activation

    changes.changes_dismiss(user=studied, version=v2)

    assert changes.changes_offer(studied) is None
    assert changes.changes_offer(other) is not None


def test_a_later_version_is_offered_again(studied, v2):
    changes.changes_dismiss(user=studied, version=v2)
    study(studied, revisions.questions_on(v2, revisions.UNCHANGED)[:1])

    v3 = revisions.document_import(
        source=revisions.v2_text().replace(revisions.ADDED.encode(), "推进职工书屋建设".encode()),
        source_name="v3.md",
        activate=True,
    ).version

    offer = changes.changes_offer(studied)
    assert offer is not None and offer.version == v3 and offer.new_lines == 1


def test_reading_the_offer_takes_a_constant_number_of_queries(studied, v2, django_assert_num_queries):
    with django_assert_num_queries(5):  # activation, previous version, study, answered before, counts
        assert changes.changes_offer(studied) is not None
    changes.changes_start(user=studied)
    with django_assert_num_queries(4):  # the study row stands for having studied
        assert changes.changes_offer(studied) is not None


# --- The pages ---------------------------------------------------------------------------------------


def test_the_dashboard_card_comes_by_htmx_and_links_to_the_session(client, studied, v2):
    client.force_login(studied)

    dashboard = client.get(reverse("quizzes:home")).content.decode()
    card = client.get(reverse("quizzes:changes_card"), **HTMX).content.decode()

    assert reverse("quizzes:changes_card") in dashboard
    assert 'data-testid="changes-offer"' in card
    assert "第 2 版" in card and reverse("quizzes:changes") in card
    assert client.get(reverse("quizzes:changes_card")).status_code == 302  # no fragment as a page


def test_the_card_is_empty_for_someone_not_offered(client, v2):
    client.force_login(UserFactory())

    assert client.get(reverse("quizzes:changes_card"), **HTMX).content.decode().strip() == ""


def test_the_page_shows_old_and_new_wording_with_marks(client, studied, v2, django_assert_num_queries):
    client.force_login(studied)

    # session with its user; activation, previous version; study, answered before, counts; both versions' lines, states
    with django_assert_num_queries(9):
        page = client.get(reverse("quizzes:changes")).content.decode()

    assert revisions.CHANGED_OLD in page
    assert "<ins>" in page and "和网上阵地</ins>" in page
    assert f"{revisions.REMOVED}</del>" in page
    assert "你学过" in page
    assert 'data-testid="changes-start"' in page


def test_starting_from_the_page_opens_the_quiz_and_finishing_removes_the_card(client, studied, v2):
    client.force_login(studied)

    response = client.post(reverse("quizzes:changes_start"))
    attempt = Attempt.objects.get(user=studied, kind=Attempt.Kind.CHANGES)
    assert response.url == attempt.get_absolute_url()
    answer_all(attempt, studied)

    assert client.get(reverse("quizzes:changes_card"), **HTMX).content.decode().strip() == ""
    assert 'data-testid="changes-start"' not in client.get(reverse("quizzes:changes")).content.decode()


def test_dismissing_asks_first_then_removes_the_card(client, studied, v2):
    client.force_login(studied)

    page = client.get(reverse("quizzes:changes")).content.decode()
    assert f'href="{reverse("quizzes:changes_dismiss")}"' in page
    confirm = client.get(reverse("quizzes:changes_dismiss")).content.decode()
    assert "不再提示本次修订？" in confirm and 'method="post"' in confirm
    assert changes.changes_offer(studied) is not None  # asking changed nothing

    response = client.post(reverse("quizzes:changes_dismiss"), follow=True)

    assert "已不再提示" in response.content.decode()
    assert changes.changes_offer(studied) is None
    assert client.get(reverse("quizzes:changes_dismiss")).url == reverse("quizzes:changes")


def test_the_memory_of_unchanged_lines_is_not_part_of_the_session(studied, v2):
    unchanged = revisions.line(v2, revisions.UNCHANGED).text_key
    assert PointState.objects.filter(user=studied, point_text_key=unchanged).exists()

    attempt = changes.changes_start(user=studied)

    assert not any(
        unchanged in item.question.source_text_keys and not new_keys(v2).intersection(item.question.source_text_keys)
        for item in attempt.items.select_related("question")
    )
