from django.contrib import admin
from django.urls import include, path

from quizzes import views as quiz_views

from .http import healthz, ping

urlpatterns = [
    path("", quiz_views.dashboard, name="home"),
    path("accounts/", include("studyapp.people.urls")),
    path("", include("studyapp.documents.urls")),
    path("", include("quizzes.urls")),
    path("", include("quizzes.groups.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
]
