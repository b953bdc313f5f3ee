from django.contrib import admin

from .models import Membership, Organisation, Profile, StudyGroup
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
