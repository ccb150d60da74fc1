from django import forms
from django.utils.translation import gettext_lazy as _

from core.lists import FilterDateField
from core.phones import InvalidPhone, phone_clean

from .board import BOARD_COLUMNS
from .models import Company, CompanyAccess, Country, Workspace, WorkspaceMember
from .reference import (
    ciiu_division_choices,
    ciiu_divisions_by_section,
    rut_responsibility_choices,
    sector_choices,
)
from .selectors import (
    ALERT_DRAFTS,
    ALERT_DUE,
    ALERT_NATURE,
    ANY_ALERT,
    DEFAULT_SORT,
    NO_RESPONSIBLE,
    SORTS,
    ActivityFilters,
    CompanyFilters,
    workspace_members,
)
from .services.audit import ACTIONS
from .services.companies import COLOMBIAN_FIELDS
from .services.workspaces import workspace_create


class AccountantSignupForm(forms.Form):
    """Extra fields of allauth's signup (ACCOUNT_SIGNUP_FORM_CLASS): signing up makes you an accountant
    with a trial workspace."""

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


class CompanyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or tax ID"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Search by name or tax ID"), "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Link status"),
        required=False,
        choices=[("", _("All statuses"))] + CompanyAccess.Status.choices,
    )
    provisioning = forms.ChoiceField(
        label=_("Books"), required=False, choices=[("", _("Any"))] + Company.Provisioning.choices
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries"))] + Country.choices
    )
    invitation = forms.ChoiceField(
        label=_("Invitation"),
        required=False,
        choices=[("", _("Any"))] + CompanyAccess.InvitationStatus.choices,
    )
    responsable = forms.ChoiceField(label=_("Responsable"), required=False)
    alerta = forms.ChoiceField(
        label=_("Alerts"),
        required=False,
        choices=[
            ("", _("Any")),
            (ANY_ALERT, _("With some alert")),
            (ALERT_NATURE, _("Balances against their nature")),
            (ALERT_DRAFTS, _("Drafts older than 30 days")),
            (ALERT_DUE, _("Due date within 5 days")),
        ],
    )
    orden = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args, responsibles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsable"].choices = [
            ("", _("Anyone")),
            (NO_RESPONSIBLE, _("No responsable")),
            *((str(member.pk), member.user.get_full_name()) for member in responsibles),
        ]

    def filters(self) -> CompanyFilters:
        # A value that does not fit one field (an odd ?orden=) drops that field only, never the others.
        self.is_valid()
        data = self.cleaned_data
        return CompanyFilters(
            query=data.get("q", ""),
            status=data.get("status", ""),
            provisioning=data.get("provisioning", ""),
            country=data.get("country", ""),
            invitation=data.get("invitation", ""),
            responsible=data.get("responsable", ""),
            alert=data.get("alerta", ""),
            sort=data.get("orden") or DEFAULT_SORT,
        )


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "country"]
        labels = {"name": _("Name of your practice"), "country": _("Main country")}


class PersonFieldsMixin:
    """A persona natural is named by given names and surnames; a company (persona jurídica) by its name.
    `natural_fields` and `juridica_fields` show for one person type only (templates/firms/partials/
    form_fields.html, with JavaScript)."""

    natural_fields = ("given_names", "surnames", "document_type")
    juridica_fields = ("name",)

    def clean_person_names(self, cleaned: dict) -> None:
        if cleaned.get("person_type") == Company.PersonType.NATURAL:
            for name in ("given_names", "surnames"):
                if not cleaned.get(name, "").strip():
                    self.add_error(name, _("Required for a persona natural."))
        elif not cleaned.get("name", "").strip():
            self.add_error("name", _("Write the company's name."))


