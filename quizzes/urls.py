from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("staff/questions/", views.question_bank, name="bank"),
]
