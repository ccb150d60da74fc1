import re

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.co import nit

from .models import Resource, TaxObligation

WINDOWS = [(7, _("Next 7 days")), (30, _("Next 30 days")), (90, _("Next 90 days"))]


class CalendarFilterForm(forms.Form):
    dias = forms.TypedChoiceField(label=_("Period"), choices=WINDOWS, coerce=int, required=False, initial=30)
    obligacion = forms.ChoiceField(label=_("Obligation"), required=False)
    empresa = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligacion"].choices = [("", _("All obligations"))] + [
            (o.code, o.display_name) for o in TaxObligation.objects.filter(active=True)
        ]
        if companies is not None:
            self.fields["empresa"] = forms.ChoiceField(
                label=_("Company"),
                required=False,
                choices=[("", _("All companies"))] + [(c.slug, c.name) for c in companies],
            )

    def value(self, name, default=None):
        if self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class ResourceFilterForm(forms.Form):
    tipo = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Resource.Kind.choices
    )


class FilingForm(forms.Form):
    obligation = forms.CharField(max_length=60)
    period = forms.CharField(max_length=20)
    filed = forms.BooleanField(required=False)


class ReminderPreferenceForm(forms.Form):
    tax_reminders = forms.BooleanField(
        label=_("E-mail me my clients' tax due dates of the next days"), required=False
    )


# "900.123.456", "900123456", "900.123.456-8" (the DV after a dash).
NIT_TYPED = re.compile(r"^(?P<number>[\d.\s]+?)(?:\s*-\s*(?P<dv>\d))?$")


class NitCheckDigitForm(forms.Form):
    """Calculadora del DV: the NIT without its check digit gives the DV; with it, whether it is right."""

    nit = forms.CharField(
        label=_("NIT"),
        max_length=20,
        help_text=_("Without the DV it gives the DV; with the DV (900.123.456-8) it checks it."),
    )

    def clean_nit(self):
        match = NIT_TYPED.match(self.cleaned_data["nit"].strip())
        number = re.sub(r"\D", "", match["number"]) if match else ""
        if not 3 <= len(number) <= 15:
            raise forms.ValidationError(
                _("Write the NIT's digits, for example 900.123.456 or 900.123.456-8.")
            )
        return number, match["dv"] or ""

    def result(self) -> dict | None:
        if not self.is_valid():
            return None
        number, typed = self.cleaned_data["nit"]
        dv = nit.calc_check_digit(number)
        return {
            "number": number,
            "dv": dv,
            "formatted": nit.format(number + dv),
            "typed": typed,
            "right": typed == dv if typed else None,
        }
