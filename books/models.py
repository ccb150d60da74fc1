"""A company's books, in the company's own schema: chart, terceros, cost centres, comprobantes, balances.

Rules that must never break are enforced by PostgreSQL itself (books/sql/ledger.sql): a comprobante is
posted only balanced, on movement accounts, after the lock date; posted lines and headers never change
(annulment is the one allowed change); the balances follow every posting and annulment in the same
transaction.
"""

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.money import MONEY, SUMS, ZERO
from core.work import BackgroundWork

# The largest amount of one line; the database checks it too (entry_line_amount_bound). Sums of lines are
# as wide as core.money.SUMS, which no sum of such lines overflows.
MAX_AMOUNT = Decimal("999999999999999.99")
# Comprobante numbers (a type's consecutive is at most one more); the database checks them too.
MAX_NUMBER = 999_999_999
# The dates the database takes for comprobantes, whatever the settings (which may narrow them:
# books.services.common.entry_dates).
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)


class Nature(models.TextChoices):
    DEBIT = "D", _("Debit")
    CREDIT = "C", _("Credit")


class Account(models.Model):
    """One account of the company's chart of accounts (PUC in Colombia)."""

    class Level(models.TextChoices):
        CLASS = "clase", _("Class")
        GROUP = "grupo", _("Group")
        ACCOUNT = "cuenta", _("Account")
        SUBACCOUNT = "subcuenta", _("Sub-account")
        AUXILIARY = "auxiliar", _("Auxiliary")

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    nature = models.CharField(_("nature"), max_length=1, choices=Nature.choices, default=Nature.DEBIT)
    is_active = models.BooleanField(_("active"), default=True)
    requires_third_party = models.BooleanField(_("requires a tercero"), default=False)
    requires_cost_center = models.BooleanField(_("requires a cost center"), default=False)
    search_text = models.CharField(max_length=230, editable=False, default="")
    is_custom = models.BooleanField(_("added by the company"), default=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="account_parent_code_idx")]
        constraints = [
            # PUC structure: 1 digit (class), 2 (group), 4 (account), 6 (sub-account), 8 or more in pairs.
            models.CheckConstraint(
                condition=Q(code__regex=r"^([0-9]|([0-9]{2})+)$")
                & (Q(parent__isnull=True, code__regex=r"^[0-9]$") | Q(parent__isnull=False)),
                name="account_code_puc_structure",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class ThirdParty(models.Model):
    """A tercero: a person or company the books deal with."""

    class PersonType(models.TextChoices):
        NATURAL = "natural", _("Natural person")
        LEGAL = "juridica", _("Legal entity")

    class DocumentType(models.TextChoices):
        NIT = "nit", _("NIT")
        CC = "cc", _("Cédula de ciudadanía")
        CE = "ce", _("Cédula de extranjería")
        PASSPORT = "pasaporte", _("Passport")
        FOREIGN_NIT = "nit_ext", _("Foreign tax ID")

    person_type = models.CharField(_("person type"), max_length=10, choices=PersonType.choices)
    document_type = models.CharField(_("document type"), max_length=10, choices=DocumentType.choices)
    number = models.CharField(_("document number"), max_length=20)
    check_digit = models.CharField(_("check digit"), max_length=1, blank=True)
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    first_names = models.CharField(_("first names"), max_length=100, blank=True)
    last_names = models.CharField(_("last names"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.CharField(max_length=330, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("tercero")
        verbose_name_plural = _("terceros")
        constraints = [
            models.UniqueConstraint(fields=["document_type", "number"], name="third_party_document_unique"),
            models.CheckConstraint(
                condition=~Q(business_name="") | ~Q(first_names="") | ~Q(last_names=""),
                name="third_party_has_a_name",
            ),
        ]
        indexes = [
            models.Index(fields=["number"], name="third_party_number_idx"),
            models.Index(
                fields=["business_name", "last_names", "first_names", "id"], name="third_party_name_idx"
            ),
        ]

    def __str__(self):
        return f"{self.display_number} {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.business_name:
            return self.business_name
        return " ".join(part for part in (self.first_names, self.last_names) if part)

    @property
    def display_number(self) -> str:
        return f"{self.number}-{self.check_digit}" if self.check_digit else self.number


class CostCenter(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cost center")
        verbose_name_plural = _("cost centers")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


# The standard types every company starts with, seeded with their Spanish names (migrations/0005): code →
# (the seeded name, the name shown in the reader's language).
STANDARD_VOUCHER_TYPES = {
    "SI": ("Saldos iniciales", pgettext_lazy("voucher type", "Opening balances")),
    "CC": ("Comprobante contable", pgettext_lazy("voucher type", "Journal voucher")),
    "FV": ("Factura de venta", pgettext_lazy("voucher type", "Sales invoice")),
    "FC": ("Factura de compra", pgettext_lazy("voucher type", "Purchase invoice")),
    "RC": ("Recibo de caja", pgettext_lazy("voucher type", "Cash receipt")),
    "CE": ("Comprobante de egreso", pgettext_lazy("voucher type", "Payment voucher")),
    "NC": ("Nota crédito", pgettext_lazy("voucher type", "Credit note")),
    "ND": ("Nota débito", pgettext_lazy("voucher type", "Debit note")),
    "CI": ("Cierre", pgettext_lazy("voucher type", "Year-end closing")),
}


def voucher_type_name(code: str, name: str) -> str:
    """A type's name for the reader: a standard type's name in their language, unless the company renamed
    it; a company's own type as it was typed."""
    standard = STANDARD_VOUCHER_TYPES.get(code)
    return str(standard[1]) if standard is not None and standard[0] == name else name


class VoucherType(models.Model):
    """A kind of comprobante with its own consecutive: SI, CC, FV, FC, RC, CE, NC, ND, CI or the company's."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    is_system = models.BooleanField(_("standard type"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("voucher type")
        verbose_name_plural = _("voucher types")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_number__gte=1, next_number__lte=MAX_NUMBER + 1),
                name="voucher_type_next_number_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return voucher_type_name(self.code, self.name) if self.is_system else self.name


class Entry(models.Model):
    """A comprobante: draft (editable, no number yet) → posted (numbered, never changes) → annulled."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")
        ANNULLED = "annulled", _("Annulled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported")
        OPENING = "opening", _("Opening balances")
        CLOSING = "closing", _("Year-end closing")
        REVERSAL = "reversal", _("Reversal")

    voucher_type = models.ForeignKey(
        VoucherType, on_delete=models.PROTECT, related_name="entries", verbose_name=_("voucher type")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    total = models.DecimalField(_("total"), **SUMS, default=ZERO)
    # People live in the public schema: their id and name as they were, no foreign key across schemas.
    prepared_by_id = models.BigIntegerField(null=True, blank=True)
    prepared_by_name = models.CharField(_("prepared by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    posted_by_id = models.BigIntegerField(null=True, blank=True)
    posted_by_name = models.CharField(_("posted by"), max_length=150, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    annulled_by_id = models.BigIntegerField(null=True, blank=True)
    annulled_by_name = models.CharField(_("annulled by"), max_length=150, blank=True)
    annulled_at = models.DateTimeField(_("annulled at"), null=True, blank=True)
    annul_reason = models.CharField(_("reason for annulling"), max_length=300, blank=True)
    reversal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("reverses"),
    )

    class Meta:
        verbose_name = _("comprobante")
        verbose_name_plural = _("comprobantes")
        constraints = [
            models.UniqueConstraint(fields=["voucher_type", "number"], name="entry_type_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False), name="entry_posted_has_number"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=MAX_NUMBER),
                name="entry_number_range",
            ),
            models.CheckConstraint(
                condition=Q(date__gte=FIRST_DAY, date__lte=LAST_DAY), name="entry_date_window"
            ),
            # One year-end closing a year (PostgreSQL keeps it when two "Cerrar año" meet).
            models.UniqueConstraint(
                ExtractYear("date"),
                condition=Q(source="closing", status="posted"),
                name="entry_one_closing_a_year",
            ),
            # One reversal in effect per comprobante.
            models.UniqueConstraint(
                fields=["reversal_of"], condition=Q(status="posted"), name="entry_one_posted_reversal"
            ),
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="entry_date_idx"),
            models.Index(fields=["status", "date"], name="entry_status_date_idx"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        number = self.number if self.number is not None else _("draft")
        return f"{self.voucher_type.code}-{number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class EntryLine(models.Model):
    """One line of a comprobante: exactly one positive side, at most 2 decimals (NUMERIC(18,2))."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="lines", verbose_name=_("comprobante")
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    # The entry's date, kept on the line for the ledger reports (the database checks it matches).
    date = models.DateField(_("date"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", verbose_name=_("account")
    )
    third_party = models.ForeignKey(
        ThirdParty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("tercero"),
    )
    cost_center = models.ForeignKey(
        CostCenter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("cost center"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    debit = models.DecimalField(_("debit"), **MONEY, default=ZERO)
    credit = models.DecimalField(_("credit"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("comprobante line")
        verbose_name_plural = _("comprobante lines")
        ordering = ["entry", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line_no"], name="entry_line_number_unique"),
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="entry_line_one_positive_side",
            ),
            models.CheckConstraint(
                condition=Q(debit__lte=MAX_AMOUNT, credit__lte=MAX_AMOUNT), name="entry_line_amount_bound"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=FIRST_DAY, date__lte=LAST_DAY), name="entry_line_date_window"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "date", "entry"], name="line_account_date_idx"),
            models.Index(fields=["third_party", "date"], name="line_third_party_date_idx"),
            models.Index(fields=["cost_center", "date"], name="line_cost_center_date_idx"),
            models.Index(fields=["date"], name="line_date_idx"),  # the days a report's period cuts a month
        ]

    def __str__(self):
        return f"{self.account_id} D {self.debit} C {self.credit}"


class Balance(models.Model):
    """Debits and credits per account × tercero × cost center × month, kept by the database on posting and
    annulment (books/sql/ledger.sql); checked every night against the lines."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    third_party = models.ForeignKey(ThirdParty, on_delete=models.PROTECT, null=True, related_name="+")
    cost_center = models.ForeignKey(CostCenter, on_delete=models.PROTECT, null=True, related_name="+")
    period = models.DateField()  # the first day of the month
    debit = models.DecimalField(**SUMS, default=ZERO)
    credit = models.DecimalField(**SUMS, default=ZERO)

    class Meta:
        verbose_name = _("balance")
        verbose_name_plural = _("balances")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "third_party", "cost_center", "period"],
                name="balance_key_unique",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["period", "account"], name="balance_period_account_idx")]

    def __str__(self):
        return f"{self.account_id} {self.period:%Y-%m}"


class AccountBalance(models.Model):
    """Debits and credits per account × month, kept with Balance by the same trigger: the trial balance
    without a tercero or cost center reads this small table (accounts × months) instead of Balance."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    debit = models.DecimalField(**SUMS, default=ZERO)
    credit = models.DecimalField(**SUMS, default=ZERO)

    class Meta:
        verbose_name = _("account balance")
        verbose_name_plural = _("account balances")
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="account_balance_key_unique")
        ]
        indexes = [models.Index(fields=["period", "account"], name="account_balance_period_idx")]

    def __str__(self):
        return f"{self.account_id} {self.period:%Y-%m}"


class AccountDayBalance(models.Model):
    """Debits, credits and the number of posted lines per account × day, kept by the same trigger: the trial
    balance reads it for the days of the months a period's edges cut, instead of the lines of those days,
    and the libro auxiliar of an account counts its lines here."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    debit = models.DecimalField(**SUMS, default=ZERO)
    credit = models.DecimalField(**SUMS, default=ZERO)
    lines = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("account day balance")
        verbose_name_plural = _("account day balances")
        # (day, account): the one index serves both the trigger's upsert and the reports' day ranges.
        constraints = [
            models.UniqueConstraint(fields=["day", "account"], name="account_day_balance_key_unique")
        ]

    def __str__(self):
        return f"{self.account_id} {self.day:%Y-%m-%d}"


class BooksSettings(models.Model):
    """The company's one row of book settings: the lock date ("bloquear hasta") and who signs the financial
    statements."""

    lock_date = models.DateField(_("locked up to"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    accountant_name = models.CharField(_("public accountant"), max_length=150, blank=True)
    accountant_card = models.CharField(_("professional card (T.P.)"), max_length=30, blank=True)
    auditor_name = models.CharField(
        _("statutory auditor (revisor fiscal)"),
        max_length=150,
        blank=True,
        help_text=_("Only when the company has one."),
    )
    auditor_card = models.CharField(_("auditor's professional card (T.P.)"), max_length=30, blank=True)
    singleton = models.BooleanField(default=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("books settings")
        verbose_name_plural = _("books settings")
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="books_settings_singleton")]

    def __str__(self):
        return f"lock {self.lock_date}"


class PeriodEvent(models.Model):
    """The record of every lock, unlock, closing and reopening (append-only, like the lines). A closing
    keeps the lock date it found, which annulling the closing restores."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        CLOSE = "close", _("Year closed")
        REOPEN = "reopen", _("Year reopened")

    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    lock_date_before = models.DateField(_("locked up to, before"), null=True, blank=True)
    lock_date_after = models.DateField(_("locked up to, after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The closing comprobante a closing or reopening is about.
    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comprobante"),
    )
    by_id = models.BigIntegerField(null=True, blank=True)
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.at:%Y-%m-%d}"


class BalanceCheck(models.Model):
    """One run of the nightly check of the balances against the lines."""

    ran_at = models.DateTimeField(default=timezone.now)
    differences = models.JSONField(default=list)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self):
        return f"check {self.ran_at:%Y-%m-%d %H:%M}"


class JournalImport(BackgroundWork):
    """One uploaded file of comprobantes: previewed, then posted by a Celery job with progress (core.work:
    each chunk is a sign of life; a job queued or running without one is queued again)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Posting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_by_name = models.CharField(_("uploaded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # How many times a stalled job was queued again.
    resumed_count = models.PositiveIntegerField(default=0)
    total_entries = models.PositiveIntegerField(default=0)
    total_lines = models.PositiveIntegerField(default=0)
    to_post = models.PositiveIntegerField(default=0)
    posted_count = models.PositiveIntegerField(default=0)
    posted_lines = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # Terceros ([number, check digit, name]) and cost center codes the file uses that do not exist yet.
    new_third_parties = models.JSONField(default=list)
    new_cost_centers = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("comprobante import")
        verbose_name_plural = _("comprobante imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def processed(self) -> int:
        return self.posted_count + self.skipped_count + self.error_count

    @property
    def progress_percent(self) -> int:
        total = self.total_entries
        return 100 if not total else min(100, round(100 * self.processed / total))


class JournalImportEntry(models.Model):
    """One comprobante of an import file: the rows it came from, what the preview found, what happened."""

    class Plan(models.TextChoices):
        POST = "post", _("To post")
        SKIP = "skip", _("Already posted")
        ERROR = "error", _("Refused")

    class Outcome(models.TextChoices):
        POSTED = "posted", _("Posted")
        SKIPPED = "skipped", _("Already posted")
        FAILED = "failed", _("Refused")

    job = models.ForeignKey(JournalImport, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    voucher_code = models.CharField(max_length=20)
    number = models.PositiveIntegerField(null=True)
    day = models.DateField(null=True)
    description = models.CharField(max_length=300, blank=True)
    rows = models.JSONField(default=list)  # the file's row numbers
    # [account, tercero number, cost center code, description, debit, credit] per line
    lines = models.JSONField(default=list)
    plan = models.CharField(max_length=10, choices=Plan.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    messages = models.JSONField(default=list)
    entry_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["job", "outcome", "position"], name="journal_entry_todo_idx")]

    def __str__(self):
        return f"{self.voucher_code}-{self.number}"


class ReportExport(BackgroundWork):
    """A large report written to a file by a Celery job, with its progress; the file is kept here. Rows
    written are its signs of life (core.work): without one for a while, its page queues it again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=20)
    fmt = models.CharField(max_length=4)
    params = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, editable=False)
    error = models.TextField(blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    # The language of whoever asked: the worker writes the file in it (words, dates, CSV separators).
    language = models.CharField(max_length=10, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind}.{self.fmt}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        return (
            100
            if self.status == self.Status.DONE
            else min(99, round(100 * self.done_rows / max(self.total_rows, 1)))
        )
