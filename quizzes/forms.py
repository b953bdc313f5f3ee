"""The forms of the learner's and the staff's pages: the bank's filter and a quiz's start. (An answer
is read by its kind's form: core/kinds/.)"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from studyapp.people.models import DAILY_GOAL_MAX, DAILY_GOAL_MIN

from .bank import bank_task_choices
from .core.rules import DIFFICULTY_BANDS, DIFFICULTY_LABELS, QUIZ_LENGTHS
from .models import Attempt, Question

DIFFICULTY_CHOICES = [("", _("全部难度")), *((band, _(DIFFICULTY_LABELS[band])) for band in DIFFICULTY_BANDS)]


class BankFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("题型"), required=False, choices=[("", _("全部题型")), *Question.Type.choices])
    task = forms.ChoiceField(label=_("任务"), required=False)
    difficulty = forms.ChoiceField(label=_("难度"), required=False, choices=DIFFICULTY_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        task = self.fields["task"]
        assert isinstance(task, forms.ChoiceField)
        task.choices = [("", _("全部任务")), *bank_task_choices()]


# --- Practice quizzes ---------------------------------------------------------------------------


LENGTH_CHOICE_ERROR = format_lazy(  # 题数只能选 5、10 或 20 题。
    _("题数只能选 {first} 或 {last} 题。"),
    first="、".join(str(n) for n in QUIZ_LENGTHS[:-1]),
    last=QUIZ_LENGTHS[-1],
)
SCOPE_FORMAT = r"\A(document|(task|topic):[0-9a-f]{1,16})\Z"


class QuizStartForm(forms.Form):
    """Scope, question type and length of a practice quiz; the scope is "document", "task:KEY" or "topic:KEY"."""

    scope = forms.ChoiceField(label=_("范围"), initial="document")
    question_type = forms.ChoiceField(
        label=_("题型"),
        choices=Attempt.Mix.choices,
        initial=Attempt.Mix.MIXED,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择题型。"), "invalid_choice": _("没有这种题型，请从列出的题型中选择。")},
    )
    length = forms.TypedChoiceField(
        label=_("题数"),
        choices=[(n, _("%(count)d 题") % {"count": n}) for n in QUIZ_LENGTHS],
        coerce=int,
        initial=10,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择题数。"), "invalid_choice": LENGTH_CHOICE_ERROR},
    )

    def __init__(self, *args, scope_choices: list | None = None, **kwargs) -> None:
        """Without `scope_choices` the scope is only checked for its shape (the service checks the rest)."""
        super().__init__(*args, **kwargs)
        if scope_choices is None:
            self.fields["scope"] = forms.RegexField(
                label=_("范围"), regex=SCOPE_FORMAT, error_messages={"invalid": _("没有这个学习范围。")}
            )
        else:
            scope = self.fields["scope"]
            assert isinstance(scope, forms.ChoiceField)
            scope.choices = scope_choices

    def start_arguments(self) -> dict:
        """The keyword arguments of services.attempt_start for the cleaned data."""
        scope, _sep, key = self.cleaned_data["scope"].partition(":")
        return {
            "scope": scope,
            "scope_key": key,
            "question_type": self.cleaned_data["question_type"],
            "length": self.cleaned_data["length"],
        }


# --- The daily goal -----------------------------------------------------------------------------


GOAL_RANGE_ERROR = format_lazy(_("每日目标请填 {low} 到 {high} 之间的整数。"), low=DAILY_GOAL_MIN, high=DAILY_GOAL_MAX)


class DailyGoalForm(forms.Form):
    """Questions a day the learner means to answer: one of DAILY_GOAL_CHOICES tapped, or typed."""

    goal = forms.IntegerField(
        label=_("每日目标（题）"),
        min_value=DAILY_GOAL_MIN,
        max_value=DAILY_GOAL_MAX,
        error_messages={
            "required": _("请填写每日目标题数。"),
            "invalid": GOAL_RANGE_ERROR,
            "min_value": GOAL_RANGE_ERROR,
            "max_value": GOAL_RANGE_ERROR,
        },
    )
