from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.l10n import shipped_name
from firms.models import Company, Country, Workspace
from firms.reference import rut_responsibility_choices


def _countries_field():
    return ArrayField(
        models.CharField(max_length=2, choices=Country.choices),
        verbose_name=_("country versions"),
        default=list,
        blank=True,
        help_text=_("Empty: every country version."),
    )


class Resource(models.Model):
    """An indicator: news, a guide, a webinar or a tool, for some country versions."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        GUIDE = "guide", _("Guide")
        WEBINAR = "webinar", _("Webinar")
        TOOL = "tool", _("Tool")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    url = models.URLField(_("link"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Plain text, shown when there is no link."))
    tool = models.CharField(
        _("built-in tool"),
        max_length=20,
        blank=True,
        choices=[("nit_dv", _("NIT check digit (DV) calculator"))],
        help_text=_("A tool of the portal that the indicator opens, instead of a link or a body."),
    )
    countries = _countries_field()
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["-pinned", "-published_on", "-id"]

    def __str__(self):
        return self.title


class ResourceRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="resource_read_unique")]

    def __str__(self):
        return f"{self.user_id} read {self.resource_id}"


class Benefit(models.Model):
    """A partner's benefit for the workspaces of some country versions and plans."""

    title = models.CharField(_("title"), max_length=200)
    partner = models.CharField(_("partner"), max_length=150)
    description = models.TextField(_("description"))
    how_to_redeem = models.TextField(_("how to redeem"))
    code = models.CharField(_("code"), max_length=100, blank=True)
    url = models.URLField(_("link"), blank=True)
    countries = _countries_field()
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    plans = ArrayField(
        models.CharField(max_length=10, choices=Workspace.Plan.choices),
        verbose_name=_("plans that get it"),
        default=list,
        help_text=_("Empty: every plan."),
        blank=True,
    )

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["valid_until", "title"]

    def __str__(self):
        return self.title


# The national obligations the product ships (migrations 0002 and 0003), with the Spanish names they are
# seeded with: their name in the reader's language. One renamed in the admin keeps the admin's name.
STANDARD_OBLIGATION_NAMES = {
    "Renta grandes contribuyentes: pago primera cuota": pgettext_lazy(
        "tax obligation", "Income tax, large taxpayers: first installment"
    ),
    "Renta grandes contribuyentes: declaración y pago segunda cuota": pgettext_lazy(
        "tax obligation", "Income tax, large taxpayers: return and second installment"
    ),
    "Renta grandes contribuyentes: pago tercera cuota": pgettext_lazy(
        "tax obligation", "Income tax, large taxpayers: third installment"
    ),
    "Renta personas jurídicas: declaración y pago primera cuota": pgettext_lazy(
        "tax obligation", "Income tax, legal entities: return and first installment"
    ),
    "Renta personas jurídicas: pago segunda cuota": pgettext_lazy(
        "tax obligation", "Income tax, legal entities: second installment"
    ),
    "Renta personas naturales: declaración y pago": pgettext_lazy(
        "tax obligation", "Income tax, individuals: return and payment"
    ),
    "IVA bimestral: declaración y pago": pgettext_lazy(
        "tax obligation", "VAT, bimonthly: return and payment"
    ),
    "IVA cuatrimestral: declaración y pago": pgettext_lazy(
        "tax obligation", "VAT, four-monthly: return and payment"
    ),
    "Retención en la fuente: declaración y pago mensual": pgettext_lazy(
        "tax obligation", "Withholding tax: monthly return and payment"
    ),
    "Régimen simple: anticipo bimestral": pgettext_lazy(
        "tax obligation", "Simple tax regime: bimonthly advance payment"
    ),
    "Régimen simple: declaración anual consolidada": pgettext_lazy(
        "tax obligation", "Simple tax regime: consolidated annual return"
    ),
    "Régimen simple: declaración anual de IVA": pgettext_lazy(
        "tax obligation", "Simple tax regime: annual VAT return"
    ),
}


class TaxObligation(models.Model):
    """Which national obligation applies to which company: the mapping from RUT responsibilities."""

    class Periodicity(models.TextChoices):
        ANY = "", _("Any")
        BIMONTHLY = "bimestral", _("Bimonthly")
        FOUR_MONTHLY = "cuatrimestral", _("Four-monthly")

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    requires = ArrayField(
        models.CharField(max_length=2, choices=rut_responsibility_choices()),
        verbose_name=_("requires all these RUT responsibilities"),
        default=list,
    )
    excludes = ArrayField(
        models.CharField(max_length=2, choices=rut_responsibility_choices()),
        verbose_name=_("does not apply with any of these"),
        default=list,
        blank=True,
    )
    person_type = models.CharField(
        _("only for"),
        max_length=10,
        choices=[("", _("Any person type"))] + Company.PersonType.choices,
        blank=True,
        default="",
    )
    iva_periodicity = models.CharField(
        _("only for companies that file IVA"),
        max_length=15,
        choices=Periodicity.choices,
        blank=True,
        default="",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tax obligation")
        verbose_name_plural = _("tax obligations")
        ordering = ["order", "code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (core.l10n.shipped_name)."""
        return shipped_name("tax_obligation", self.name)

    def applies_to(self, company: Company) -> bool:
        codes = set(company.tax_responsibilities)
        if not self.active or not set(self.requires) <= codes or codes & set(self.excludes):
            return False
        if self.person_type and self.person_type != company.person_type:
            return False
        return not self.iva_periodicity or self.iva_periodicity == company.iva_periodicity


class NonBusinessDay(models.Model):
    """A day the government declared non-business (e.g. a "día cívico"): due dates move past it."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("extra non-business day")
        verbose_name_plural = _("extra non-business days")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.name}"


class DueDateOverride(models.Model):
    """DIAN moved one due date: it replaces what the rules give."""

    obligation = models.CharField(_("obligation"), max_length=60)
    period = models.CharField(_("period"), max_length=20)
    nit_last_digits = models.CharField(_("NIT last digits"), max_length=5)
    due_date = models.DateField(_("due date"))
    note = models.CharField(_("note"), max_length=300)

    class Meta:
        verbose_name = _("due date override")
        verbose_name_plural = _("due date overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "period", "nit_last_digits"], name="due_date_override_unique"
            )
        ]

    def __str__(self):
        return f"{self.obligation} {self.period} {self.nit_last_digits}: {self.due_date}"


class ObligationFiling(models.Model):
    """The accountant marked a company's obligation of one period as filed."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="filings")
    obligation = models.CharField(max_length=60)
    period = models.CharField(max_length=20)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "obligation", "period"], name="obligation_filing_unique"
            )
        ]

    def __str__(self):
        return f"{self.company_id} {self.obligation} {self.period}"


class CalendarFeed(models.Model):
    """A user's private ICS feed: the URL's token is stored hashed and can be revoked or replaced."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"feed of {self.user_id}"


class DueDateReminder(models.Model):
    """A due date already e-mailed to a user: each due date is reminded once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    obligation = models.CharField(max_length=60)
    period = models.CharField(max_length=20)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company", "obligation", "period"], name="due_date_reminder_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.obligation} {self.period}"
