from django.contrib import admin

from .models import ImportJob, ImportRow


class ImportRowInline(admin.TabularInline):
    model = ImportRow
    extra = 0
    can_delete = False
    fields = ["row_number", "name", "tax_id_raw", "plan", "outcome", "detail", "messages"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "workspace",
        "status",
        "total_rows",
        "created_count",
        "linked_count",
        "failed_count",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["file_name", "workspace__name"]
    list_select_related = ["workspace"]
    ordering = ["-created_at"]
    # Jobs are made by the accountants' uploads and run by the workers; the admin only reads them.
    readonly_fields = [field.name for field in ImportJob._meta.fields]
    inlines = [ImportRowInline]

    def has_add_permission(self, request):
        return False
