from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Company, CompanyAccess, Country, InvitationStatus, Workspace
from .selectors import DEFAULT_SORT, SORTS, CompanyFilters


class CompanyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or tax ID"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Search by name or tax ID"), "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Link status"),
        required=False,
        choices=[("", _("All statuses"))] + CompanyAccess.Status.choices,
    )
    provisioning = forms.ChoiceField(
        label=_("Books"), required=False, choices=[("", _("Any"))] + Company.Provisioning.choices
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries"))] + Country.choices
    )
    invitation = forms.ChoiceField(
        label=_("Invitation"), required=False, choices=[("", _("Any"))] + InvitationStatus.choices
    )
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput)

    def filters(self) -> CompanyFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CompanyFilters(
            query=data.get("q", ""),
            status=data.get("status", ""),
            provisioning=data.get("provisioning", ""),
            country=data.get("country", ""),
            invitation=data.get("invitation", ""),
            sort=data.get("sort") or DEFAULT_SORT,
        )


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "country"]
        labels = {"name": _("Name of your practice"), "country": _("Main country")}
