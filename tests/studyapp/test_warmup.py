"""The warm-up gunicorn's master runs before forking (studyapp/warmup.py, studyapp/gunicorn_conf.py)."""

import pytest

from studyapp import warmup
from studyapp.warmup import warm

pytestmark = pytest.mark.django_db


def test_the_quiz_app_warms_the_steps_templates_and_the_banks_source_lines(small_bank, monkeypatch):
    import jinja2
    from django.template import engines

    from quizzes import selectors

    engines["jinja2"].env.cache.clear()
    selectors.source_lines_forget()
    reports: list[str] = []

    warm(reports.append)

    assert reports == []
    assert selectors._LINES  # the active bank's lines, kept for every worker to come
    monkeypatch.setattr(jinja2.Environment, "_parse", lambda *args: pytest.fail("compiled again"))
    engines["jinja2"].get_template("quizzes/step.html")


def test_a_part_that_fails_is_reported_and_the_others_still_run(small_bank, monkeypatch):
    from quizzes import selectors

    def broken():
        raise RuntimeError("no such table: quizzes_question")

    monkeypatch.setitem(warmup._PARTS, "坏的一步", broken)
    selectors.source_lines_forget()
    reports: list[str] = []

    warm(reports.append)

    assert reports == ["预热未完成（坏的一步）：no such table: quizzes_question"]
    assert selectors._LINES
