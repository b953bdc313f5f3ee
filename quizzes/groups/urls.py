from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.group_list, name="list"),
    path("groups/new/", views.group_create, name="create"),
    path("groups/join/", views.group_join, name="join"),
    path("groups/<int:pk>/", views.group_detail, name="detail"),
    path("groups/<int:pk>/invitations/", views.invitation_create, name="invite"),
    path("groups/<int:pk>/invitations/<int:invitation_id>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path("invitations/", views.my_invitations, name="invitations"),
    path("invitations/<int:invitation_id>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:invitation_id>/decline/", views.invitation_decline, name="invitation_decline"),
    path("groups/<int:pk>/members/<int:user_id>/", views.group_member, name="member"),
    path("groups/<int:pk>/members/<int:user_id>/remove/", views.group_member_remove, name="member_remove"),
    path("groups/<int:pk>/invite/", views.group_invite_regenerate, name="invite_regenerate"),
    path("groups/<int:pk>/assignments/new/", views.assignment_new, name="assignment_new"),
    path("groups/<int:pk>/report/", views.group_report, name="report"),
    path("groups/<int:pk>/report/analysis/", views.group_report_analysis, name="report_analysis"),
    path("groups/<int:pk>/report/integrity/", views.group_report_integrity, name="report_integrity"),
    path("groups/<int:pk>/report.csv", views.group_export_csv, name="export_csv"),
    path("groups/<int:pk>/report.xlsx", views.group_export_xlsx, name="export_xlsx"),
    path("assignments/", views.my_assignments, name="assignments"),
    path("assignments/<int:pk>/start/", views.assignment_start, name="assignment_start"),
]
