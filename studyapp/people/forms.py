from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership, StudyGroup


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


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("角色"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
