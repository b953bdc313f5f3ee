from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.organisation_list, name="list"),
    path("orgs/<int:pk>/", views.organisation_report, name="report"),
    path("orgs/<int:pk>/report.xlsx", views.organisation_export_xlsx, name="export_xlsx"),
    path("orgs/<int:pk>/people/", views.organisation_people, name="people"),
    path("orgs/<int:pk>/people/<int:user_id>/", views.organisation_person, name="person"),
]
