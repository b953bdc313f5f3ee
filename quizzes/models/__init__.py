"""The quiz app's models, one module per concern; everything is importable from here."""

from .activity import ActivityTotal, DailyActivity
from .attempts import (
    Answer,
    Assignment,
    AssignmentQuerySet,
    Attempt,
    AttemptQuerySet,
    AttemptQuestion,
    PointState,
    PointStateQuerySet,
)
from .changes import ChangeStudy
from .curation import BankImport, QuestionLog, QuestionReport
from .questions import Origin, Question, QuestionQuerySet, QuestionType, QuizMix

__all__ = [
    "ActivityTotal",
    "Answer",
    "Assignment",
    "AssignmentQuerySet",
    "Attempt",
    "AttemptQuerySet",
    "AttemptQuestion",
    "BankImport",
    "ChangeStudy",
    "DailyActivity",
    "Origin",
    "PointState",
    "PointStateQuerySet",
    "Question",
    "QuestionLog",
    "QuestionQuerySet",
    "QuestionReport",
    "QuestionType",
    "QuizMix",
]
