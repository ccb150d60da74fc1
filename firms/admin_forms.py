from django import forms
from django.core.exceptions import ValidationError

from .models import Company
from .tax_ids import tax_id_parse


class CompanyAdminForm(forms.ModelForm):
    """Validates the tax ID and its check digit for the company's country (python-stdnum)."""

    class Meta:
        model = Company
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        country, tax_id = cleaned.get("country"), cleaned.get("tax_id")
        if country and tax_id:
            try:
                parsed = tax_id_parse(country=country, raw=f"{tax_id} {cleaned.get('check_digit') or ''}".strip())
            except ValidationError as exc:
                self.add_error("tax_id", exc)
            else:
                cleaned["tax_id"], cleaned["check_digit"] = parsed.tax_id, parsed.check_digit
                self.instance.tax_id, self.instance.check_digit = parsed.tax_id, parsed.check_digit
        return cleaned
