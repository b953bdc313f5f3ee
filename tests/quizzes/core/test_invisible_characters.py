"""Invisible format characters (Unicode category Cf) that a paste or an input method leaves in a typed
answer — zero-width spaces and joiners, LRM/RLM, bidi embeddings and isolates, the word joiner, the
BOM, the soft hyphen — do not make a right answer wrong (pure: no database). And the one character
no database column of PostgreSQL can hold, NUL, is refused in a typed answer, through the answer page."""

import copy
import unicodedata

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.core.checking import accepted_forms, normalize
from quizzes.core.kinds import KINDS
from quizzes.models import Answer
from quizzes.selectors import attempt_current_item
from tests.support import HTMX, form_data

from .kinds.samples import blank, question

INVISIBLE = [
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u180e",  # Mongolian vowel separator
    *map(chr, range(0x200B, 0x2010)),  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    *map(chr, range(0x202A, 0x202F)),  # bidi embeddings and overrides
    *map(chr, range(0x2060, 0x2065)),  # word joiner, invisible operators
    *map(chr, range(0x2066, 0x206A)),  # bidi isolates
    "\ufeff",  # byte-order mark / zero-width no-break space
]
KEY = "终身职业技能培训"
cloze = KINDS["cloze"]


def test_every_listed_character_is_an_invisible_format_character():
    assert all(unicodedata.category(char) == "Cf" for char in INVISIBLE)


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda char: f"U+{ord(char):04X}")
def test_an_invisible_character_anywhere_in_a_right_answer_leaves_it_right(char):
    q = question("cloze", prompt="推动落实＿＿制度", blanks=[blank(KEY, "职业技能培训")])
    before = copy.deepcopy(q.blanks)
    typed = [
        char + KEY,  # pasted with a BOM or a mark in front
        KEY + char,
        KEY[:2] + char + KEY[2:],
        char.join(KEY),
        f"“{char}{KEY}{char}”。",
        "职业" + char + "技能培训",  # an accepted variant
    ]

    for given in typed:
        assert normalize(given) in accepted_forms(q.blanks[0]), repr(given)
        assert cloze.check(q, [given]).is_correct, repr(given)
    assert q.blanks == before  # the key is not touched
    assert accepted_forms(q.blanks[0]) == {KEY, "职业技能培训"}


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda char: f"U+{ord(char):04X}")
def test_an_invisible_character_alone_is_no_answer_and_a_wrong_one_stays_wrong(char):
    q = question("cloze", prompt="推动落实＿＿制度", blanks=[blank(KEY)])

    assert normalize(char * 3) == ""
    assert not cloze.check(q, [char + "职工书屋"]).is_correct


def test_visible_text_normalises_as_before():
    assert normalize("  “黨聯繫職工” ") == "党联系职工"
    assert normalize("两个维护") == "2个维护"
    assert normalize("a\u00a0b") == "ab"  # a no-break space is a space (Zs), dropped as before


# --- A NUL byte in a typed answer (PostgreSQL cannot store it) -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["\x00", "终身\x00职业技能培训", "终身职业技能培训\x00"], ids=["alone", "inside", "at-the-end"]
)
def test_a_fill_in_answer_with_a_nul_byte_is_refused_with_a_message(learner_client, learner, small_bank, typed):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=1)
    item = attempt_current_item(attempt)
    data = {**form_data(item), "blank-0": typed}
    url = reverse("quizzes:answer", args=[attempt.pk])

    page = learner_client.post(url, data)
    fragment = learner_client.post(url, data, **HTMX)

    assert page.status_code == 400 and fragment.status_code == 200
    assert "答案中有无法识别的字符。" in page.content.decode()
    assert "答案中有无法识别的字符。" in fragment.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_in_the_answer_forms_token_does_not_break_the_answer(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=1)
    item = attempt_current_item(attempt)

    response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item, token="t\x00k"))

    assert response.status_code == 200
    assert Answer.objects.get().is_correct
