from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="documents:toc"), name="home"),
    path("", include("studyapp.documents.urls")),
    path("", include("quizzes.urls")),
    path("admin/", admin.site.urls),
]
