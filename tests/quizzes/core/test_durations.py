"""Durations read as Chinese: one function, one template filter, and the countdown's script agree."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from quizzes.core.rules import duration_text

CASES = [
    (0, "0秒"),
    (49, "49秒"),
    (49.9, "49秒"),
    (60, "1分钟"),
    (709, "11分49秒"),
    (3599, "59分59秒"),
    (3600, "1小时"),
    (3720, "1小时2分"),
    (3749, "1小时2分"),
    (-5, "0秒"),
]


@pytest.mark.parametrize(("seconds", "text"), CASES)
def test_a_duration_reads_as_chinese(seconds, text):
    assert duration_text(seconds) == text
    assert duration_text(timedelta(seconds=seconds)) == text


def test_no_duration_is_empty():
    assert duration_text(None) == ""


def test_the_template_filter_writes_the_same():
    template = Template("{% load durations %}{{ a|duration }}|{{ b|duration }}|{{ c|duration }}")
    rendered = template.render(Context({"a": timedelta(minutes=11, seconds=49), "b": 49, "c": None}))
    assert rendered == "11分49秒|49秒|"
    minutes = Template('{% load durations %}{{ a|duration:"minutes" }}|{{ b|duration:"minutes" }}')
    assert minutes.render(Context({"a": 30, "b": 90})) == "30分钟|1小时30分"


def test_no_template_or_script_writes_minutes_and_seconds_with_primes_or_colons():
    root = Path(settings.BASE_DIR)
    sources = [*root.joinpath("templates").rglob("*.html"), *root.joinpath("static", "js").glob("*.js")]
    offending = [path.name for path in sources if "′" in path.read_text() or "″" in path.read_text()]
    assert not offending
    countdown = root.joinpath("static", "js", "countdown.js").read_text()
    assert '"小时"' in countdown and '"分"' in countdown and '"秒"' in countdown and "padStart" not in countdown
