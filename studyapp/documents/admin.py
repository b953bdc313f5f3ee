from django.contrib import admin

from .models import Document, DocumentVersion, ImportLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Versions and logs change only through the importer, which keeps them consistent."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    # The change list links to the staff page that uploads, previews and activates versions.
    change_list_template = "admin/documents/documentversion/change_list.html"
    list_display = ["__str__", "number", "source_name", "is_active", "created_at", "created_by"]
    list_filter = ["is_active"]
    exclude = ["source_text"]


@admin.register(ImportLog)
class ImportLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "version_number", "user", "source_name", "counts"]
    list_filter = ["action"]
