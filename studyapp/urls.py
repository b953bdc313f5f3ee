"""The site's URLs: every app's own, included by name so that the project's package imports none of them."""

from django.contrib import admin
from django.urls import include, path

from .http import healthz, ping

# Django tries these in order: the quizzes' URLs (every quiz step and answer) first. No two apps share
# a path, so the order changes no match, only how many patterns a request tries before its own.
urlpatterns = [
    path("", include("quizzes.urls")),
    path("accounts/", include("studyapp.people.urls")),
    path("", include("studyapp.documents.urls")),
    path("", include("quizzes.wrongbook.urls")),
    path("", include("quizzes.curation.urls")),
    path("", include("quizzes.groups.urls")),
    path("", include("quizzes.orgs.urls")),
    path("", include("quizzes.worksheets.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
]

# 403 and 404 are Django's own views, rendering templates/403.html and 404.html with the request (the
# site's layout, signed in or not); 500 renders without the request or the database (studyapp/errors.py).
handler500 = "studyapp.errors.server_error"
