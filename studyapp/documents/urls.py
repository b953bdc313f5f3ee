from django.urls import path

from . import staff_views, views

app_name = "documents"

urlpatterns = [
    path("read/", views.table_of_contents, name="toc"),
    path("read/search/", views.document_search, name="search"),
    path("read/bookmarks/", views.bookmark_list, name="bookmarks"),
    path("read/bookmarks/toggle/", views.bookmark_toggle, name="bookmark_toggle"),
    path("read/bookmarks/<int:pk>/remove/", views.bookmark_remove, name="bookmark_remove"),
    path("read/<slug:key>/", views.section, name="section"),
    path("staff/document/", staff_views.versions, name="versions"),
    path("staff/document/import/", staff_views.upload, name="upload"),
    path("staff/document/versions/<int:number>/", staff_views.version_detail, name="version"),
    path("staff/document/versions/<int:number>/confirm/", staff_views.confirm, name="confirm"),
    path("staff/document/versions/<int:number>/activate/", staff_views.activate, name="activate"),
    path("staff/document/versions/<int:number>/delete/", staff_views.delete, name="delete"),
]
