from django import forms
from django.core.exceptions import ValidationError

from .models import Company
from .reference import rut_responsibility_choices
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
        fields = [
            "name",
            "country",
            "tax_id",
            "check_digit",
            "sector",
            "tax_responsibilities",
            "phone",
            "email",
        ]

    def clean(self):
        cleaned = super().clean()
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
