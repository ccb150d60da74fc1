from django.contrib import admin
from django.db import models

from .models import Benefit, DueDateOverride, NonBusinessDay, Resource, TaxObligation

# A link typed without a scheme is an https one.
LINKS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    formfield_overrides = LINKS
    list_display = ["title", "kind", "published_on", "pinned", "countries"]
    list_filter = ["kind", "pinned"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_on"


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    formfield_overrides = LINKS
    list_display = ["title", "partner", "valid_from", "valid_until", "plans", "countries"]
    search_fields = ["title", "partner"]


@admin.register(TaxObligation)
class TaxObligationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "requires",
        "excludes",
        "person_type",
        "iva_periodicity",
        "legal_basis",
        "active",
    ]
    list_filter = ["active", "person_type", "iva_periodicity"]
    search_fields = ["name", "code", "legal_basis"]
    # The code ties the mapping to the calendar's rules (indicators/taxcalendar.py).
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False


@admin.register(NonBusinessDay)
class NonBusinessDayAdmin(admin.ModelAdmin):
    list_display = ["day", "name"]
    date_hierarchy = "day"


@admin.register(DueDateOverride)
class DueDateOverrideAdmin(admin.ModelAdmin):
    list_display = ["obligation", "period", "nit_last_digits", "due_date", "note"]
    list_filter = ["obligation"]
    search_fields = ["obligation", "period", "note"]
