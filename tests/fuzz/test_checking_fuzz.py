"""The answer checker: its compare form is stable, and a right answer stays right however it is typed."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, note
from hypothesis import strategies as st

from quizzes.core.checking import normalize
from quizzes.core.kinds import kind_of
from quizzes.core.numerals import MEASURE_WORDS, NUMERAL
from tests.fuzz.support import FUZZ, nasty_text
from tests.quizzes.core.kinds.samples import CLOZE, question
from tests.support import seed_questions

pytestmark = FUZZ

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202c"]
QUOTES = [("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'), ("‘", "’"), ("＂", "＂"), ("", "")]

# Text made of what the compare form rewrites: numerals, measure words, quotes, brackets, edge
# punctuation, width variants, traditional characters, invisible characters.
TOUCHY = st.text(
    alphabet=st.sampled_from(
        NUMERAL + MEASURE_WORDS[:12] + "第百分之“”「」《》()（）。，.、!?-～ 　AaＡａ1１會職工勞" + "".join(INVISIBLE)
    ),
    max_size=20,
)


@given(text=st.one_of(nasty_text, TOUCHY))
def test_normalize_is_idempotent(text):
    once = normalize(text)

    assert normalize(once) == once


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


@lru_cache(maxsize=1)
def _cloze_questions() -> list:
    """The seed document's fill-in questions (answers as the generator makes them) and the sample."""
    seeds = [q.to_dict() for q in seed_questions("cloze")]
    return [CLOZE, *(question("cloze", prompt=q["prompt"], blanks=q["blanks"]) for q in seeds)]


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@st.composite
def retyped(draw, answer: str) -> str:
    """`answer` as someone might type or paste it: any mix of full width, traditional characters,
    invisible characters and quotes around it."""
    text = answer
    if draw(st.booleans()):
        text = _full_width(text)
    if draw(st.booleans()):
        traditional = _s2t().convert(text)
        # Some characters only, or all of them.
        picks = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        text = "".join(t if pick else s for s, t, pick in zip(text, traditional, picks, strict=False))
        if len(traditional) != len(answer):
            text = traditional
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.sampled_from(INVISIBLE)) + text[position:]
    opening, closing = draw(st.sampled_from(QUOTES))
    return opening + text + closing


@given(data=st.data())
def test_a_right_fill_in_answer_stays_right_however_it_is_typed(data):
    q = data.draw(st.sampled_from(_cloze_questions()), label="question")
    right = [blank["answer"] for blank in q.blanks]
    given_ = [data.draw(retyped(answer), label=f"blank {index}") for index, answer in enumerate(right)]
    note(f"prompt: {q.prompt}")

    check = kind_of("cloze").check(q, given_)

    assert check.is_correct, f"{given_!r} marked {check.marks} for {right!r}"
