"""Importing comprobantes from a spreadsheet ("Importar comprobantes"), as a job.

The file has one row per line: Tipo de comprobante, Número, Fecha, Cuenta, NIT del tercero, Nombre del
tercero, Centro de costo, Descripción, Débito, Crédito. Rows with the same type and number form one
comprobante, which keeps that number (reading and checking the file: `journal_file`). Every comprobante is
checked before anything is written (the preview); then a job posts the good ones in chunks in the background,
each all-or-nothing, and reports the refused ones with their rows and reasons. Importing the same file again
creates nothing new: an identical comprobante already posted is skipped, a different one refused.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context
from psycopg.types.json import Jsonb
from stdnum.co import nit

from core.text import search_normalize
from core.work import queue, requeue_stalled, work_started
from firms.models import Company
from firms.services.audit import AuditText, audit_record

from ..models import CostCenter, Entry, JournalImport, JournalImportEntry, ThirdParty, VoucherType
from .common import BooksError, actor
from .entries import Ledger, LineInput, NewEntry, entries_post_many
from .journal_file import Catalog, FileEntry, _check, _existing, _same, journal_read

CHUNK = 500


def journal_preview(*, file_name: str, data: bytes, user, sheet_name: str = "") -> JournalImport:
    """Read and check every comprobante; nothing is written to the books. Raises FileProblem."""
    entries = journal_read(file_name=file_name, data=data, sheet_name=sheet_name)
    catalog = Catalog(entries)
    existing = _existing(entries)
    plans = [_check(entry, catalog, existing) for entry in entries]
    who = actor(user)
    with transaction.atomic():
        job = JournalImport.objects.create(
            file_name=file_name[:255],
            created_by_id=who["id"],
            created_by_name=who["name"],
            total_entries=len(entries),
            total_lines=sum(len(entry.lines) for entry in entries),
            to_post=sum(1 for plan in plans if plan == JournalImportEntry.Plan.POST),
            new_third_parties=sorted(catalog.new_third_parties.values()),
            new_cost_centers=sorted(catalog.new_cost_centers),
        )
        columns = (
            "job_id, position, voucher_code, number, day, description, rows, lines, plan, outcome, messages"
        )
        with connection.cursor() as cursor:  # COPY: a 50,000-line file has some 12,000 comprobantes
            with cursor.connection.cursor().copy(
                f"COPY books_journalimportentry ({columns}) FROM STDIN"
            ) as copy:
                for position, (entry, plan) in enumerate(zip(entries, plans, strict=True)):
                    copy.write_row(
                        (
                            job.pk,
                            position,
                            entry.voucher_code[:20],
                            entry.number,
                            entry.day,
                            entry.description,
                            Jsonb(entry.rows),
                            Jsonb([[*line[:6], line[7]] for line in entry.lines]),
                            plan,
                            "",
                            Jsonb(entry.messages),
                        )
                    )
    return job


# Posting -----------------------------------------------------------------------------------------


def journal_confirm(*, job: JournalImport, company_id: int) -> JournalImport:
    """The accountant confirms the preview: a Celery job posts the good comprobantes."""
    with transaction.atomic():
        job = JournalImport.objects.select_for_update().get(pk=job.pk)
        if job.status != JournalImport.Status.PREVIEW:
            return job
        job.status = JournalImport.Status.QUEUED
        job.confirmed_at = timezone.now()
        job.save(update_fields=["status", "confirmed_at"])
        audit_record(
            action="journal.confirmed",
            target=job,
            object_label=job.file_name,
            summary=AuditText(gettext_noop("%(count)s comprobantes to post"), count=job.to_post),
        )
        from ..tasks import journal_import_task

        # If the broker is down the job waits as queued, and journal_resume queues it again.
        queue(job, journal_import_task, company_id, job.pk)
    return job


def journal_resume(*, job: JournalImport, company_id: int) -> bool:
    """Queue again a job queued or running without news for WORK_STALLED_AFTER (its queueing was lost
    while the broker was down, or its worker died): the comprobantes posted stay posted, the rest follow.
    Called as the job's page polls (in the company's schema); False if not stalled or the broker is down."""
    return job.is_stalled and _requeue(JournalImport.stalled().filter(pk=job.pk), company_id) == 1


def journal_imports_resume() -> int:
    """Beat: resume the stalled imports of every company (see journal_resume), one small query per company."""
    resumed = 0
    for company_id, schema_name in Company.objects.filter(
        provisioning_status=Company.Provisioning.READY
    ).values_list("pk", "schema_name"):
        with schema_context(schema_name):
            resumed += _requeue(JournalImport.stalled(), company_id)
    return resumed


def _requeue(stalled, company_id: int) -> int:
    from ..tasks import journal_import_task

    return requeue_stalled(
        stalled,
        journal_import_task,
        args=lambda pk: (company_id, pk),
        resumed_count=F("resumed_count") + 1,
    )


def journal_fail(*, job_id: int, error: str) -> None:
    """The job gave up after its retries: the page stops waiting and says so; what was posted stays."""
    JournalImport.objects.filter(pk=job_id).exclude(status=JournalImport.Status.DONE).update(
        status=JournalImport.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def journal_process(*, job_id: int, user=None) -> JournalImport:
    """Post the confirmed comprobantes in chunks; safe to run twice, or again after a worker died: each
    chunk commits its comprobantes with their outcomes, and a comprobante already posted is skipped."""
    JournalImport.objects.filter(pk=job_id, status__in=["queued", "preview"]).update(
        status=JournalImport.Status.RUNNING
    )
    JournalImport.objects.filter(pk=job_id).update(**work_started())
    job = JournalImport.objects.get(pk=job_id)
    _settle_unposted(job)
    _create_catalogs(new_third_parties=job.new_third_parties, new_cost_centers=job.new_cost_centers)
    while _post_chunk(job, user):
        pass
    # Rows left are a chunk another run of this job is posting (a resume while this one was slow): it
    # finishes the job; if it died, the job stalls and is resumed.
    if not job.entries.filter(outcome="", plan=JournalImportEntry.Plan.POST).exists():
        JournalImport.objects.filter(pk=job_id).exclude(status=JournalImport.Status.DONE).update(
            status=JournalImport.Status.DONE, finished_at=timezone.now(), progress_at=timezone.now()
        )
    return JournalImport.objects.get(pk=job_id)


def _settle_unposted(job: JournalImport) -> None:
    """The comprobantes the preview refused or found already posted get their outcome once."""
    with transaction.atomic():
        pending = job.entries.select_for_update().filter(outcome="")
        skipped = pending.filter(plan=JournalImportEntry.Plan.SKIP).update(
            outcome=JournalImportEntry.Outcome.SKIPPED
        )
        failed = pending.filter(plan=JournalImportEntry.Plan.ERROR).update(
            outcome=JournalImportEntry.Outcome.FAILED
        )
        JournalImport.objects.filter(pk=job.pk).update(
            skipped_count=F("skipped_count") + skipped, error_count=F("error_count") + failed
        )


def _create_catalogs(*, new_third_parties: list, new_cost_centers: list) -> None:
    """The terceros and cost centers the file uses and the books do not have yet (a company's 9-digit NIT
    starting with 8 or 9 gets its check digit computed; other numbers without one are cédulas)."""
    third_parties = []
    for number, check_digit, name in new_third_parties:
        company_like = len(number) == 9 and number[0] in "89"
        third_party = ThirdParty(
            person_type=ThirdParty.PersonType.LEGAL if company_like else ThirdParty.PersonType.NATURAL,
            document_type=ThirdParty.DocumentType.NIT
            if check_digit or company_like
            else ThirdParty.DocumentType.CC,
            number=number,
            check_digit=check_digit or (nit.calc_check_digit(number) if company_like else ""),
            business_name=name[:200],
        )
        third_party.search_text = f"{search_normalize(name)} {number}"[:330]
        third_parties.append(third_party)
    existing = set(
        ThirdParty.objects.filter(number__in=[t.number for t in third_parties]).values_list(
            "number", flat=True
        )
    )
    ThirdParty.objects.bulk_create(
        [t for t in third_parties if t.number not in existing], ignore_conflicts=True
    )
    CostCenter.objects.bulk_create(
        [CostCenter(code=code, name=code) for code in new_cost_centers], ignore_conflicts=True
    )


def _post_chunk(job: JournalImport, user) -> bool:
    """The next CHUNK comprobantes not done yet, checked again against the books as they are now and posted,
    with their outcomes and the job's counts, in one transaction. False when none was left."""
    with transaction.atomic():
        todo = list(
            job.entries.select_for_update(skip_locked=True)
            .filter(outcome="", plan=JournalImportEntry.Plan.POST)
            .order_by("position")[:CHUNK]
        )
        if not todo:
            return False
        new = _chunk_entries(todo)
        ledger = Ledger([line for entry in new.values() for line in entry.lines])
        existing = _existing([FileEntry(row.voucher_code, row.number) for row in todo])
        ready = [row for row in todo if _chunk_row_ready(row, new[row.pk], ledger, existing)]
        _post(ready, new, user)
        _record_outcomes(todo)
        _count_outcomes(job, todo)
    return True


