"""The forms of the curation pages: the bank's filter, a question of each kind (edit and new), an upload
and its import, and reports. They read and shape what was typed; whether the result is a question that
can be asked is the kind's to say (services.question_problems), so nothing is checked twice."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from studyapp.documents.models import Node

from ..bank import bank_task_choices
from ..core.kinds import CHOICE, CLOZE, MATCHING, MULTISELECT, TRUEFALSE
from ..core.kinds.truefalse import FALSE, TRUE
from ..models import Question, QuestionReport
from .drafts import QuestionDraft
from .services import LETTERS, MAX_IMPORT_BYTES, MAX_REPORT_LENGTH, STATUS_FILTERS, section_choices

OPTION_SLOTS = 6  # options A–F, as the Excel template has
PAIR_SLOTS = 6
BLANK_SLOTS = 4  # blanks of a new fill-in
MAX_PROMPT_LENGTH = 2000
MAX_FORM_LENGTH = 200  # an answer or one accepted form, as checking.MAX_ANSWER_LENGTH
# A blank as people type it: a run of low lines (＿ or _), or brackets with only spaces inside.
BLANK_MARK = re.compile(r"[_＿]+|[（(]\s*[）)]")


def _text(label: Any, *, required: bool = False, max_length: int = MAX_FORM_LENGTH, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=attrs))


def _area(label: Any, *, required: bool = False, max_length: int = MAX_PROMPT_LENGTH, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, widget=forms.Textarea({"rows": rows}))


class BankFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput({"type": "search", "placeholder": _("题干、原文或解析中的文字")}),
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *STATUS_FILTERS.items()])
    type = forms.ChoiceField(label=_("题型"), required=False, choices=[("", _("全部题型")), *Question.Type.choices])
    task = forms.ChoiceField(label=_("任务"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        task = self.fields["task"]
        assert isinstance(task, forms.ChoiceField)
        task.choices = [("", _("全部任务")), *bank_task_choices()]

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid value is ignored rather than failing the page)."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("status", "type", "task", "q") if name not in self.errors}


class QuestionForm(forms.Form):
    """A question of one kind: its stem, its answer fields and 解析. `question` (editing) gives the
    initial values and what the form does not show (a blank's group, a 判断 statement's swapped term)."""

    prompt = _area(_("题干"), required=True, rows=4)
    explanation = _area(_("解析（可不填）"), rows=3)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, type: str, question: Question | None = None, **kwargs: Any
    ) -> None:
        self.type = type
        self.question = question
        initial: dict[str, Any] = {}
        if question is not None:
            initial = {"prompt": question.prompt, "explanation": question.explanation}
        super().__init__(data, initial=initial, **kwargs)
        if type == CLOZE:
            self._cloze_fields(question)
        elif type in (CHOICE, MULTISELECT):
            self._choice_fields(question)
        elif type == TRUEFALSE:
            self.fields["answer"] = forms.TypedChoiceField(
                label=_("这句话"),
                choices=[(TRUE, _("正确")), (FALSE, _("错误"))],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择这句话是正确还是错误。")},
            )
            if question is not None:
                self.initial["answer"] = question.answer_index
        elif type == MATCHING:
            self._matching_fields(question)
        else:
            raise ValueError(type)

    # --- Fields per kind ----------------------------------------------------------------------

    def _cloze_fields(self, question: Question | None) -> None:
        blanks = question.blanks if question is not None else []
        self.blank_count = len(blanks) if question is not None else BLANK_SLOTS
        for index in range(self.blank_count):
            number = index + 1
            self.fields[f"blank_{index}"] = _text(_("第%(n)d空的答案") % {"n": number}, autocomplete="off")
            self.fields[f"blank_{index}_accepted"] = _area(
                _("第%(n)d空也接受的答案（同义、别称，一行一个）") % {"n": number}, max_length=2000, rows=2
            )
            if index < len(blanks):
                answer = str(blanks[index].get("answer", ""))
                others = [form for form in blanks[index].get("accepted") or [] if form != answer]
                self.initial[f"blank_{index}"] = answer
                self.initial[f"blank_{index}_accepted"] = "\n".join(others)

    def _choice_fields(self, question: Question | None) -> None:
        choices = question.choices if question is not None else []
        self.option_count = max(OPTION_SLOTS, len(choices))
        for index in range(self.option_count):
            self.fields[f"option_{index}"] = _text(_("选项%(letter)s") % {"letter": LETTERS[index]})
            if index < len(choices):
                self.initial[f"option_{index}"] = choices[index]
        values = [(index, LETTERS[index]) for index in range(self.option_count)]
        if self.type == CHOICE:
            self.fields["answer"] = forms.TypedChoiceField(
                label=_("正确选项"),
                choices=values,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("请选出正确选项。")},
            )
            if question is not None:
                self.initial["answer"] = question.answer_index
        else:
            self.fields["answer"] = forms.TypedMultipleChoiceField(
                label=_("正确选项"),
                choices=values,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("请选出正确选项。")},
            )
            if question is not None:
                self.initial["answer"] = list(question.correct_choices)

    def _matching_fields(self, question: Question | None) -> None:
        pairs = question.pairs if question is not None else []
        self.pair_count = max(PAIR_SLOTS, len(pairs))
        for index in range(self.pair_count):
            self.fields[f"left_{index}"] = _text(_("第%(n)d对左项") % {"n": index + 1})
            self.fields[f"right_{index}"] = _text(_("第%(n)d对右项") % {"n": index + 1})
            if index < len(pairs):
                self.initial[f"left_{index}"], self.initial[f"right_{index}"] = pairs[index]

    # --- What the template draws ---------------------------------------------------------------

    @property
    def blank_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        count = getattr(self, "blank_count", 0)
        return [(self[f"blank_{i}"], self[f"blank_{i}_accepted"]) for i in range(count)]

    @property
    def option_rows(self) -> list[dict[str, Any]]:
        count = getattr(self, "option_count", 0)
        right = self["answer"].value() if count else None
        right = {str(value) for value in (right if isinstance(right, list | tuple) else [right])}
        return [
            {"field": self[f"option_{i}"], "index": i, "letter": LETTERS[i], "right": str(i) in right}
            for i in range(count)
        ]

    @property
    def pair_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        count = getattr(self, "pair_count", 0)
        return [(self[f"left_{i}"], self[f"right_{i}"]) for i in range(count)]

    # --- What it says ---------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.type in (CHOICE, MULTISELECT) and "answer" in data:
            filled = [i for i in range(self.option_count) if data.get(f"option_{i}")]
            right = data["answer"] if isinstance(data["answer"], list) else [data["answer"]]
            if any(index not in filled for index in right):
                raise ValidationError(_("正确选项不能是空着的选项。"))
        return data

    def changes(self) -> dict[str, Any]:
        """The question's fields as the form has them (call after is_valid())."""
        data = self.cleaned_data
        fields: dict[str, Any] = {"prompt": data["prompt"], "explanation": data.get("explanation", "")}
        if self.type == CLOZE:
            fields["blanks"] = self._blanks(data)
            fields["prompt"] = _with_blank_runs(data["prompt"], [blank["answer"] for blank in fields["blanks"]])
        elif self.type in (CHOICE, MULTISELECT):
            filled = [i for i in range(self.option_count) if data.get(f"option_{i}")]
            fields["choices"] = [data[f"option_{i}"] for i in filled]
            if self.type == CHOICE:
                fields["answer_index"] = filled.index(data["answer"])
            else:
                fields["correct_choices"] = sorted(filled.index(i) for i in data["answer"])
        elif self.type == TRUEFALSE:
            fields["answer_index"] = data["answer"]
        elif self.type == MATCHING:
            fields["pairs"] = [
                [data[f"left_{i}"], data[f"right_{i}"]]
                for i in range(self.pair_count)
                if data.get(f"left_{i}") or data.get(f"right_{i}")
            ]
        return fields

    def _blanks(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        old = self.question.blanks if self.question is not None else []
        blanks = []
        for index in range(self.blank_count):
            answer = data.get(f"blank_{index}", "")
            if self.question is None and not answer and not data.get(f"blank_{index}_accepted"):
                continue  # an unused slot of a new question
            others = [line.strip() for line in data.get(f"blank_{index}_accepted", "").splitlines() if line.strip()]
            blank = dict(old[index]) if index < len(old) else {"group": None, "any_order": False}
            blank["answer"] = answer
            blank["accepted"] = list(dict.fromkeys([answer, *others])) if answer else others
            blanks.append(blank)
        return blanks

    def draft(self) -> QuestionDraft:
        return QuestionDraft(type=self.type, **self.changes())


def _with_blank_runs(prompt: str, answers: list[str]) -> str:
    """The blanks of a fill-in's stem as the app writes them: runs of ＿ (a typed _ run or an empty
    bracket becomes one as long as its answer, at least 2; runs of ＿ stay as they are)."""
    count = 0

    def run(match: re.Match[str]) -> str:
        nonlocal count
        index, count = count, count + 1
        if set(match.group()) == {"＿"}:
            return match.group()
        width = len(answers[index]) if index < len(answers) else 4
        return "＿" * max(2, width)

    return BLANK_MARK.sub(run, prompt)


class SectionForm(forms.Form):
    """Where a new question belongs: a heading or line of the active version."""

    section = forms.TypedChoiceField(
        label=_("所属章节或要点"),
        coerce=int,
        error_messages={"required": _("请选择题目所属的章节或要点。"), "invalid_choice": _("没有这个章节。")},
    )

    def __init__(self, *args: Any, nodes: Mapping[str, Node], required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = {node.pk: node for node in nodes.values()}
        field = self.fields["section"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择…")), *section_choices(nodes)]
        field.required = required

    def node(self) -> Node | None:
        pk = self.cleaned_data.get("section")
        return self.nodes.get(pk) if pk else None


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("题库文件"),
        help_text=_("Excel 题库模板（.xlsx）、GIFT（.gift/.txt）或 Moodle XML（.xml），不超过 10 MB、5000 道题。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.gift,.txt,.xml"}),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的。")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("文件超过 10 MB，请拆分后再导入。"))
        return upload


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("哪里有误？"),
        max_length=MAX_REPORT_LENGTH,
        widget=forms.Textarea({"rows": 3, "placeholder": _("例如：答案与原文不符、有错别字、选项有两个都对……")}),
        error_messages={"required": _("请说明题目哪里有误。")},
    )


class ReportHandleForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (QuestionReport.Status.RESOLVED, _("已处理")),
            (QuestionReport.Status.DISMISSED, _("不予处理")),
        ],
        error_messages={"required": _("处理结果无效。"), "invalid_choice": _("处理结果无效。")},
    )
    response = forms.CharField(label=_("处理说明（可不填）"), required=False, max_length=300)


class ConfirmForm(forms.Form):
    """A note for the audit log with a suppress, restore or review."""

    note = forms.CharField(label=_("说明（可不填，记入修改记录）"), required=False, max_length=300)


class SynonymForm(forms.Form):
    """Which blank (from 0) and which text, as the question page's “接受为正确答案” passes them (in the
    query string, then in the confirm form). Whether the question has that blank and a learner typed
    that text is the service's to say."""

    blank = forms.IntegerField(
        min_value=0,
        max_value=999,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("没有指明是哪一个空。"),
            "invalid": _("空的编号无效。"),
            "min_value": _("空的编号无效。"),
            "max_value": _("空的编号无效。"),
        },
    )
    text = forms.CharField(
        max_length=MAX_FORM_LENGTH,
        widget=forms.HiddenInput,
        error_messages={"required": _("同义答案不能为空。"), "max_length": _("同义答案太长。")},
    )

    def problem(self) -> str:
        """The errors in one line, for the page that refuses the request."""
        return " ".join(str(error) for errors in self.errors.values() for error in errors)
