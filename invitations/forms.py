from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firms.forms import PersonFieldsMixin
from firms.models import Company, Country, WorkspaceMember
from firms.reference import rut_responsibility_choices, sector_choices
from firms.tax_ids import tax_id_parse


class TaxIdFormMixin:
    """Validates the tax ID and its check digit for the chosen country; cleaned_data["tax_id"] is a TaxId.

    A Colombian persona natural may give a cédula instead of a NIT (document_type "cc").
    """

    def clean(self):
        cleaned = super().clean()
        country, raw = cleaned.get("country"), cleaned.get("tax_id")
        natural = cleaned.get("person_type") == Company.PersonType.NATURAL
        document_type = cleaned.get("document_type") if natural else Company.DocumentType.NIT
        if country and raw:
            try:
                cleaned["tax_id"] = tax_id_parse(
                    country=country, raw=raw, document_type=document_type or Company.DocumentType.NIT
                )
            except ValidationError as error:
                self.add_error("tax_id", error)
        return cleaned


class ClientAddForm(TaxIdFormMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.ChoiceField(label=_("Country version"), choices=Country.choices, initial=Country.CO)
    tax_id = forms.CharField(
        label=_("NIT or tax ID"), max_length=40, help_text=_("With its check digit, e.g. 900.123.456-8")
    )
    email = forms.EmailField(label=_("Client's contact e-mail (optional)"), required=False)


class ClientCreateForm(PersonFieldsMixin, TaxIdFormMixin, forms.Form):
    email = forms.EmailField(label=_("Client's e-mail"), help_text=_("The activation invitation goes here."))
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Your client must replace it when activating the account; it never stays as their password."
        ),
    )
    person_type = forms.ChoiceField(
        label=_("Person type"),
        choices=Company.PersonType.choices,
        initial=Company.PersonType.JURIDICA,
        required=False,  # a company (persona jurídica) unless chosen
        widget=forms.RadioSelect,
        help_text=_("Personas naturales: comerciantes, profesionales (Colombia)."),
    )
    name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=100, required=False)
    surnames = forms.CharField(label=_("Surnames"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country version"), choices=Country.choices, initial=Country.CO)
    document_type = forms.ChoiceField(
        label=_("Document"),
        choices=Company.DocumentType.choices,
        initial=Company.DocumentType.NIT,
        required=False,
        help_text=_("A persona natural can be known by NIT (with DV) or by cédula (without DV)."),
    )
    tax_id = forms.CharField(
        label=_("NIT or tax ID"), max_length=40, help_text=_("With its check digit, e.g. 900.123.456-8")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—")] + sector_choices(), required=False)
    tax_responsibilities = forms.MultipleChoiceField(
        label=_("Tax responsibilities (RUT, Colombia only)"),
        choices=rut_responsibility_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def clean_person_type(self):
        return self.cleaned_data["person_type"] or Company.PersonType.JURIDICA

    def clean_document_type(self):
        return self.cleaned_data["document_type"] or Company.DocumentType.NIT

    def clean(self):
        cleaned = super().clean()
        natural = cleaned.get("person_type") == Company.PersonType.NATURAL
        if natural and cleaned.get("country") != Country.CO:
            self.add_error("person_type", _("Personas naturales are available for Colombian companies only."))
        self.clean_person_names(cleaned)
        if cleaned.get("country") != Country.CO and cleaned.get("tax_responsibilities"):
            self.add_error(
                "tax_responsibilities", _("Tax responsibilities (RUT) apply only to Colombian companies.")
            )
        return cleaned


class InvitationDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, the accountant will see it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActivationForm(forms.Form):
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("New password (again)"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            try:
                validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class TeamActivationForm(ActivationForm):
    """A new team member's account: their name (the team sees it) and their password."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    field_order = ["full_name", "password1", "password2"]


class ClientInviteForm(forms.Form):
    email = forms.EmailField(label=_("Client's e-mail"), help_text=_("The activation invitation goes here."))


class TeamInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), help_text=_("The invitation goes here; they log in with it."))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in WorkspaceMember.INVITABLE_ROLES],
        initial=WorkspaceMember.Role.ACCOUNTANT,
    )