def _chunk_entries(todo: list[JournalImportEntry]) -> dict[int, NewEntry]:
    """The chunk's comprobantes, with the ids of their types, terceros and cost centers as they are now."""
    types = dict(VoucherType.objects.values_list("code", "pk"))
    numbers = {line[1] for row in todo for line in row.lines if line[1]}
    third_parties = dict(ThirdParty.objects.filter(number__in=numbers).values_list("number", "pk"))
    cost_centers = dict(CostCenter.objects.values_list("code", "pk"))
    return {
        row.pk: NewEntry(
            voucher_type_id=types.get(row.voucher_code),
            day=row.day,
            description=row.description,
            number=row.number,
            lines=[
                LineInput(
                    line[0],
                    Decimal(line[4]),
                    Decimal(line[5]),
                    third_parties.get(line[1]) if line[1] else None,
                    cost_centers.get(line[2]) if line[2] else None,
                    line[3],
                )
                for line in row.lines
            ],
        )
        for row in todo
    }


def _chunk_row_ready(row: JournalImportEntry, entry: NewEntry, ledger: Ledger, existing: dict) -> bool:
    """Whether the row can be posted now; if not, its outcome and messages say why (skipped: the same
    comprobante was posted meanwhile, by another import or by this one before a restart)."""
    found = existing.get((row.voucher_code, row.number))
    if found is not None:
        same = _same(found, FileEntry(row.voucher_code, row.number, day=row.day, lines=row.lines))
        row.outcome = JournalImportEntry.Outcome.SKIPPED if same else JournalImportEntry.Outcome.FAILED
        if not same:
            row.messages = [
                _("%(label)s is already in the books with other lines; give this one another number")
                % {"label": found["label"]}
            ]
        return False
    problems = (
        ledger.check(entry.lines, day=row.day, for_posting=True)
        if entry.voucher_type_id
        else [(None, _("there is no voucher type %(code)s") % {"code": row.voucher_code})]
    )
    if problems:
        row.outcome = JournalImportEntry.Outcome.FAILED
        row.messages = [
            _("Row %(row)s: %(problem)s") % {"row": row.lines[n - 1][6], "problem": text} if n else text
            for n, text in problems
        ]
        return False
    return True


