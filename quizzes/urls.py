from django.urls import path

from . import views
from .changes import views as changes_views

app_name = "quizzes"

urlpatterns = [
    path("", views.home, name="home"),
    path("study/", views.dashboard, name="study"),
    path("staff/questions/", views.question_bank, name="bank"),
    path("quiz/", views.quiz_new, name="new"),
    path("quiz/start/", views.quiz_start, name="start"),
    path("quiz/review/", views.review_start, name="review"),
    path("quiz/review/deadline/<int:pk>/", views.deadline_review_start, name="deadline_review"),
    path("goal/", views.goal_edit, name="goal"),
    path("goal/set/", views.goal_set, name="goal_set"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("quiz/<int:pk>/", views.quiz_take, name="take"),
    path("quiz/<int:pk>/answer/", views.quiz_answer, name="answer"),
    path("quiz/<int:pk>/result/", views.quiz_result, name="result"),
    path("quiz/<int:pk>/retry/", views.quiz_retry, name="retry"),
    path("changes/", changes_views.changes_page, name="changes"),
    path("changes/card/", changes_views.changes_card, name="changes_card"),
    path("changes/start/", changes_views.changes_start, name="changes_start"),
    path("changes/dismiss/", changes_views.changes_dismiss, name="changes_dismiss"),
]
