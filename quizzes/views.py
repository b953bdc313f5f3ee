from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from studyapp.access import staff_required

from . import selectors
from .forms import BankFilterForm


@require_GET
@staff_required
@vary_on_headers("HX-Request")
def question_bank(request: HttpRequest) -> HttpResponse:
    """Staff page: the generated bank, filtered by type, task and difficulty."""
    form = BankFilterForm(request.GET or None)
    questions = selectors.bank_questions(**(form.cleaned_data if form.is_valid() else {}))
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    template = "quizzes/bank.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "page": page, "counts": selectors.bank_counts(), "total": page.paginator.count},
    )
