"""Bulk registration of companies: preview every row, then create them in a job safe to run twice."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.tables import Row, Table
from core.text import search_normalize
from core.work import queue, requeue_stalled, work_started
from firms.models import Company, CompanyAccess, Country, Workspace
from firms.services.accesses import AccessAlreadyActive, AccessAlreadyRequested
from firms.services.audit import AuditText, audit_record
from firms.services.common import DomainError
from firms.services.companies import companies_create, company_new
from firms.tax_ids import TaxId, tax_id_parse
from invitations.services.create import client_link_request, company_owner_invite

from .models import ImportJob, ImportRow
from .parsing import parse_spreadsheet

Plan = ImportRow.Plan
Outcome = ImportRow.Outcome
CHUNK = 50
EMAIL_MAX_LENGTH = ImportRow._meta.get_field("email").max_length
# Other ways accountants write the supported countries: the ISO 3-letter code and usual names. Names
# are compared without accents, case, spaces or punctuation; codes and English and Spanish names count.
COUNTRY_ALIASES = {
    "CO": ["COL", "Colombia"],
    "MX": ["MEX", "México", "Méjico", "Estados Unidos Mexicanos"],
    "CR": ["CRI", "Costa Rica"],
    "DO": ["DOM", "República Dominicana", "Rep. Dominicana", "Dominicana"],
    "PE": ["PER", "Perú"],
    "PA": ["PAN", "Panamá"],
    "AR": ["ARG", "Argentina"],
    "ES": ["ESP", "España"],
    "CL": ["CHL", "Chile"],
    "US": ["USA", "Estados Unidos", "Estados Unidos de América", "EE. UU.", "EEUU"],
}


def _country_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", search_normalize(text))


@cache
def _country_codes() -> dict[str, str]:
    codes = {}
    for code, label in Country.choices:
        for name in [code, *COUNTRY_ALIASES.get(code, [])]:
            codes[_country_key(name)] = code
        for language in ("en", "es"):
            with translation.override(language):
                codes[_country_key(str(label))] = code
    return codes


def country_from_text(text: str) -> str | None:
    """The country version a spreadsheet's "País" cell names ("Perú", "peru", "PE"), or None."""
    return _country_codes().get(_country_key(text))


# Preview ----------------------------------------------------------------------------------------


def import_preview(
    *, workspace: Workspace, user: User, file_name: str, data: bytes, sheet_name: str = ""
) -> ImportJob:
    """Read and check every row; nothing is written to companies. Raises core.tables.FileProblem."""
    spreadsheet = parse_spreadsheet(file_name=file_name, data=data, sheet_name=sheet_name)
    rows = _plan_rows(workspace, spreadsheet)
    with transaction.atomic():
        job = ImportJob.objects.create(
            workspace=workspace,
            created_by=user,
            file_name=file_name[:255],
            total_rows=len(rows),
            rows_to_process=sum(1 for row in rows if row.plan not in (Plan.ERROR, Plan.SKIP)),
        )
        for row in rows:
            row.job = job
        ImportRow.objects.bulk_create(rows, batch_size=1000)
    return job


def _plan_rows(workspace: Workspace, spreadsheet: Table) -> list[ImportRow]:
    rows = [_check_row(workspace, spreadsheet.columns, raw) for raw in spreadsheet.rows]
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.plan == Plan.ERROR:
            continue
        key = (row.country, row.tax_id)
        if key in seen:
            _error(
                row,
                spreadsheet.columns["tax_id"],
                _("the same tax ID is already in row %(row)s") % {"row": seen[key]},
            )
        else:
            seen[key] = row.row_number
    # Only the workspace's own rows are read: the preview is the same whether or not a company has a
    # tax ID (the difference shows after confirming, when the owners are asked).
    earlier = {
        (access.country, access.tax_id): access
        for access in CompanyAccess.objects.filter(
            workspace=workspace, tax_id__in={tax_id for _country, tax_id in seen}
        ).only("country", "tax_id", "status", "status_changed_at")
    }
    for row in rows:
        if row.plan == Plan.ERROR:
            continue
        access = earlier.get((row.country, row.tax_id))
        again = access.declined_until() if access else None
        if access and access.status == CompanyAccess.Status.ACTIVE:
            row.plan, row.detail = Plan.SKIP, _("already linked to your workspace")
        elif again is not None:
            row.plan, row.detail = (
                Plan.SKIP,
                _("the company declined your request on %(date)s; you can ask again from %(again)s")
                % {
                    "date": date_format(timezone.localtime(access.status_changed_at).date()),
                    "again": date_format(timezone.localtime(again).date()),
                },
            )
        else:
            row.plan, row.detail = Plan.ADD, _("will be added to your Espacio Contador")
    return rows


