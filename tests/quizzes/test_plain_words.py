"""Learners read plain Chinese: no memory-model jargon, and keyboard hints only where there is a keyboard."""

import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from quizzes import services
from quizzes.selectors import attempt_current_item

pytestmark = pytest.mark.django_db

JARGON = re.compile(r"FSRS|stability|retrievability|稳定性|可提取性|卡片", re.IGNORECASE)


def test_the_learners_pages_use_no_memory_model_jargon(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, length=3, rng=random.Random(1))
    pages = [reverse("quizzes:home"), reverse("quizzes:new"), reverse("wrongbook:book"), attempt.get_absolute_url()]
    for url in pages:
        text = re.sub(r"<[^>]+>", " ", learner_client.get(url).content.decode())  # what is read, not the markup
        assert not JARGON.search(text), url


def test_the_matching_keyboard_hint_is_apart_and_shown_only_with_a_fine_pointer(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="matching", length=1)
    assert attempt_current_item(attempt).question.type == "matching"
    html = learner_client.get(attempt.get_absolute_url()).content.decode()
    hint = re.search(r'data-hint="([^"]*)"', html)[1]
    assert "Tab" not in hint and "键" not in hint
    assert 'data-key-hint="用 Tab 和回车键同样可以配对。"' in html
    css = Path(settings.BASE_DIR, "static", "css", "app.css").read_text()
    assert re.search(r"\.keyboard-hint \{ display: none; \}", css)
    assert re.search(r"@media \(hover: hover\) and \(pointer: fine\) \{\s*\.keyboard-hint \{ display: inline; \}", css)
