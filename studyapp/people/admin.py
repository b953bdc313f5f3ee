from django.contrib import admin

from .models import Organisation, Profile


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
