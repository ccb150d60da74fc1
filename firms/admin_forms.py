from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Company
from .reference import ciiu_divisions_by_section, rut_responsibility_choices
from .services.companies import PROFILE_FIELDS
from .tax_ids import tax_id_parse


class CompanyAdminForm(forms.ModelForm):
    """Validates the tax ID and its check digit for the company's country (python-stdnum)."""

    tax_responsibilities = forms.MultipleChoiceField(
        label=Company._meta.get_field("tax_responsibilities").verbose_name,
        choices=rut_responsibility_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Company
        fields = ["country", "tax_id", "check_digit", *PROFILE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person_type") == Company.PersonType.NATURAL:
            if cleaned.get("country") not in (None, "CO") and not self.instance.pk:
                self.add_error(
                    "person_type", _("Personas naturales are available for Colombian companies only.")
                )
            for name in ("given_names", "surnames"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("Required for a persona natural."))
        division = cleaned.get("ciiu_division")
        if division and division not in ciiu_divisions_by_section().get(cleaned.get("sector"), []):
            self.add_error("ciiu_division", _("Choose a division of the chosen sector (or no division)."))
        if self.instance.pk:
            return cleaned
        country, tax_id = cleaned.get("country"), cleaned.get("tax_id")
        if country and tax_id:
            try:
                parsed = tax_id_parse(
                    country=country, raw=f"{tax_id} {cleaned.get('check_digit') or ''}".strip()
                )
            except ValidationError as exc:
                self.add_error("tax_id", exc)
            else:
                cleaned["tax_id"], cleaned["check_digit"] = parsed.tax_id, parsed.check_digit
                self.instance.tax_id, self.instance.check_digit = parsed.tax_id, parsed.check_digit
        return cleaned
