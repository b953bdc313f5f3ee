"""The forms of a study group's pages: the group, joining it, inviting a person, setting a quiz."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from studyapp.people.models import Membership, StudyGroup

from ..models import Assignment, Attempt


class StudyGroupForm(forms.ModelForm):
    class Meta:
        model = StudyGroup
        fields = ["name", "description"]
        widgets = {"name": forms.TextInput(attrs={"placeholder": _("如：十八大精神学习班")})}


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("邀请码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH-JKMN",
            }
        ),
    )


class InvitationForm(forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("角色"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


# --- Assignments (quizzes set for a study group) ------------------------------------------------

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
# A year outside these is surely a typo (and year 1 or 9999 overflows on the way to UTC and the database).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Question ids are 64-bit signed integers in the database: a longer one could not even be looked up.
MAX_QUESTION_ID = 2**63 - 1


def validate_plausible_year(value: datetime) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("日期应在 %(first)d 年到 %(last)d 年之间，请检查年份。"),
            code="year",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class QuestionIdsField(forms.Field):
    """The ids of the picked questions, in the order the form lists them (checkboxes named `questions`)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        ids = []
        for item in value or []:
            if not str(item).isdigit() or int(item) > MAX_QUESTION_ID:
                raise forms.ValidationError(_("题目选择有误。"), code="invalid")
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
        validators=[validate_plausible_year],
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        validators=[validate_plausible_year],
    )
    time_limit_minutes = forms.IntegerField(
        label=_("限时（分钟）"), min_value=1, max_value=600, required=False, help_text=_("留空表示不限时。")
    )

    show_answers = forms.ChoiceField(
        label=_("何时向学员显示答案"),
        choices=Assignment.ShowAnswers.choices,
        initial=Assignment.ShowAnswers.DEADLINE,
        required=False,  # left out: after the deadline
        widget=forms.RadioSelect,
        help_text=_(
            "每题作答后：答完一题即显示对错和正确答案；提交后：答完全部题目（或时间用完）后显示；"
            "截止后：截止时间一到，所有人同时看到（交卷后先只看到得分）；不显示：学员始终看不到对错和答案。"
            "未显示前，学员答题后只看到“答案已记录”。培训师在小组报告中随时能看到全部作答。"
        ),
    )

    def __init__(self, *args, scope_choices: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = scope_choices or [("document", _("全文"))]

    def clean(self) -> dict | None:
        data = super().clean()
        # The picked questions are checkboxes in the preview, with no place for a field error: a bad
        # pick is told at the top of the form.
        problems = self.errors.pop("questions", None)
        if problems:
            self.add_error(None, problems)
        return data

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
            "show_answers": data.get("show_answers") or Assignment.ShowAnswers.DEADLINE,
        }