def _count_outcomes(job: JournalImport, todo: list[JournalImportEntry]) -> None:
    posted = [row for row in todo if row.outcome == JournalImportEntry.Outcome.POSTED]
    JournalImport.objects.filter(pk=job.pk).update(
        posted_count=F("posted_count") + len(posted),
        posted_lines=F("posted_lines") + sum(len(row.lines) for row in posted),
        skipped_count=F("skipped_count")
        + sum(1 for row in todo if row.outcome == JournalImportEntry.Outcome.SKIPPED),
        error_count=F("error_count")
        + sum(1 for row in todo if row.outcome == JournalImportEntry.Outcome.FAILED),
        progress_at=timezone.now(),
    )


def _record_outcomes(rows: list[JournalImportEntry]) -> None:
    """One UPDATE for the chunk's outcomes (Django's bulk_update builds a CASE per row: far slower)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE books_journalimportentry AS j SET outcome = v.outcome, messages = v.messages, "
            "entry_id = v.entry_id FROM unnest(%s::bigint[], %s::varchar[], %s::jsonb[], %s::bigint[]) "
            "AS v(id, outcome, messages, entry_id) WHERE j.id = v.id",
            [
                [row.pk for row in rows],
                [row.outcome for row in rows],
                [Jsonb(row.messages) for row in rows],
                [row.entry_id for row in rows],
            ],
        )


def _refused(error: Exception) -> str:
    """A refusal of one comprobante as its row says it: the rule's message (PostgreSQL's refusals of the
    books' rules come as BooksError too: books.services.common.database_refusals), or else the database's
    own first line."""
    return (str(error) if isinstance(error, BooksError) else str(error).split("\n")[0])[:300]


def _post(rows: list[JournalImportEntry], new: dict, user) -> None:
    """Post the chunk's good comprobantes together; if one is refused (a lock date set meanwhile, or
    PostgreSQL's own checks), each goes alone and the refused ones say why."""
    try:
        with transaction.atomic():
            ids = entries_post_many(
                entries=[new[row.pk] for row in rows], user=user, source=Entry.Source.IMPORT
            )
    except (DatabaseError, BooksError):
        ids = []
        for row in rows:
            try:
                with transaction.atomic():
                    ids += entries_post_many(entries=[new[row.pk]], user=user, source=Entry.Source.IMPORT)
            except (DatabaseError, BooksError) as error:
                row.outcome, row.messages = JournalImportEntry.Outcome.FAILED, [_refused(error)]
                ids.append(None)
    for row, entry_id in zip(rows, ids, strict=True):
        if entry_id is not None:
            row.outcome, row.entry_id = JournalImportEntry.Outcome.POSTED, entry_id


