from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Resource, TaxObligation

WINDOWS = [(7, _("Next 7 days")), (30, _("Next 30 days")), (90, _("Next 90 days"))]


class CalendarFilterForm(forms.Form):
    dias = forms.TypedChoiceField(label=_("Period"), choices=WINDOWS, coerce=int, required=False, initial=30)
    obligacion = forms.ChoiceField(label=_("Obligation"), required=False)
    empresa = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligacion"].choices = [("", _("All obligations"))] + [
            (o.code, o.name) for o in TaxObligation.objects.filter(active=True)
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


class IvaPeriodicityForm(forms.Form):
    iva_periodicity = forms.ChoiceField(
        label=_("IVA periodicity"),
        choices=[("bimestral", _("Bimonthly")), ("cuatrimestral", _("Four-monthly"))],
    )


class FilingForm(forms.Form):
    obligation = forms.CharField(max_length=60)
    period = forms.CharField(max_length=20)
    filed = forms.BooleanField(required=False)


class ReminderPreferenceForm(forms.Form):
    tax_reminders = forms.BooleanField(
        label=_("E-mail me my clients' tax due dates of the next days"), required=False
    )
