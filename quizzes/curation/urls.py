from django.urls import path

from . import views

app_name = "curation"

urlpatterns = [
    path("staff/bank/", views.bank, name="bank"),
    path("staff/bank/new/", views.question_new, name="new"),
    path("staff/bank/new/<slug:type>/", views.question_new, name="new_kind"),
    path("staff/bank/import/", views.import_upload, name="import"),
    path("staff/bank/import/template.xlsx", views.import_template, name="import_template"),
    path("staff/bank/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("staff/bank/import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("staff/bank/reports/", views.report_queue, name="reports"),
    path("staff/bank/reports/<int:pk>/handle/", views.report_handle, name="report_handle"),
    path("staff/bank/<int:pk>/", views.question_detail, name="question"),
    path("staff/bank/<int:pk>/edit/", views.question_edit, name="edit"),
    path("staff/bank/<int:pk>/suppress/", views.question_suppress, name="suppress"),
    path("staff/bank/<int:pk>/restore/", views.question_restore, name="restore"),
    path("staff/bank/<int:pk>/review/", views.question_review, name="review"),
    path("staff/bank/<int:pk>/synonym/", views.question_synonym, name="synonym"),
    path("quiz/question/<int:pk>/report/", views.question_report, name="report"),
]
