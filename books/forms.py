from django import forms
from django.utils.translation import gettext_lazy as _


class AccountCreateForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\d{1,20}$",
        max_length=20,
        error_messages={"invalid": _("The code has digits only.")},
    )
    name = forms.CharField(label=_("Name"), max_length=200)
