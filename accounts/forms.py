from django import forms
from django.utils.translation import gettext_lazy as _

from firms.models import Country
from firms.services import workspace_create


class AccountantSignupForm(forms.Form):
    """Extra fields of allauth's signup: signing up makes you an accountant with a trial workspace."""

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
