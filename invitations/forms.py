from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firms.models import Country
from firms.reference import rut_responsibility_choices, sector_choices
from firms.tax_ids import tax_id_parse


class TaxIdFormMixin:
    """Validates the tax ID and its check digit for the chosen country; cleaned_data["tax_id"] is a TaxId."""

    def clean(self):
        cleaned = super().clean()
        country, raw = cleaned.get("country"), cleaned.get("tax_id")
        if country and raw:
            try:
                cleaned["tax_id"] = tax_id_parse(country=country, raw=raw)
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


class ClientCreateForm(TaxIdFormMixin, forms.Form):
    email = forms.EmailField(label=_("Client's e-mail"), help_text=_("The activation invitation goes here."))
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Your client must replace it when activating the account; it never stays as their password."
        ),
    )
    name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.ChoiceField(label=_("Country version"), choices=Country.choices, initial=Country.CO)
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

    def clean(self):
        cleaned = super().clean()
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


class ClientInviteForm(forms.Form):
    email = forms.EmailField(label=_("Client's e-mail"), help_text=_("The activation invitation goes here."))
