from django.urls import path

from . import quiz_views, views

app_name = "quizzes"

urlpatterns = [
    path("staff/questions/", views.question_bank, name="bank"),
    path("quiz/", quiz_views.quiz_new, name="new"),
    path("quiz/start/", quiz_views.quiz_start, name="start"),
    path("quiz/review/", quiz_views.review_start, name="review"),
    path("quiz/<int:pk>/", quiz_views.quiz_take, name="take"),
    path("quiz/<int:pk>/answer/", quiz_views.quiz_answer, name="answer"),
    path("quiz/<int:pk>/result/", quiz_views.quiz_result, name="result"),
    path("quiz/<int:pk>/retry/", quiz_views.quiz_retry, name="retry"),
]