@dataclass
class Summary:
    entries: int
    lines: int
    skipped: int
    errors: int

    def line(self) -> str:
        return f"entries={self.entries} lines={self.lines} skipped={self.skipped} errors={self.errors}"


def journal_consecutive_moves(job: JournalImport) -> list[tuple[str, int, int]]:
    """The consecutives the import will move, [(type, next number now, next number after)]: comprobantes keep
    their numbers, and a type's consecutive goes past the highest one."""
    tops = (
        job.entries.filter(plan=JournalImportEntry.Plan.POST, number__isnull=False)
        .values_list("voucher_code")
        .annotate(top=Max("number"))
        .order_by("voucher_code")
    )
    next_numbers = dict(VoucherType.objects.values_list("code", "next_number"))
    return [
        (code, next_numbers[code], top + 1)
        for code, top in tops
        if code in next_numbers and top >= next_numbers[code]
    ]


def journal_summary(job: JournalImport) -> Summary:
    """Posted comprobantes and their lines, identical ones skipped, refused ones (the preview's plan before
    confirming)."""
    if job.status == JournalImport.Status.PREVIEW:
        plans = dict(job.entries.values_list("plan").annotate(n=Count("pk")))
        post_lines = sum(
            len(lines) for lines in job.entries.filter(plan="post").values_list("lines", flat=True)
        )
        return Summary(plans.get("post", 0), post_lines, plans.get("skip", 0), plans.get("error", 0))
    return Summary(job.posted_count, job.posted_lines, job.skipped_count, job.error_count)


# Opening balances ---------------------------------------------------------------------------------
