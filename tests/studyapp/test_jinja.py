"""The Jinja2 environment of the quiz step (studyapp/jinja.py) shows values exactly as Django's templates do."""

import pytest
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from studyapp import jinja

VALUES = [
    "纯文本",
    "<script>alert('x')</script> & \"引号\"",
    mark_safe("<mark>已标记</mark>"),
    gettext_lazy("单选"),
    12345,
    0,
    None,
    True,
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_is_escaped_as_django_escapes_it(value):
    django_template = engines["django"].from_string("{% load l10n %}{% localize off %}{{ value }}{% endlocalize %}")
    jinja_template = engines["jinja2"].from_string("{{ value }}")

    assert jinja_template.render({"value": value}) == django_template.render({"value": value})


def test_a_missing_value_and_its_attributes_render_as_nothing_as_in_django():
    template = engines["jinja2"].from_string(
        "[{{ missing }}|{{ missing.attribute.deeper }}|{% if missing.x %}x{% endif %}]"
    )

    assert template.render({}) == "[||]"


def test_the_files_last_newline_is_kept_as_in_django():
    assert engines["jinja2"].from_string("<p>x</p>\n").render({}) == "<p>x</p>\n"


def test_translated_texts_and_urls_are_the_ones_django_gives():
    template = engines["jinja2"].from_string(
        "{{ _('进度') }} {{ _('第 %(number)s / %(total)s 题') % {'number': 3, 'total': 10} }} {{ url('quizzes:take', 7) }}"
    )
    django_template = engines["django"].from_string(
        "{% load i18n %}{% translate '进度' %} {% blocktranslate with number=3 total=10 %}第 {{ number }} / {{ total }} 题"
        "{% endblocktranslate %} {% url 'quizzes:take' 7 %}"
    )

    assert template.render({}) == django_template.render({}) == "进度 第 3 / 10 题 /quiz/7/"


def test_a_translation_is_looked_up_for_the_language_in_force():
    template = "quizzes/_recorded.html"
    recorded = {"timed_out": True}
    with override("en"):
        assert "超时未答" in jinja.render(template, {"recorded": recorded})
        assert jinja.translator("en")("Password") == "Password"
    with override("zh-hans"):
        assert jinja.translator("zh-hans")("Password") == "密码"
