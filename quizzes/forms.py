from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .checking import MalformedAnswer
from .models import Assignment, Attempt, Question
from .selectors import bank_task_choices
from .services import QUIZ_LENGTHS

DIFFICULTY_CHOICES = [("", _("全部难度")), ("easy", _("易")), ("medium", _("中")), ("hard", _("难"))]


class BankFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("题型"), required=False, choices=[("", _("全部题型")), *Question.Type.choices])
    task = forms.ChoiceField(label=_("任务"), required=False)
    difficulty = forms.ChoiceField(label=_("难度"), required=False, choices=DIFFICULTY_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", _("全部任务")), *bank_task_choices()]


# --- Practice quizzes ---------------------------------------------------------------------------


SCOPE_FORMAT = r"\A(document|(task|topic):[0-9a-f]{1,16})\Z"


class QuizStartForm(forms.Form):
    """Scope, question type and length of a practice quiz; the scope is "document", "task:KEY" or "topic:KEY"."""

    scope = forms.ChoiceField(label=_("范围"), initial="document")
    question_type = forms.ChoiceField(
        label=_("题型"), choices=Attempt.Mix.choices, initial=Attempt.Mix.MIXED, widget=forms.RadioSelect
    )
    length = forms.TypedChoiceField(
        label=_("题数"),
        choices=[(n, _("%(count)d 题") % {"count": n}) for n in QUIZ_LENGTHS],
        coerce=int,
        initial=10,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, scope_choices: list | None = None, **kwargs) -> None:
        """Without `scope_choices` the scope is only checked for its shape (the service checks the rest)."""
        super().__init__(*args, **kwargs)
        if scope_choices is None:
            self.fields["scope"] = forms.RegexField(
                label=_("范围"), regex=SCOPE_FORMAT, error_messages={"invalid": _("没有这个学习范围。")}
            )
        else:
            self.fields["scope"].choices = scope_choices

    def start_arguments(self) -> dict:
        """The keyword arguments of services.attempt_start for the cleaned data."""
        scope, _sep, key = self.cleaned_data["scope"].partition(":")
        return {
            "scope": scope,
            "scope_key": key,
            "question_type": self.cleaned_data["question_type"],
            "length": self.cleaned_data["length"],
        }


def answer_from_post(question: Question, layout: dict, data: QueryDict) -> Any:
    """What the learner gave, from the answer form, in the shape services.answer_submit stores.

    Raises checking.MalformedAnswer with a message for the learner when a field is missing or
    not what the form could have sent.
    """
    if question.type == Question.Type.CLOZE:
        given = []
        for index in range(len(question.blanks)):
            value = data.get(f"blank-{index}")
            if value is None:
                raise MalformedAnswer(_("答案格式不对：缺少第 %(number)d 个空。") % {"number": index + 1})
            given.append(value)
        if len(data.getlist("blank-0")) > 1:
            raise MalformedAnswer(_("答案格式不对：每个空只能有一个答案。"))
        return given
    if question.type == Question.Type.CHOICE:
        return _index(data.get("choice"), _("请选择一个选项。"))
    order = layout.get("right_order") or list(range(len(question.pairs)))
    given = []
    for index in range(len(question.pairs)):
        shown = _index(data.get(f"pair-{index}"), _("请为左边的每一项选好配对。"))
        if not 0 <= shown < len(order):
            raise MalformedAnswer(_("请为左边的每一项选好配对。"))
        given.append(order[shown])
    return given


def _index(value: str | None, message: str) -> int:
    if value is None or len(value) > 4 or not value.strip().isdigit():
        raise MalformedAnswer(message)
    return int(value)


# --- Assignments (quizzes set for a study group) ------------------------------------------------

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class QuestionIdsField(forms.Field):
    """The ids of the picked questions, in the order the form lists them (checkboxes named `questions`)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        ids = []
        for item in value or []:
            if not str(item).isdigit():
                raise forms.ValidationError(_("题目选择有误。"))
            ids.append(int(item))
        return ids


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    mode = forms.ChoiceField(
        label=_("出题方式"),
        choices=Assignment.Mode.choices,
        initial=Assignment.Mode.GENERATED,
        widget=forms.RadioSelect,
    )
    scope = forms.ChoiceField(label=_("范围"), initial="document")
    question_type = forms.ChoiceField(
        label=_("题型"), choices=Attempt.Mix.choices, initial=Attempt.Mix.MIXED, widget=forms.RadioSelect
    )
    length = forms.IntegerField(label=_("每人题数"), min_value=1, max_value=50, initial=10, required=False)
    questions = QuestionIdsField(label=_("选定的题目"), required=False)
    opens_at = forms.DateTimeField(
        label=_("开放时间"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    time_limit_minutes = forms.IntegerField(
        label=_("限时（分钟）"), min_value=1, max_value=600, required=False, help_text=_("留空表示不限时。")
    )

    def __init__(self, *args, scope_choices: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices or [("document", _("全文"))]

    def scope_arguments(self) -> dict:
        """Scope and type for assignments.assignment_candidates(), from whatever is valid so far."""
        data = getattr(self, "cleaned_data", {})
        scope, _sep, key = (data.get("scope") or self.data.get("scope") or "document").partition(":")
        question_type = data.get("question_type") or self.data.get("question_type") or Attempt.Mix.MIXED
        if question_type not in Attempt.Mix.values:
            question_type = Attempt.Mix.MIXED
        return {"scope": scope, "scope_key": key, "question_type": question_type}

    def create_arguments(self) -> dict:
        """The keyword arguments of assignments.assignment_create() for the cleaned data."""
        data = self.cleaned_data
        return {
            **self.scope_arguments(),
            "title": data["title"],
            "mode": data["mode"],
            "length": data.get("length") or 10,
            "question_ids": data.get("questions") or [],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "time_limit_minutes": data.get("time_limit_minutes"),
        }
