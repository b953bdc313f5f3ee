from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("read/", views.table_of_contents, name="toc"),
    path("read/<slug:key>/", views.section, name="section"),
]
