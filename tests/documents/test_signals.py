"""The document's contract with the apps built on it: signals whose receivers answer with typed objects."""

import pytest
from django.dispatch import Signal

from studyapp.documents import signals
from studyapp.documents.signals import HeadingProgress, QuestionChange


@pytest.fixture
def receivers(monkeypatch):
    """connect(name, function): `function` as the only receiver of signal `name`, for one test."""
    for name in ("version_preparing", "version_activated", "version_previewed", "reader_opened"):
        monkeypatch.setattr(signals, name, Signal())

    def connect(name, function):
        getattr(signals, name).connect(function, weak=False)

    return connect


def test_a_question_change_goes_into_the_import_log_and_comes_back():
    change = QuestionChange(created=3, kept=10, retired=2)

    assert change.total == 13
    assert change.as_log() == {"questions_created": 3, "questions_kept": 10, "questions_retired": 2}
    assert QuestionChange.from_log(change.as_log()) == change
    assert QuestionChange.from_log({"previous": 1}) == QuestionChange(0, 0, 0)


def test_only_typed_answers_of_the_receivers_count(receivers):
    receivers("version_activated", lambda sender, **kwargs: QuestionChange(1, 2, 3))
    receivers("version_activated", lambda sender, **kwargs: {"questions_created": 99})
    receivers("version_activated", lambda sender, **kwargs: None)

    assert signals.activation_changes(version=object(), previous=None) == [QuestionChange(1, 2, 3)]
    assert signals.preview_changes(version=object()) is None  # no bank: nothing to preview
    receivers("version_previewed", lambda sender, **kwargs: QuestionChange(4, 5, 6))
    assert signals.preview_changes(version=object()) == QuestionChange(4, 5, 6)


def test_what_was_prepared_outside_the_transaction_reaches_the_activation_receivers(receivers):
    seen = []
    receivers("version_preparing", lambda sender, source_text, **kwargs: f"bank of {source_text}")
    receivers("version_preparing", lambda sender, **kwargs: None)
    receivers("version_activated", lambda sender, prepared, **kwargs: seen.append(prepared))

    prepared = signals.activation_prepared(source_text="文本")
    signals.activation_changes(version=object(), previous=None, prepared=prepared)

    assert prepared == ["bank of 文本"] and seen == [["bank of 文本"]]


def test_the_readers_progress_keeps_heading_figures_and_drops_anything_else(receivers):
    receivers(
        "reader_opened",
        lambda sender, **kwargs: {1: HeadingProgress(1, 4), 2: "half", 3: HeadingProgress(0, 0)},
    )

    progress = signals.reader_progress(user=None, version=None, outline=[])

    assert progress[1].percent == 25
    assert 2 not in progress
    assert progress[3].percent == 0