def _existing_companies(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Company]:
    keys = set(keys)
    tax_ids = {tax_id for _country, tax_id in keys}
    found = Company.objects.filter(tax_id__in=tax_ids).only("pk", "country", "tax_id")
    return {(c.country, c.tax_id): c for c in found if (c.country, c.tax_id) in keys}


def _error(row: ImportRow, column: str, problem: str) -> None:
    row.plan = Plan.ERROR
    row.messages.append(
        _("Row %(row)s, column “%(column)s”: %(problem)s")
        % {"row": row.row_number, "column": column, "problem": problem}
    )


def _check_row(workspace: Workspace, columns: dict[str, str], raw: Row) -> ImportRow:
    values = raw.values
    row = ImportRow(
        row_number=raw.number,
        name=values.get("name", "")[:300],
        tax_id_raw=values.get("tax_id", "")[:100],
        phone_raw=values.get("phone", "")[:100],
        email_raw=values.get("email", "")[:300],
        plan=Plan.CREATE,
        messages=[],
    )
    if not row.name:
        _error(row, columns["name"], _("the company name is missing"))
    elif len(row.name) > 200:
        _error(row, columns["name"], _("the name is longer than 200 characters"))
    country_text = values.get("country", "")
    country = country_from_text(country_text) if country_text else workspace.country
    if country is None:
        supported = sorted(str(label) for label in Country.labels)
        _error(
            row,
            columns["country"],
            _("“%(value)s” is not a country version of the product; the supported ones are: %(countries)s")
            % {"value": country_text[:100], "countries": ", ".join(supported)},
        )
        return row
    row.country = country
    if not row.tax_id_raw:
        _error(row, columns["tax_id"], _("the tax ID is missing"))
    else:
        try:
            parsed = tax_id_parse(country=row.country, raw=row.tax_id_raw)
        except ValidationError as error:
            _error(row, columns["tax_id"], error.messages[0])
        else:
            row.tax_id, row.check_digit = parsed.tax_id, parsed.check_digit
    if row.email_raw:
        try:
            if len(row.email_raw) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
            validate_email(row.email_raw)
            row.email = User.objects.normalize_email(row.email_raw).lower()
        except ValidationError:
            _error(
                row,
                columns["email"],
                _("“%(value)s” is not a valid e-mail address") % {"value": row.email_raw},
            )
    if row.phone_raw:
        row.phone = _mobile_phone(row, columns["phone"])
    return row


def _mobile_phone(row: ImportRow, column: str) -> str:
    try:
        number = phonenumbers.parse(row.phone_raw, row.country)
    except phonenumbers.NumberParseException:
        number = None
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in mobile
    ):
        _error(
            row,
            column,
            _("“%(value)s” is not a valid mobile number for %(country)s")
            % {"value": row.phone_raw, "country": Country(row.country).label},
        )
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Confirm and process ----------------------------------------------------------------------------


