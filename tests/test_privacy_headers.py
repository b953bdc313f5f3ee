"""Pages and files showing a person's own data or a group's carry `Cache-Control: private, no-store`:
no shared cache (a union's proxy) may keep them, and the browser keeps no copy on disk. Static files
and the health check keep their own caching."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.groups import services as group_services
from quizzes.selectors import attempt_current_item
from tests.factories import MembershipFactory
from tests.support import HTMX, answer_all, form_data

pytestmark = pytest.mark.django_db


def assert_private(response) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (response.request["PATH_INFO"], response.get("Cache-Control"))


@pytest.fixture
def world(small_bank, study_group, trainer, learner):
    """`learner` in `study_group` with an open assignment, a finished practice quiz and one in progress."""
    MembershipFactory(group=study_group, user=learner)
    assignment = group_services.assignment_create(
        group=study_group,
        created_by=trainer,
        title="第一次测验",
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    finished = services.attempt_start(user=learner, question_type="cloze", length=2)
    answer_all(finished, learner)
    running = services.attempt_start(user=learner, question_type="cloze", length=2)
    return {
        "group": study_group,
        "assignment": assignment,
        "finished": finished,
        "running": running,
        "bank": small_bank,
    }


def test_the_learners_pages_are_private(client, learner, world):
    client.force_login(learner)
    running, finished = world["running"], world["finished"]
    topic = world["bank"].topics[0]
    pages = [
        reverse("quizzes:home"),
        reverse("quizzes:new"),
        reverse("quizzes:take", args=[running.pk]),
        reverse("quizzes:result", args=[finished.pk]),
        reverse("groups:assignments"),
        reverse("groups:list"),
        reverse("documents:toc"),
        reverse("documents:section", args=[topic.key]),
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response)
        assert_private(client.get(url, **HTMX))


def test_answering_a_question_and_starting_a_quiz_are_private(client, learner, world):
    client.force_login(learner)
    running = world["running"]
    url = reverse("quizzes:answer", args=[running.pk])
    data = form_data(attempt_current_item(running))

    answered = client.post(url, data)
    fragment = client.post(url, data, **HTMX)  # the repeated submit shows the same feedback
    refused = client.post(url, {**data, "blank-0": "x" * 500})
    started = client.post(reverse("groups:assignment_start", args=[world["assignment"].pk]))

    assert answered.status_code == 200 and fragment.status_code == 200
    assert started.status_code == 302
    for response in (answered, fragment, refused, started):
        assert_private(response)


def test_the_trainers_group_pages_report_and_exports_are_private(trainer_client, learner, world):
    group = world["group"]
    pages = [
        reverse("groups:list"),
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:member", args=[group.pk, learner.pk]),
        reverse("groups:report", args=[group.pk]),
        reverse("groups:assignment_new", args=[group.pk]),
    ]
    exports = [reverse("groups:export_csv", args=[group.pk]), reverse("groups:export_xlsx", args=[group.pk])]

    for url in pages + exports:
        response = trainer_client.get(url)
        assert response.status_code == 200, url
        assert_private(response)
    assert_private(trainer_client.get(reverse("groups:report", args=[group.pk]), {"sort": "-score"}, **HTMX))
    for url in exports:
        assert trainer_client.get(url)["Content-Disposition"].startswith("attachment;")


def test_error_pages_for_a_signed_in_user_are_private_too(trainer_client, world):
    assert_private(trainer_client.get(reverse("groups:report", args=[world["group"].pk]), {"assignment": "999999"}))


def test_the_health_check_keeps_its_own_header_signed_in_or_not(client, learner):
    anonymous = client.get(reverse("healthz"))
    client.force_login(learner)
    signed_in = client.get(reverse("healthz"))

    assert signed_in["Cache-Control"] == anonymous["Cache-Control"]
    assert "no-cache" in signed_in["Cache-Control"]
    assert not signed_in.has_header("Vary") or signed_in["Vary"] == anonymous.get("Vary")


def test_static_files_stay_cacheable_for_a_signed_in_user(client, learner, settings):
    # Served from the source folders, as `runserver` does (tests run without collectstatic).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    anonymous = client.get("/static/css/app.css")
    client.force_login(learner)
    signed_in = client.get("/static/css/app.css")

    assert anonymous.status_code == 200 and signed_in.status_code == 200
    assert signed_in.get("Cache-Control") == anonymous.get("Cache-Control")
    assert "no-store" not in signed_in.get("Cache-Control", "") and "private" not in signed_in.get("Cache-Control", "")
