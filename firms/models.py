import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tenants.models import TenantMixin

from core.l10n import shipped_name
from core.money import SUMS, ZERO
from core.text import search_normalize

from .reference import ciiu_division_choices, rut_responsibility_choices, sector_choices
from .tax_ids import tax_id_format


class Country(models.TextChoices):
    CO = "CO", _("Colombia")
    MX = "MX", _("Mexico")
    CR = "CR", _("Costa Rica")
    DO = "DO", _("Dominican Republic")
    PE = "PE", _("Peru")
    PA = "PA", _("Panama")
    AR = "AR", _("Argentina")
    ES = "ES", _("Spain")
    CL = "CL", _("Chile")
    US = "US", _("United States")


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of `value` among `choices` (the value itself when it is not one of them)."""
    member = choices._value2member_map_.get(value)
    return str(member.label) if member is not None else str(value)


class Workspace(models.Model):
    """An accountant's practice (Espacio Contador)."""

    class Plan(models.TextChoices):
        TRIAL = "trial", _("Trial")
        PAID = "paid", _("Paid plan")
        CONSULTA = "consulta", _("Consulta plan (read only)")

    name = models.CharField(_("name"), max_length=150)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.CO)
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices, default=Plan.TRIAL)
    trial_ends_on = models.DateField(_("trial ends on"))
    paid_since = models.DateTimeField(_("paid since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def __str__(self):
        return self.name

    def current_plan(self, today: date | None = None) -> str:
        """The plan in force: a trial that has ended without a paid plan is the consulta plan."""
        today = today or timezone.localdate()
        if self.plan == self.Plan.TRIAL and today > self.trial_ends_on:
            return self.Plan.CONSULTA
        return self.plan

    @property
    def is_read_only(self) -> bool:
        return self.current_plan() == self.Plan.CONSULTA

    @property
    def trial_days_left(self) -> int:
        return max((self.trial_ends_on - timezone.localdate()).days, 0)


class WorkspaceMember(models.Model):
    """A person of the workspace's team ("Equipo") and their role in it."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")
        ACCOUNTANT = "accountant", _("Accountant")
        ASSISTANT = "assistant", _("Assistant")

    # Who sees every company of the workspace and manages the team; the others see their assignments.
    MANAGER_ROLES = (Role.OWNER, Role.ADMIN)
    # Roles the team page offers (the owner is the one who created the workspace).
    INVITABLE_ROLES = (Role.ADMIN, Role.ACCOUNTANT, Role.ASSISTANT)

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="members", verbose_name=_("workspace")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workspace_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ACCOUNTANT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("workspace member")
        verbose_name_plural = _("workspace members")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="workspace_member_unique"),
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(role="owner"), name="workspace_single_owner"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "admin", "accountant", "assistant"]),
                name="workspace_member_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.workspace}"

    @property
    def display_name(self) -> str:
        """The member's name, or their e-mail before they gave one."""
        return self.user.get_full_name() or self.user.email

    @property
    def is_manager(self) -> bool:
        """Owner or administrator: sees every company of the workspace and manages the team."""
        return self.role in self.MANAGER_ROLES

    @property
    def can_post(self) -> bool:
        """Auxiliares draft comprobantes; posting, annulling, locking and closing are for the others."""
        return self.role != self.Role.ASSISTANT


def access_search_text(name: str, tax_id: str, check_digit: str) -> str:
    """What the searches match: the name's words and the tax ID's digits ("pena hermanos sas 9001234568")."""
    return f"{search_normalize(name)} {tax_id}{check_digit}"[:260]


def new_schema_name() -> str:
    # Generated by the server, never from user input: "c_" + 16 hex digits.
    return f"c_{secrets.token_hex(8)}"


def new_slug(name: str) -> str:
    # Stable, URL-safe, no tax ID; the random suffix keeps it unique and unguessable.
    base = slugify(name)[:40].strip("-") or "empresa"
    return f"{base}-{secrets.token_hex(3)}"


class Company(TenantMixin):
    """A client company; its books live in its own PostgreSQL schema."""

    class Provisioning(models.TextChoices):
        PENDING = "pending", pgettext_lazy("books", "Waiting to be prepared")
        PROVISIONING = "provisioning", pgettext_lazy("books", "Being prepared")
        READY = "ready", pgettext_lazy("books", "Ready")
        FAILED = "failed", pgettext_lazy("books", "Preparation failed, retrying")

    # The schema is created by firms.services.company_provision, not on save.
    auto_create_schema = False
    auto_drop_schema = False

    class PersonType(models.TextChoices):
        JURIDICA = "juridica", _("Legal entity (persona jurídica)")
        NATURAL = "natural", _("Individual (persona natural)")

    class DocumentType(models.TextChoices):
        NIT = "nit", _("NIT")
        CC = "cc", _("Citizenship card (CC)")

    name = models.CharField(_("company name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, editable=False)
    # Colombia: a persona natural files as a person (renta personas naturales), by NIT or cédula.
    person_type = models.CharField(
        _("person type"), max_length=10, choices=PersonType.choices, default=PersonType.JURIDICA
    )
    document_type = models.CharField(
        _("document type"), max_length=3, choices=DocumentType.choices, default=DocumentType.NIT
    )
    given_names = models.CharField(_("given names"), max_length=100, blank=True)
    surnames = models.CharField(_("surnames"), max_length=100, blank=True)
    country = models.CharField(
        _("country version"), max_length=2, choices=Country.choices, default=Country.CO
    )
    tax_id = models.CharField(_("tax ID"), max_length=30)
    check_digit = models.CharField(_("check digit"), max_length=2, blank=True)
    sector = models.CharField(_("sector"), max_length=1, blank=True, choices=sector_choices())
    ciiu_division = models.CharField(
        _("CIIU division"), max_length=2, blank=True, choices=ciiu_division_choices()
    )
    tax_responsibilities = ArrayField(
        models.CharField(max_length=2, choices=rut_responsibility_choices()),
        verbose_name=_("tax responsibilities"),
        default=list,
        blank=True,
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    iva_periodicity = models.CharField(
        _("IVA periodicity"),
        max_length=15,
        choices=[("bimestral", _("Bimonthly")), ("cuatrimestral", _("Four-monthly"))],
        default="bimestral",
        help_text=_("Companies responsible for IVA (RUT 48) file it every two or every four months."),
    )
    provisioning_status = models.CharField(
        _("provisioning status"), max_length=12, choices=Provisioning.choices, default=Provisioning.PENDING
    )
    provisioning_error = models.TextField(_("provisioning error"), blank=True)
    provisioned_at = models.DateTimeField(_("provisioned at"), null=True, blank=True)
    search_text = models.CharField(max_length=260, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(fields=["country", "tax_id"], name="company_country_tax_id_unique"),
        ]
        indexes = [
            # Sort keys of the workspace list (see bench/run.py).
            models.Index(fields=["name", "id"], name="company_name_idx"),
            models.Index(fields=["tax_id", "id"], name="company_tax_id_idx"),
            models.Index(fields=["country", "name", "id"], name="company_country_name_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="company_search_trgm"),
            models.Index(fields=["provisioning_status", "id"], name="company_provisioning_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def formatted_tax_id(self) -> str:
        return tax_id_format(country=self.country, tax_id=self.tax_id, check_digit=self.check_digit)

    @property
    def is_ready(self) -> bool:
        return self.provisioning_status == self.Provisioning.READY

    @property
    def is_persona_natural(self) -> bool:
        return self.person_type == self.PersonType.NATURAL

    def fill_derived_fields(self) -> None:
        """Server-generated and denormalized fields; called by save() and before bulk_create()."""
        if not self.schema_name:
            self.schema_name = new_schema_name()
        if not self.slug:
            self.slug = new_slug(self.name)
        self.search_text = access_search_text(self.name, self.tax_id, self.check_digit)

    def clean(self):
        super().clean()
        if self.country != Country.CO and self.tax_responsibilities:
            raise ValidationError(
                {"tax_responsibilities": _("Tax responsibilities (RUT) apply only to Colombian companies.")}
            )

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("company:home", kwargs={"company_slug": self.slug})


class CompanyAccessQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # Rows saved in bulk show the same denormalized data as rows saved one by one.
        objs = list(objs)
        for access in objs:
            access.fill_derived_fields()
        return super().bulk_create(objs, *args, **kwargs)


class CompanyAccess(models.Model):
    """A workspace's access to a company (vínculo), and the workspace's row in its list of companies.

    A pending access is a link request ("Añadir cliente"): it names the company only as the accountant
    typed it (name, country, tax ID) and has no company, whether or not a company has that tax ID, so
    that nothing the workspace sees tells which tax IDs are registered. The company it matches, if any,
    is kept apart (matched_company) until an owner or admin accepts; then `company` is set and the row
    shows the company's own data. Name, country and tax ID are kept here for every row, so that the list
    searches, filters and sorts one table (copied from the company while there is one).
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("link", "Request sent")
        ACTIVE = "active", pgettext_lazy("link", "Active")
        DECLINED = "declined", pgettext_lazy("link", "Declined")
        REVOKED = "revoked", pgettext_lazy("link", "Revoked")
        WITHDRAWN = "withdrawn", pgettext_lazy("link", "Request withdrawn")

    class InvitationStatus(models.TextChoices):
        """The latest invitation of the access, as the workspace list shows it (kept by invitations)."""

        QUEUED = "queued", pgettext_lazy("invitation", "Pending sending")
        SENT = "sent", pgettext_lazy("invitation", "Sent")
        FAILED = "failed", pgettext_lazy("invitation", "Failed to send")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
        DECLINED = "declined", pgettext_lazy("invitation", "Declined")
        EXPIRED = "expired", pgettext_lazy("invitation", "Expired")
        REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")

    # Invitations still open, or expired: the accountant can send them again or revoke them.
    RESENDABLE = {
        InvitationStatus.QUEUED,
        InvitationStatus.SENT,
        InvitationStatus.FAILED,
        InvitationStatus.EXPIRED,
    }

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="accesses", verbose_name=_("workspace")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("company"),
    )
    # The workspace's view of the company: what it typed for a request, the company's data otherwise.
    name = models.CharField(_("company name"), max_length=200, blank=True)
    country = models.CharField(_("country version"), max_length=2, choices=Country.choices, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=30, blank=True)
    check_digit = models.CharField(_("check digit"), max_length=2, blank=True)
    search_text = models.CharField(max_length=260, editable=False, default="")
    # Never shown to the workspace: the company a pending request turned out to be for.
    matched_company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company the request matches"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # When the access first became active: a revoked access that never was active is no former client.
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    # When the accountant last sent the request or the invitation; "Send again" waits a while after it.
    requested_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    # A link request waiting for the worker that looks for the company (queued again by a beat job when
    # the broker was down); cleared by that worker.
    dispatch_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The latest invitation of this access, kept here by invitations for the workspace list.
    invitation_status = models.CharField(
        _("invitation"), max_length=10, choices=InvitationStatus.choices, blank=True, default=""
    )
    invitation_status_at = models.DateTimeField(_("invitation status since"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    objects = CompanyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("company access")
        verbose_name_plural = _("company accesses")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "company"], name="company_access_unique"),
            models.UniqueConstraint(
                fields=["workspace", "country", "tax_id"], name="company_access_tax_id_unique"
            ),
            # A request shows nothing of a company until the company accepts it.
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(company__isnull=True),
                name="company_access_pending_no_company",
            ),
        ]
        indexes = [
            models.Index(
                fields=["workspace", "status", "created_at", "id"], name="access_workspace_status_idx"
            ),
            models.Index(fields=["workspace", "created_at", "id"], name="access_workspace_created_idx"),
            models.Index(
                fields=["workspace", "invitation_status", "created_at", "id"], name="access_ws_invitation_idx"
            ),
            # Sort keys of the workspace list (see bench/run.py).
            models.Index(fields=["workspace", "name", "id"], name="access_ws_name_idx"),
            models.Index(fields=["workspace", "tax_id", "id"], name="access_ws_tax_id_idx"),
            models.Index(fields=["workspace", "country", "name", "id"], name="access_ws_country_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="access_search_trgm"),
        ]

    def __str__(self):
        return f"{self.workspace} → {self.name} ({self.status})"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.status == self.Status.PENDING and self.company_id:
            raise ValidationError(
                {
                    "status": _(
                        "A pending access is a link request: it gets its company when the company accepts."
                    )
                }
            )

    @property
    def formatted_tax_id(self) -> str:
        return tax_id_format(country=self.country, tax_id=self.tax_id, check_digit=self.check_digit)

    # Labels for long lists: get_FOO_display() hashes every lazy choice on each call (measured on the board).
    @property
    def status_label(self) -> str:
        return choice_label(self.Status, self.status)

    @property
    def country_label(self) -> str:
        return choice_label(Country, self.country)

    @property
    def invitation_label(self) -> str:
        return choice_label(self.InvitationStatus, self.invitation_status)

    @property
    def is_request(self) -> bool:
        """A link request still waiting for the company's answer."""
        return self.status == self.Status.PENDING

    @property
    def invitation_can_be_resent(self) -> bool:
        return self.is_request or self.invitation_status in self.RESENDABLE

    @property
    def invitation_can_be_revoked(self) -> bool:
        return self.is_request or self.invitation_can_be_resent

    @property
    def resend_available_at(self):
        """When "Send again" is allowed again: a link request INVITATION_RESEND_MINUTES after it was sent
        (the same whether or not a company has the NIT); an invitation INVITATION_RESEND_MINUTES after an
        e-mail went out, at once while nothing went out (pending sending or failing)."""
        nothing_went_out = (self.InvitationStatus.QUEUED, self.InvitationStatus.FAILED)
        if self.requested_at is None or (
            self.status != self.Status.PENDING and self.invitation_status in nothing_went_out
        ):
            return None
        return self.requested_at + timedelta(minutes=settings.INVITATION_RESEND_MINUTES)

    def declined_until(self, now: datetime | None = None) -> datetime | None:
        """While the company's decline stands (LINK_REQUEST_BLOCK_DAYS after it): when the workspace may ask
        again. None when it may ask now (not declined, or declined long enough ago)."""
        if self.status != self.Status.DECLINED:
            return None
        again = self.status_changed_at + timedelta(days=settings.LINK_REQUEST_BLOCK_DAYS)
        return again if again > (now or timezone.now()) else None

    @property
    def can_resend_now(self) -> bool:
        available = self.resend_available_at
        return self.invitation_can_be_resent and (available is None or available <= timezone.now())

    def fill_derived_fields(self) -> None:
        """The company's data while there is a company; called by save() and before bulk_create()."""
        if self.company is not None:
            self.name = self.company.name
            self.country = self.company.country
            self.tax_id = self.company.tax_id
            self.check_digit = self.company.check_digit
        self.search_text = access_search_text(self.name, self.tax_id, self.check_digit)


class CompanyMember(models.Model):
    """A client user's role in a company."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="members", verbose_name=_("company")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ADMIN)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("company member")
        verbose_name_plural = _("company members")
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="company_member_unique")]

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.role})"


class CompanyAssignment(models.Model):
    """A team member's work on one of the workspace's companies; at most one is the responsable."""

    access = models.ForeignKey(
        CompanyAccess, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("access")
    )
    member = models.ForeignKey(
        WorkspaceMember, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("member")
    )
    is_responsible = models.BooleanField(_("responsable"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["access", "member"], name="assignment_unique"),
            models.UniqueConstraint(
                fields=["access"], condition=Q(is_responsible=True), name="assignment_single_responsible"
            ),
        ]
        # A member's companies (the access check of contadores and auxiliares) start from the member.
        indexes = [models.Index(fields=["member", "access"], name="assignment_member_idx")]

    def __str__(self):
        return f"{self.member} → {self.access}"


# The board's sums of a company's balances: as wide as the books' own sums (core.money.SUMS), so that no
# figure the books can hold overflows a snapshot.
MONEY_FIELD = {**SUMS, "default": ZERO, "db_default": ZERO}


class CompanySnapshot(models.Model):
    """The portfolio board's figures of one company, kept in the public schema so that the board of 2,000
    companies reads one table instead of 2,000 schemas. Written by firms.services.snapshots from what the apps
    that own the figures contribute (books: the ledger; indicators: the tax calendar)."""

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="snapshot",
        verbose_name=_("company"),
    )
    last_entry_date = models.DateField(_("last comprobante"), null=True, blank=True)
    last_entry_label = models.CharField(max_length=30, blank=True, default="", db_default="")
    last_entry_by = models.CharField(_("posted by"), max_length=150, blank=True, default="", db_default="")
    drafts = models.IntegerField(_("drafts"), default=0, db_default=0)
    oldest_draft_at = models.DateTimeField(_("oldest draft"), null=True, blank=True)
    locked_until = models.DateField(_("locked up to"), null=True, blank=True)
    # Balances, positive on the side of their nature: banks and receivables debit, payables credit.
    banks = models.DecimalField(_("banks"), **MONEY_FIELD)
    receivables = models.DecimalField(_("receivables"), **MONEY_FIELD)
    payables = models.DecimalField(_("suppliers"), **MONEY_FIELD)
    taxes_payable = models.DecimalField(_("taxes payable"), **MONEY_FIELD)
    result = models.DecimalField(_("result of the year"), **MONEY_FIELD)
    result_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Accounts of banks, receivables, inventory, suppliers and taxes whose balance is against their nature.
    against_nature = models.CharField(max_length=200, blank=True, default="", db_default="")
    against_nature_count = models.IntegerField(default=0, db_default=0)
    # Terceros whose receivables (group 13) are on the credit side, whatever the group's total: their names.
    negative_receivables = models.CharField(max_length=300, blank=True, default="", db_default="")
    negative_receivables_count = models.IntegerField(default=0, db_default=0)
    next_due_date = models.DateField(_("next DIAN due date"), null=True, blank=True)
    next_due_obligation = models.CharField(max_length=200, blank=True, default="", db_default="")
    next_due_period = models.CharField(max_length=20, blank=True, default="", db_default="")
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    # Set when a change queued a refresh, cleared when the refresh starts: many postings queue one.
    refresh_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("company snapshot")
        verbose_name_plural = _("company snapshots")
        indexes = [
            models.Index(
                fields=["refresh_queued_at"],
                condition=Q(refresh_queued_at__isnull=False),
                name="snapshot_queued_idx",
            )
        ]

    def __str__(self):
        return f"{self.company_id} @ {self.refreshed_at}"

    @property
    def next_due_obligation_name(self) -> str:
        """The obligation in the reader's language (the tax calendar registers its names in core.l10n)."""
        return shipped_name("tax_obligation", self.next_due_obligation)


class Notice(models.Model):
    """An in-app notice for one accountant of a workspace: a client answered a request or ended an access.

    The text is written when shown, in the reader's language, from the kind and the names kept here.
    """

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("Request accepted")
        DECLINED = "declined", _("Request declined")
        REVOKED = "revoked", _("Access revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("user")
    )
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="notices", verbose_name=_("workspace")
    )
    access = models.ForeignKey(
        CompanyAccess,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("company access"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    company_name = models.CharField(_("company name"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The notice whose user also gets the e-mail, and that e-mail in the outbox (its status says if it went).
    email_wanted = models.BooleanField(default=False)
    email = models.ForeignKey(
        "core.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "workspace", "created_at", "id"], name="notice_user_idx"),
            models.Index(
                fields=["user", "workspace"], condition=Q(read_at__isnull=True), name="notice_unread_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.company_name}"


class SchemaTemplate(models.Model):
    """The SQL the tenant migrations ran on a template schema, replayed to provision each new company.

    One per migration state (key): a new migration makes a new template on the next provisioning.
    The template schema also holds the seeded rows that new companies copy.
    """

    key = models.CharField(max_length=64, unique=True)
    schema_name = models.CharField(max_length=63, unique=True)
    statements = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("schema template")
        verbose_name_plural = _("schema templates")

    def __str__(self):
        return self.schema_name


class AuditEvent(models.Model):
    """One append-only record of who did what, where and when (PostgreSQL refuses UPDATE and DELETE).

    Workspace, company and actor are kept as plain ids (no database constraint) and as names, so that an
    event outlives what it speaks about and deleting a company never has to touch the log.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254, blank=True)
    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workspace"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    # The summary's and the object's English text and parameters (firms.services.audit.AuditText), written
    # again in the reader's language when shown; `summary` and `object_label` keep them in the product's
    # language (and are all that older events have).
    texts = models.JSONField(_("texts to translate"), null=True, blank=True, editable=False)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-at"], name="audit_workspace_at"),
            models.Index(fields=["company", "-at"], name="audit_company_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or '-'} {self.action} {self.object_label}"

    @property
    def action_label(self) -> str:
        from .services.audit import action_label

        return action_label(self.action)

    @property
    def display_summary(self) -> str:
        """The summary in the reader's language (older events: as it was stored)."""
        return self._display("summary") or self.summary

    @property
    def display_object_label(self) -> str:
        return self._display("object") or self.object_label

    def _display(self, part: str) -> str:
        from .services.audit import text_render

        return text_render((self.texts or {}).get(part))
