from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.l10n import amount_typed
from core.lists import FilterDateField
from core.phones import InvalidPhone, phone_clean

from .amounts import parse_amount
from .models import MAX_NUMBER, Account, BooksSettings, CostCenter, Entry, Nature, ThirdParty, VoucherType
from .reports.tables import ReportParams
from .reports.trial_balance import Scope
from .selectors import company_country, cost_center_ids_by_code, third_party_ids_by_number
from .services.common import amount_message, amount_problem, date_problem
from .services.entries import LineInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccountCreateForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\d{1,20}$",
        max_length=20,
        error_messages={"invalid": _("The code has digits only.")},
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    nature = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("The same as its parent")), *Nature.choices]
    )
    requires_third_party = forms.BooleanField(label=_("Requires a tercero"), required=False)
    requires_cost_center = forms.BooleanField(label=_("Requires a cost center"), required=False)


class AccountEditForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["name", "nature", "is_active", "requires_third_party", "requires_cost_center"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_custom:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("The PUC's own accounts keep their name.")


class ThirdPartyForm(forms.ModelForm):
    class Meta:
        model = ThirdParty
        fields = [
            "person_type",
            "document_type",
            "number",
            "business_name",
            "first_names",
            "last_names",
            "email",
            "phone",
            "address",
            "city",
        ]
        help_texts = {"number": _("With its check digit for a NIT: 900.123.456-8.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the document identifies the tercero in the books: it stays
            for name in ("document_type", "number"):
                self.fields[name].disabled = True
        self.fields["number"].max_length = 25

    def clean_phone(self):
        try:
            return phone_clean(self.cleaned_data["phone"], country=company_country())
        except InvalidPhone as error:
            raise forms.ValidationError(str(error)) from None


class CostCenterForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=120)


class VoucherTypeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=5)
    name = forms.CharField(label=_("Name"), max_length=100)


class CatalogEditForm(forms.Form):
    """The name and the active flag of a cost center or voucher type."""

    name = forms.CharField(label=_("Name"), max_length=120)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class EntryDateField(forms.DateField):
    """A comprobante's date: inside the books' window of dates (books.services.common.entry_dates)."""

    widget = DATE_INPUT

    def validate(self, value):
        super().validate(value)
        problem = date_problem(value) if value else None
        if problem:
            raise forms.ValidationError(problem, code="outside")


class EntryForm(forms.Form):
    voucher_type = forms.ModelChoiceField(
        label=_("Type"), queryset=VoucherType.objects.none(), empty_label=None
    )
    date = EntryDateField(label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The closing's type is the closing's: comprobantes of the year-end closing are made by the closing.
        self.fields["voucher_type"].queryset = VoucherType.objects.filter(is_active=True).exclude(code="CI")


class AmountField(forms.CharField):
    """An amount as accountants type it (1.500.000 or 1500000,50); empty is zero."""

    default_error_messages = {"invalid": _("Write an amount, for example 1.500.000 or 1500000,50.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        amount = parse_amount(amount_typed(value))
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount_problem(amount):
            raise forms.ValidationError(amount_message(), code="too_large")
        return amount


class LineForm(forms.Form):
    account = forms.CharField(label=_("Account"), max_length=20, required=False)
    third_party = forms.CharField(label=_("Tercero"), max_length=25, required=False)
    cost_center = forms.CharField(label=_("Cost center"), max_length=20, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    debit = AmountField(label=_("Debit"), required=False)
    credit = AmountField(label=_("Credit"), required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(name) for name in ("account", "third_party", "cost_center", "debit", "credit")
        )


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=0, max_num=500, absolute_max=500)


def _first_word(text: str) -> str:
    """ "900.123.456-8 Cliente S.A.S." → "900123456"; "ADM Administración" → "ADM"."""
    return (text or "").strip().split(" ")[0].replace(".", "").split("-")[0].upper()


def line_inputs(formset) -> list[LineInput]:
    """The formset's filled lines, with tercero numbers and cost center codes turned into ids (an unknown one
    becomes an id that does not exist, which the posting rules report on its line)."""
    rows = [form.cleaned_data for form in formset.forms if form.cleaned_data and not form.is_blank()]
    third_parties = third_party_ids_by_number(_first_word(row["third_party"]) for row in rows)
    cost_centers = cost_center_ids_by_code(_first_word(row["cost_center"]) for row in rows)
    return [
        LineInput(
            account=_first_word(row["account"]),
            debit=row["debit"] or 0,
            credit=row["credit"] or 0,
            third_party=third_parties.get(_first_word(row["third_party"]), -1)
            if row["third_party"]
            else None,
            cost_center=cost_centers.get(_first_word(row["cost_center"]), -1) if row["cost_center"] else None,
            description=row["description"],
        )
        for row in rows
    ]


class EntryFilterForm(forms.Form):
    tipo = forms.ModelChoiceField(label=_("Type"), queryset=VoucherType.objects.all(), required=False)
    numero = forms.IntegerField(label=_("Number"), required=False, min_value=1, max_value=MAX_NUMBER)
    desde = FilterDateField(label=_("From"), required=False)
    hasta = FilterDateField(label=_("To"), required=False)
    tercero = forms.CharField(label=_("Tercero (number or name)"), required=False, max_length=100)
    cuenta = forms.CharField(label=_("Account"), required=False, max_length=20)
    estado = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Entry.Status.choices]
    )


class AnnulForm(forms.Form):
    reason = forms.CharField(label=_("Why is it annulled?"), max_length=300)


class ReverseForm(forms.Form):
    date = EntryDateField(label=_("Date of the reversal"))
    voucher_type = forms.ModelChoiceField(
        label=_("Type of the reversal"),
        queryset=VoucherType.objects.none(),
        required=False,
        empty_label=_("The comprobante's own type"),
        help_text=_("Its consecutive gives the reversal's number, e.g. NC, ND or CC."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voucher_type"].queryset = VoucherType.objects.filter(is_active=True).exclude(code="CI")


class LockForm(forms.Form):
    until = forms.DateField(label=_("Lock the books up to"), widget=DATE_INPUT)


class UnlockForm(forms.Form):
    until = forms.DateField(
        label=_("New lock date (empty: open every period)"), required=False, widget=DATE_INPUT
    )
    reason = forms.CharField(label=_("Why is the period opened again?"), max_length=300)


class ClosingForm(forms.Form):
    year = forms.IntegerField(label=_("Year to close"), min_value=1990, max_value=2100)


class UploadForm(forms.Form):
    """A spreadsheet to import; its size is checked before anything reads it."""

    max_megabytes = 30

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_megabytes * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": self.max_megabytes}
            )
        return upload


class JournalUploadForm(UploadForm):
    sheet = forms.CharField(
        label=_("Sheet (optional)"),
        required=False,
        max_length=100,
        help_text=_("For an .xlsx with several sheets; the first one by default."),
    )


class OpeningBalancesForm(UploadForm):
    max_megabytes = 10

    date = EntryDateField(label=_("Date of the opening balances"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class ThirdPartiesUploadForm(UploadForm):
    max_megabytes = 10


class ReportForm(forms.Form):
    """The filters every report page shares (each page shows the ones it uses)."""

    desde = FilterDateField(label=_("From"), required=False)
    hasta = FilterDateField(label=_("To"), required=False)
    nivel = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Movement accounts")), *Account.Level.choices],
    )
    cuenta_desde = forms.RegexField(
        label=_("From account"), regex=r"^\d{1,20}$", required=False, max_length=20
    )
    cuenta_hasta = forms.RegexField(label=_("To account"), regex=r"^\d{1,20}$", required=False, max_length=20)
    cuenta = forms.RegexField(label=_("Account"), regex=r"^\d{1,20}$", required=False, max_length=20)
    tercero = forms.CharField(label=_("Tercero (number)"), required=False, max_length=25)
    centro = forms.ModelChoiceField(
        label=_("Cost center"), queryset=CostCenter.objects.none(), required=False, to_field_name="code"
    )
    ceros = forms.BooleanField(label=_("Include accounts at zero"), required=False)
    por_tercero = forms.BooleanField(label=_("By tercero"), required=False)
    resumen = forms.BooleanField(label=_("Summary per day and type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centro"].queryset = CostCenter.objects.order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("desde") and data.get("hasta") and data["desde"] > data["hasta"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def params(self) -> ReportParams:
        """The report's parameters: what the form says, or this year up to today."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("desde") or today.replace(month=1, day=1)
        end = data.get("hasta") or today
        number = (data.get("tercero") or "").replace(".", "").split("-")[0].strip()
        third_party = (
            ThirdParty.objects.filter(number=number).values_list("pk", flat=True).first() if number else None
        )
        center = data.get("centro")
        account = data.get("cuenta") or ""
        scope = Scope(
            account_from=data.get("cuenta_desde") or account,
            account_to=data.get("cuenta_hasta") or account,
            third_party=third_party or (-1 if number else None),
            cost_center=center.pk if center else None,
        )
        return ReportParams(
            start=start,
            end=end,
            level=data.get("nivel") or "",
            by_third_party=bool(data.get("por_tercero")),
            include_zero=bool(data.get("ceros")),
            summary=bool(data.get("resumen")),
            scope=scope,
        )


class SignaturesForm(forms.ModelForm):
    class Meta:
        model = BooksSettings
        fields = [
            "legal_representative",
            "accountant_name",
            "accountant_card",
            "auditor_name",
            "auditor_card",
        ]
