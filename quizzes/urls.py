from django.urls import path

from studyapp.people import views as group_views

from . import assignment_views, quiz_views, report_views, views

app_name = "quizzes"

urlpatterns = [
    path("staff/questions/", views.question_bank, name="bank"),
    path("quiz/", quiz_views.quiz_new, name="new"),
    path("quiz/start/", quiz_views.quiz_start, name="start"),
    path("quiz/review/", quiz_views.review_start, name="review"),
    path("quiz/<int:pk>/", quiz_views.quiz_take, name="take"),
    path("quiz/<int:pk>/answer/", quiz_views.quiz_answer, name="answer"),
    path("quiz/<int:pk>/result/", quiz_views.quiz_result, name="result"),
    path("quiz/<int:pk>/retry/", quiz_views.quiz_retry, name="retry"),
    # Study groups live in the people app; their pages sit here, under /groups/, next to the
    # assignments and reports that hang off them (the root URLconf is shared and left alone).
    path("groups/", group_views.group_list, name="groups"),
    path("groups/new/", group_views.group_create, name="group_create"),
    path("groups/join/", group_views.group_join, name="group_join"),
    path("groups/<int:pk>/", group_views.group_detail, name="group"),
    path("groups/<int:pk>/members/add/", group_views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/members/<int:user_id>/", group_views.group_member, name="group_member"),
    path("groups/<int:pk>/members/<int:user_id>/remove/", group_views.group_member_remove, name="group_member_remove"),
    path("groups/<int:pk>/invite/", group_views.group_invite_regenerate, name="group_invite_regenerate"),
    path("groups/<int:pk>/assignments/new/", assignment_views.assignment_new, name="assignment_new"),
    path("groups/<int:pk>/report/", report_views.group_report, name="group_report"),
    path("groups/<int:pk>/report.csv", report_views.group_export_csv, name="group_export_csv"),
    path("groups/<int:pk>/report.xlsx", report_views.group_export_xlsx, name="group_export_xlsx"),
    path("assignments/", assignment_views.my_assignments, name="assignments"),
    path("assignments/<int:pk>/start/", assignment_views.assignment_start, name="assignment_start"),
]
