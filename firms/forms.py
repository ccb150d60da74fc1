from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Company, CompanyAccess, Country, Workspace
from .selectors import DEFAULT_SORT, SORTS, CompanyFilters
from .services import workspace_create


class AccountantSignupForm(forms.Form):
    """Extra fields of allauth's signup (ACCOUNT_SIGNUP_FORM_CLASS): signing up makes you an accountant
    with a trial workspace."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    workspace_name = forms.CharField(
        label=_("Name of your practice"),
        max_length=150,
        help_text=_("For example: Contadores Asociados Pérez"),
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, initial=Country.CO)

    field_order = ["full_name", "email", "password1", "password2", "workspace_name", "country"]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("es-co", "en") else "es-co"
        user.save(update_fields=["full_name", "language"])
        workspace_create(
            owner=user, name=self.cleaned_data["workspace_name"], country=self.cleaned_data["country"]
        )


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
        label=_("Invitation"),
        required=False,
        choices=[("", _("Any"))] + CompanyAccess.InvitationStatus.choices,
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