def import_confirm(*, job: ImportJob) -> ImportJob:
    """The accountant confirms the preview: the rows without errors are processed by a Celery job."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.PREVIEW:
            return job
        job.status = ImportJob.Status.QUEUED
        job.confirmed_at = timezone.now()
        job.save(update_fields=["status", "confirmed_at"])
        _audit_job("import.confirmed", job)
        from .tasks import import_job_task

        # If the broker is down the job waits as queued, and import_jobs_resume queues it again.
        queue(job, import_job_task)
    return job


def _audit_job(action: str, job: ImportJob, summary: "str | AuditText" = "", actor=None) -> None:
    """One event per job and step; each company it creates or asks for has its own event too."""
    audit_record(
        action=action,
        actor=actor,
        workspace=job.workspace_id,
        target=job,
        object_label=job.file_name,
        summary=summary or AuditText(gettext_noop("%(rows)s rows to process"), rows=job.rows_to_process),
    )


def import_resume(*, job: ImportJob) -> bool:
    """Queue again a job queued or running without news for WORK_STALLED_AFTER (no worker took it,
    or its worker died): the rows done stay done. False if the job is not stalled or the broker is down.
    """
    return _requeue(ImportJob.stalled().filter(pk=job.pk)) == 1


def import_jobs_resume() -> int:
    """Beat: resume the stalled jobs (see import_resume). Returns how many were queued."""
    return _requeue(ImportJob.stalled())


def _requeue(stalled) -> int:
    from .tasks import import_job_task

    return requeue_stalled(stalled, import_job_task, resumed_count=F("resumed_count") + 1)


def import_run_now(*, job: ImportJob) -> ImportJob:
    """Confirm and process in this process (the command line), without a Celery worker."""
    with transaction.atomic():
        if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
            status=ImportJob.Status.QUEUED, confirmed_at=timezone.now()
        ):
            _audit_job("import.confirmed", job, actor=job.created_by)
    return import_process(job_id=job.pk)


def import_fail(*, job_id: int, error: str) -> None:
    """The job gave up after its retries: the page stops waiting and says so; processed rows stay done."""
    with transaction.atomic():
        job = ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).first()
        if job is not None:
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
            )
            _audit_job("import.failed", job, summary=error[:200], actor=job.created_by)


def import_process(*, job_id: int) -> ImportJob:
    """Process the confirmed rows in chunks; safe to run twice, or again after a worker died.

    Each chunk commits its rows' companies together with the rows' outcomes, so re-delivered work
    finds those rows done; a company is keyed by (country, tax ID), so nothing is created twice.
    """
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    ImportJob.objects.filter(pk=job_id).update(**work_started())  # a worker has it
    job = ImportJob.objects.select_related("workspace", "created_by").get(pk=job_id)
    while _process_chunk(job):
        pass
    pending = ImportRow.objects.filter(job=job, outcome="").exclude(plan__in=[Plan.ERROR, Plan.SKIP])
    if not pending.exists():
        with transaction.atomic():
            if (
                ImportJob.objects.filter(pk=job_id)
                .exclude(status=ImportJob.Status.DONE)
                .update(status=ImportJob.Status.DONE, finished_at=timezone.now())
            ):
                job = ImportJob.objects.get(pk=job_id)
                done = import_summary(job)
                summary = gettext_noop(
                    "%(created)s created, %(linked)s asked, %(skipped)s skipped, %(errors)s errors"
                )
                _audit_job(
                    "import.finished", job, summary=AuditText(summary, **vars(done)), actor=job.created_by
                )
    return ImportJob.objects.get(pk=job_id)


def _process_chunk(job: ImportJob) -> bool:
    with transaction.atomic():
        rows = list(
            ImportRow.objects.select_for_update(skip_locked=True)
            .filter(job=job, outcome="")
            .exclude(plan__in=[Plan.ERROR, Plan.SKIP])
            .order_by("row_number")[:CHUNK]
        )
        if not rows:
            return False
        created = _create_new_companies(job, rows)
        for row in rows:
            if row not in created:
                _process_row(job, row)
        ImportRow.objects.bulk_update(rows, ["outcome", "detail", "company"])
        counts = {outcome: sum(1 for row in rows if row.outcome == outcome) for outcome in Outcome.values}
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=F("processed_rows") + len(rows),
            created_count=F("created_count") + counts[Outcome.CREATED],
            linked_count=F("linked_count") + counts[Outcome.LINKED],
            skipped_count=F("skipped_count") + counts[Outcome.SKIPPED],
            failed_count=F("failed_count") + counts[Outcome.FAILED],
            progress_at=timezone.now(),
        )
    return True


def _create_new_companies(job: ImportJob, rows: list[ImportRow]) -> list[ImportRow]:
    """The chunk's new companies in one go; on a race (a tax ID created meanwhile) the rows go one by one."""
    creating = [row for row in rows if row.plan in (Plan.ADD, Plan.CREATE)]
    existing = set(_existing_companies((row.country, row.tax_id) for row in creating))
    creating = [row for row in creating if (row.country, row.tax_id) not in existing]
    if not creating:
        return []
    try:
        with transaction.atomic():
            _create(job, creating)
    except DomainError:
        return []
    return creating


