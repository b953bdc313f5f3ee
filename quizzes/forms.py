from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question
from .selectors import bank_task_choices

DIFFICULTY_CHOICES = [("", _("全部难度")), ("easy", _("易")), ("medium", _("中")), ("hard", _("难"))]


class BankFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("题型"), required=False, choices=[("", _("全部题型")), *Question.Type.choices])
    task = forms.ChoiceField(label=_("任务"), required=False)
    difficulty = forms.ChoiceField(label=_("难度"), required=False, choices=DIFFICULTY_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", _("全部任务")), *bank_task_choices()]
