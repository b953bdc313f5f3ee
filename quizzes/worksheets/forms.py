from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import QuizStartForm
from .sheets import SEED_LIMIT

SEED_MAX = 10 * SEED_LIMIT - 1


class SeedForm(forms.Form):
    """The seed of a sheet (its number, printed on it); a missing one makes a new sheet."""

    seed = forms.IntegerField(
        min_value=0,
        max_value=SEED_MAX,
        required=False,
        error_messages={
            "invalid": _("卷号应为数字。"),
            "min_value": _("卷号应为数字。"),
            "max_value": _("卷号过大。"),
        },
    )


class WorksheetForm(QuizStartForm, SeedForm):
    """A practice sheet's scope, question type, length and seed, from the query string."""

    def sheet_arguments(self) -> dict:
        """The keyword arguments of sheets.scope_sheet, less the seed."""
        return self.start_arguments()
