"""URLs reversed once per process (studyapp/reversing.py) are the URLs Django's reverse() gives."""

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, path, register_converter, reverse, set_script_prefix

from studyapp.reversing import reverse_cached
from studyapp.urls import urlpatterns as site_urlpatterns


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("quizzes:home", (), {}),
        ("documents:toc", (), {}),
        ("logout", (), {}),
        ("admin:index", (), {}),
        ("quizzes:take", (0,), {}),
        ("quizzes:answer", (7,), {}),
        ("quizzes:result", (123456789,), {}),
        ("quizzes:answer", (), {"pk": 42}),
        ("curation:report", (31,), {}),
        ("documents:section", (), {"key": "11927df6af9f292e"}),
    ],
)
def test_a_cached_url_is_the_url_django_reverses(name, args, kwargs):
    for _ in range(2):  # the second call is answered from what the first kept
        assert reverse_cached(name, args=args, kwargs=kwargs) == reverse(name, args=args, kwargs=kwargs)


def test_numbers_are_put_in_their_own_places_each_time():
    urls = [reverse_cached("quizzes:answer", args=[number]) for number in (1, 22, 333, 1, 9876543210)]

    assert urls == [reverse("quizzes:answer", args=[number]) for number in (1, 22, 333, 1, 9876543210)]


@pytest.mark.parametrize("args", [(-1,), ("abc",), (None,), (True,)])
def test_an_argument_the_pattern_refuses_is_refused_as_django_refuses_it(args):
    try:
        expected = reverse("quizzes:answer", args=args)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            reverse_cached("quizzes:answer", args=args)
    else:
        assert reverse_cached("quizzes:answer", args=args) == expected


def test_the_script_prefix_is_part_of_the_url():
    assert reverse_cached("quizzes:answer", args=[5]) == "/quiz/5/answer/"
    set_script_prefix("/study/")
    try:
        assert reverse_cached("quizzes:answer", args=[5]) == "/study/quiz/5/answer/"
        assert reverse_cached("quizzes:home") == "/study/"
    finally:
        set_script_prefix("/")
    assert reverse_cached("quizzes:answer", args=[5]) == "/quiz/5/answer/"


class PaddedConverter:
    """A converter that writes numbers its own way: no simple substitution of the number."""

    regex = "[0-9]{6}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:06d}"


register_converter(PaddedConverter, "padded")
urlpatterns = [*site_urlpatterns, path("padded/<padded:number>/", lambda request, number: None, name="padded")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_converter_that_writes_numbers_its_own_way_is_asked_every_time():
    assert reverse_cached("padded", args=[42]) == "/padded/000042/"
    assert reverse_cached("padded", args=[7]) == "/padded/000007/"


def test_the_url_tag_renders_what_djangos_renders():
    template = engines["django"].from_string(
        "{% url 'quizzes:answer' pk %}|{% url 'quizzes:take' pk as take %}{{ take }}|"
        "{% url 'documents:section' key=key %}|{% url 'no-such-page' as missing %}[{{ missing }}]"
    )

    rendered = template.render({"pk": 12, "key": "abc"})

    assert rendered == "/quiz/12/answer/|/quiz/12/|/read/abc/|[]"


def test_the_url_tag_still_fails_on_an_unknown_name():
    template = engines["django"].from_string("{% url 'no-such-page' %}")

    with pytest.raises(NoReverseMatch):
        template.render({})
