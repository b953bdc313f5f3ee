from django.urls import path

from . import views

app_name = "worksheets"

urlpatterns = [
    path("worksheet/", views.scope_worksheet, name="scope"),
    path("worksheet/new/", views.scope_worksheet_new, name="new"),
    path("worksheet/pdf/", views.scope_worksheet_pdf, name="scope_pdf"),
    path("groups/<int:pk>/assignments/<int:assignment_id>/worksheet/", views.assignment_worksheet, name="assignment"),
    path(
        "groups/<int:pk>/assignments/<int:assignment_id>/worksheet/pdf/",
        views.assignment_worksheet_pdf,
        name="assignment_pdf",
    ),
]