class CompanyProfileForm(PersonFieldsMixin, forms.Form):
    """Datos de la empresa. Colombian-only fields (RUT, IVA, persona natural) only for Colombian companies."""

    person_type = forms.ChoiceField(
        label=_("Person type"), choices=Company.PersonType.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    given_names = forms.CharField(label=_("Given names (persona natural)"), max_length=100, required=False)
    surnames = forms.CharField(label=_("Surnames (persona natural)"), max_length=100, required=False)
    document_type = forms.ChoiceField(
        label=_("Document of the persona natural"),
        choices=Company.DocumentType.choices,
        help_text=_("A persona natural can be known by NIT or by cédula: the number stays the same."),
    )
    sector = forms.ChoiceField(
        label=_("Sector (CIIU section)"), choices=[("", "—")] + sector_choices(), required=False
    )
    ciiu_division = forms.ChoiceField(
        label=_("CIIU division"),
        choices=[("", "—")] + ciiu_division_choices(),
        required=False,
        help_text=_("The first two digits of the main economic activity in the RUT, e.g. 47 for retail."),
    )
    tax_responsibilities = forms.MultipleChoiceField(
        label=_("RUT responsibilities"),
        choices=rut_responsibility_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Box 53 of the RUT. The tax calendar shows the due dates that follow from them."),
    )
    iva_periodicity = forms.ChoiceField(
        label=_("IVA periodicity"),
        choices=Company._meta.get_field("iva_periodicity").choices,
        help_text=Company._meta.get_field("iva_periodicity").help_text,
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, company: Company, **kwargs):
        initial = {name: getattr(company, name) for name in self.base_fields}
        super().__init__(*args, initial=initial, **kwargs)
        self.company = company
        if company.country != Country.CO:
            for name in COLOMBIAN_FIELDS:
                self.fields.pop(name, None)

    def clean_phone(self):
        try:
            return phone_clean(self.cleaned_data["phone"], country=self.company.country)
        except InvalidPhone as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        self.clean_person_names(cleaned)
        division, sector = cleaned.get("ciiu_division"), cleaned.get("sector")
        if division and division not in ciiu_divisions_by_section().get(sector, []):
            self.add_error("ciiu_division", _("Choose a division of the chosen sector (or no division)."))
        return cleaned

    def changes(self) -> dict:
        """The cleaned fields, as company_update takes them."""
        return {name: self.cleaned_data[name] for name in self.fields}


class ActivityFilterForm(forms.Form):
    """The activity log's filters (GET). A company's log has no company or member filter."""

    empresa = forms.CharField(
        label=_("Company"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Part of the name"), "type": "search"}),
    )
    miembro = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    accion = forms.ChoiceField(label=_("Action"), required=False)
    desde = FilterDateField(label=_("From"), required=False)
    hasta = FilterDateField(label=_("To"), required=False)

    def __init__(self, *args, people: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accion"].choices = [("", _("All actions"))] + [
            (code, label) for code, label in ACTIONS.items()
        ]
        if people is None:
            del self.fields["empresa"], self.fields["miembro"]
        else:
            self.fields["miembro"].choices = [("", _("Everyone"))] + people

    def filters(self) -> ActivityFilters:
        """The filters that are right (a wrong one is left out, and the page says why)."""
        self.is_valid()
        data = self.cleaned_data
        return ActivityFilters(
            company=data.get("empresa", ""),
            actor_id=data.get("miembro"),
            action=data.get("accion", ""),
            since=data.get("desde"),
            until=data.get("hasta"),
        )


def _member_label(member) -> str:
    name = member.user.get_full_name()
    return f"{name} ({member.user.email})" if name else member.user.email


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{_member_label(obj)} · {obj.get_role_display()}"


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in WorkspaceMember.INVITABLE_ROLES],
    )


class BoardColumnsForm(forms.Form):
    """The client board's column chooser: the columns ticked show, the others are hidden."""

    shown = forms.MultipleChoiceField(
        label=_("Columns shown"), required=False, choices=BOARD_COLUMNS, widget=forms.CheckboxSelectMultiple
    )

    def hidden(self) -> list[str]:
        shown = set(self.cleaned_data["shown"])
        return [key for key, _label in BOARD_COLUMNS if key not in shown]


class AssignForm(forms.Form):
    """Assign a member of the team to one company, or (BulkAssignForm) to the companies selected."""

    member = MemberChoiceField(label=_("Team member"), queryset=WorkspaceMember.objects.none())
    responsible = forms.BooleanField(label=_("As responsable"), required=False)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = workspace_members(workspace=workspace)


class BulkAssignForm(AssignForm):
    access = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Select at least one company in the list."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id: the service keeps only the workspace's companies.
        self.fields["access"].choices = [
            (value, value) for value in self.data.getlist("access") if value.isdigit()
        ]