def _create(job: ImportJob, rows: list[ImportRow]) -> None:
    """Create the rows' companies linked to the workspace, and invite the clients whose e-mail is known."""
    new = [
        company_new(
            name=row.name,
            country=row.country,
            tax_id=TaxId(row.tax_id, row.check_digit),
            phone=row.phone,
            email=row.email,
        )
        for row in rows
    ]
    accesses = companies_create(
        companies=new,
        workspace=job.workspace,
        access_status=CompanyAccess.Status.ACTIVE,
        created_by=job.created_by,
    )
    for row, access in zip(rows, accesses, strict=True):
        row.company, row.outcome = access.company, Outcome.CREATED
        row.detail = _("created; add the client's e-mail later from the company's page")
        if row.email:
            company_owner_invite(access=access, email=row.email, invited_by=job.created_by)
            row.detail = _("created; the activation invitation went to %(email)s") % {"email": row.email}


def _process_row(job: ImportJob, row: ImportRow) -> None:
    """A row whose company exists: ask its owners (the same link request as "Añadir cliente")."""
    try:
        with transaction.atomic():
            if not Company.objects.filter(country=row.country, tax_id=row.tax_id).exists():
                _create(job, [row])
            else:
                client_link_request(
                    workspace=job.workspace,
                    name=row.name,
                    country=row.country,
                    tax_id=TaxId(row.tax_id, row.check_digit),
                    invited_by=job.created_by,
                )
                row.outcome, row.detail = (
                    Outcome.LINKED,
                    _("the company already has an account: the link request went to its administrators"),
                )
    except AccessAlreadyActive:
        row.outcome, row.detail = Outcome.SKIPPED, _("already linked to your workspace")
    except AccessAlreadyRequested:
        row.outcome, row.detail = Outcome.SKIPPED, _("a link request is already waiting for an answer")
    except (DomainError, IntegrityError) as error:
        row.outcome, row.detail = Outcome.FAILED, str(error)[:500]


@dataclass
class Summary:
    created: int
    linked: int
    skipped: int
    errors: int

    def line(self) -> str:
        return f"created={self.created} linked={self.linked} skipped={self.skipped} errors={self.errors}"


def import_summary(job: ImportJob) -> Summary:
    """In the preview `created` counts the rows to add (created or asked: not known before confirming)."""
    plans = job.rows.aggregate(**{plan: Count("pk", filter=Q(plan=plan)) for plan in Plan.values})
    preview_errors = plans[Plan.ERROR]
    if job.status == ImportJob.Status.PREVIEW:
        return Summary(
            plans[Plan.ADD] + plans[Plan.CREATE], plans[Plan.LINK], plans[Plan.SKIP], preview_errors
        )
    return Summary(
        job.created_count,
        job.linked_count,
        job.skipped_count + plans[Plan.SKIP],
        job.failed_count + preview_errors,
    )
