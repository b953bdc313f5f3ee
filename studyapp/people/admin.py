from django.contrib import admin

from .models import Invitation, Membership, Organisation, Profile, StudyGroup
from .services import unique_invite_code


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    list_select_related = ["parent"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "display_name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "joined_at", "added_by"]
    readonly_fields = ["joined_at", "added_by"]
    autocomplete_fields = ["user"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        # People join themselves (the invite code, or accepting an invitation): joining is their
        # consent to the group's trainers seeing their study (quizzes/visibility.py).
        return False


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "invite_code", "created_by", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["invite_code", "created_at"]
    list_select_related = ["created_by"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change) -> None:
        if not obj.invite_code:
            obj.invite_code = unique_invite_code()
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """The record of invitations: who invited whom to which group, and what came of it. Read-only:
    only the invited person can accept (joining is their consent), so staff do not change answers here."""

    list_display = ["group", "user", "role", "invited_by", "status", "created_at", "answered_at"]
    list_filter = ["status", "role"]
    search_fields = ["group__name", "user__username", "invited_by__username"]
    list_select_related = ["group", "user", "invited_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
