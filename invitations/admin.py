from django.contrib import admin

from .models import Invitation, InvitationEvent


class InvitationEventInline(admin.TabularInline):
    model = InvitationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "detail"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "kind",
        "status",
        "company",
        "workspace",
        "created_at",
        "sent_at",
        "expires_at",
        "attempts",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["email", "company__name", "company__tax_id", "workspace__name"]
    list_select_related = ["company", "workspace"]
    ordering = ["-created_at"]
    # Status changes go through invitations.services (e-mails, access, history); the admin only reads.
    readonly_fields = [field.name for field in Invitation._meta.fields]
    inlines = [InvitationEventInline]

    def has_add_permission(self, request):
        return False
