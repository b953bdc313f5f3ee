from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.home, name="home"),
    path("study/", views.dashboard, name="study"),
    path("staff/questions/", views.question_bank, name="bank"),
    path("quiz/", views.quiz_new, name="new"),
    path("quiz/start/", views.quiz_start, name="start"),
    path("quiz/review/", views.review_start, name="review"),
    path("quiz/<int:pk>/", views.quiz_take, name="take"),
    path("quiz/<int:pk>/answer/", views.quiz_answer, name="answer"),
    path("quiz/<int:pk>/result/", views.quiz_result, name="result"),
    path("quiz/<int:pk>/retry/", views.quiz_retry, name="retry"),
]
