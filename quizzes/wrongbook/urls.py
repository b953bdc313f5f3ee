from django.urls import path

from . import views

app_name = "wrongbook"

urlpatterns = [
    path("wrong-book/", views.wrong_book, name="book"),
    path("wrong-book/practice/", views.wrong_book_practice, name="practice"),
]
