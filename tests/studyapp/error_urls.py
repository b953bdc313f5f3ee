"""The site's URLs plus one that fails, for the error page tests."""

from django.urls import path

from studyapp.urls import handler500
from studyapp.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [*site_urlpatterns, path("broken/", broken)]

__all__ = ["handler500", "urlpatterns"]
