from django.contrib import admin

from .models import Answer, Assignment, Attempt, AttemptQuestion, PointState


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    fields = ["position", "question"]
    readonly_fields = ["position", "question"]
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "scope_label",
        "question_type",
        "answered_count",
        "question_count",
        "started_at",
        "finished_at",
    ]
    list_filter = ["kind", "question_type"]
    search_fields = ["user__username", "scope_label"]
    date_hierarchy = "started_at"
    list_select_related = ["user"]
    readonly_fields = ["answered_count", "correct_count", "credit", "last_answer_at", "finished_at"]
    inlines = [AttemptQuestionInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    # Answers are a record of what happened: visible to staff, not editable.
    list_display = ["attempt_question", "is_correct", "credit", "answered_at"]
    list_filter = ["is_correct"]
    list_select_related = ["attempt_question__attempt__user"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PointState)
class PointStateAdmin(admin.ModelAdmin):
    list_display = ["user", "point_text_key", "due", "stability", "last_rating", "reps", "lapses"]
    search_fields = ["user__username", "point_text_key"]
    list_select_related = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "mode", "opens_at", "closes_at", "time_limit_minutes"]
    list_filter = ["mode"]
    search_fields = ["title", "group__name"]
    list_select_related = ["group"]
    raw_id_fields = ["group", "created_by"]
