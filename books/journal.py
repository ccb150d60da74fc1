"""Importing comprobantes from a spreadsheet ("Importar comprobantes").

The file has one row per line: Tipo de comprobante, Número, Fecha, Cuenta, NIT del tercero, Nombre del
tercero, Centro de costo, Descripción, Débito, Crédito. Rows with the same type and number form one
comprobante, which keeps that number. Every comprobante is checked before anything is written (the preview);
then a job posts the good ones, each all-or-nothing, and reports the refused ones with their rows and reasons.
Importing the same file again creates nothing new: an identical comprobante already posted is skipped, a
different one refused.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context
from psycopg.types.json import Jsonb
from stdnum.co import nit

from core.l10n import format_date
from core.tables import Cell, TableSpec, read_table
from core.text import search_normalize
from core.work import queue, requeue_stalled, work_started
from firms.models import Company
from firms.services.audit import AuditText, audit_record

from .amounts import parse_amount
from .models import MAX_NUMBER, CostCenter, Entry, JournalImport, JournalImportEntry, ThirdParty, VoucherType
from .services.catalogs import Document, document_parse
from .services.common import BooksError, actor, number_message
from .services.entries import Ledger, LineInput, NewEntry, entries_post_many

JOURNAL = TableSpec(
    headers={
        "voucher_type": "Tipo de comprobante",
        "number": "Número",
        "date": "Fecha",
        "account": "Cuenta",
        "nit": "NIT del tercero",
        "name": "Nombre del tercero",
        "cost_center": "Centro de costo",
        "description": "Descripción",
        "debit": "Débito",
        "credit": "Crédito",
    },
    aliases={
        "voucher_type": ("tipo", "tipo comprobante", "comprobante", "voucher type", "type"),
        "number": ("numero de comprobante", "no", "nro", "consecutivo", "number"),
        "date": ("fecha del comprobante", "date"),
        "account": ("codigo de la cuenta", "codigo cuenta", "cuenta contable", "codigo", "account"),
        "nit": ("nit", "nit tercero", "tercero", "identificacion", "identificacion del tercero", "documento"),
        "name": ("nombre tercero", "razon social", "nombre", "third party"),
        "cost_center": ("centro de costos", "centro", "cc", "cost center"),
        "description": ("detalle", "concepto", "descripcion del movimiento", "description"),
        "debit": ("debe", "debitos", "valor debito", "debit"),
        "credit": ("haber", "creditos", "valor credito", "credit"),
    },
    required=("voucher_type", "number", "date", "account", "debit", "credit"),
    max_rows=100_000,
    max_bytes=30 * 1024 * 1024,
    typed_cells=True,
)
CHUNK = 500
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
EXCEL_EPOCH = date(1899, 12, 30)
CENT = Decimal("0.01")


def parse_day(value: Cell) -> date | None:
    """A date as YYYY-MM-DD, DD/MM/YYYY or an Excel date (a date cell, or its serial number); None if not."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return EXCEL_EPOCH + timedelta(days=int(value)) if 1 <= value < 2_958_466 else None
    return _parse_day_text(str(value).strip().split(" ")[0])


@functools.lru_cache(maxsize=4096)  # a file repeats its dates: strptime once per distinct text
def _parse_day_text(text: str) -> date | None:
    if re.fullmatch(r"\d{5}", text):
        return EXCEL_EPOCH + timedelta(days=int(text))
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


@dataclass(slots=True)  # 50,000 of them in a 100,000-line file
class FileEntry:
    """A comprobante as the file gives it, with what the preview found."""

    voucher_code: str
    number: int | None
    rows: list[int] = field(default_factory=list)
    day: date | None = None
    description: str = ""
    # [account, nit, center, description, debit, credit, tercero's name, row]
    lines: list[list] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def problem(self, row: int | None, text: str) -> None:
        self.messages.append(_("Row %(row)s: %(problem)s") % {"row": row, "problem": text} if row else text)


def _group(rows) -> list[FileEntry]:
    """Rows with the same type and number, in the order the file first has them."""
    entries: dict[tuple[str, str], FileEntry] = {}
    for row in rows:
        values = row.values
        code = _text(values.get("voucher_type", "")).upper()
        number_text = _text(values.get("number", ""))
        key = (code, number_text)
        entry = entries.get(key)
        if entry is None:
            digits = number_text.isdigit()
            number = int(number_text) if digits and 0 < int(number_text) <= MAX_NUMBER else None
            entry = entries[key] = FileEntry(voucher_code=code, number=number)
            if not code:
                entry.problem(row.number, _("the voucher type is missing"))
            if number is None and digits:
                entry.problem(row.number, number_message())
            elif number is None:
                entry.problem(
                    row.number, _("“%(value)s” is not a comprobante number") % {"value": number_text}
                )
        entry.rows.append(row.number)
        _read_line(entry, row.number, values)
    return list(entries.values())


def _read_line(entry: FileEntry, row: int, values: dict) -> None:
    day = parse_day(values.get("date", ""))
    if day is None:
        entry.problem(
            row,
            _("“%(value)s” is not a date (use 2026-03-31 or 31/03/2026)")
            % {"value": _text(values.get("date"))},
        )
    elif entry.day is None and not entry.lines:
        entry.day = day
    elif day != entry.day:
        entry.problem(
            row, _("the lines of one comprobante have one date; this one has %(date)s") % {"date": day}
        )
    amounts = []
    for side in ("debit", "credit"):
        raw = values.get(side, "")
        amount = Decimal(0) if raw == "" else parse_amount(raw)
        if amount is None:
            entry.problem(row, _("“%(value)s” is not an amount") % {"value": _text(raw)})
            amount = Decimal(0)
        amounts.append(amount)
    description = _text(values.get("description", ""))[:300]
    if not entry.description and description:
        entry.description = description
    entry.lines.append(
        [
            _text(values.get("account", "")),
            _text(values.get("nit", "")),
            _text(values.get("cost_center", "")).upper()[:20],
            description,
            str(amounts[0]),
            str(amounts[1]),
            _text(values.get("name", ""))[:200],
            row,
        ]
    )


def _document(raw: str) -> Document:
    """A tercero's number from the file: with a DV after a dash or a space it is checked, else computed."""
    cleaned = raw.replace(".", "").strip()
    if re.fullmatch(r"\d{5,15}[\s-]\d", cleaned):
        return document_parse(document_type="nit", raw=re.sub(r"\s", "-", cleaned))
    if not re.fullmatch(r"\d{3,15}", cleaned):
        raise BooksError(_("“%(value)s” is not a NIT or document number") % {"value": raw})
    return Document(cleaned, "")


class Catalog:
    """What the file's comprobantes refer to, read once; the terceros and cost centers the import will
    create stand in the checks as unsaved objects with negative ids."""

    def __init__(self, entries: list[FileEntry]):
        # One stand-in line per account: the ledger reads the accounts they name (100,000 lines took 33 MB).
        self.ledger = Ledger(
            [LineInput(account=code) for code in {line[0] for entry in entries for line in entry.lines}]
        )
        self.types = {t.code: t for t in VoucherType.objects.all()}
        third_parties = list(ThirdParty.objects.all())
        cost_centers = list(CostCenter.objects.all())
        self.ledger.third_parties.update({t.pk: t for t in third_parties})
        self.ledger.cost_centers.update({c.pk: c for c in cost_centers})
        self.third_parties = {t.number: t.pk for t in third_parties}
        self.cost_centers = {c.code: c.pk for c in cost_centers}
        self.new_third_parties: dict[str, list] = {}  # number -> [number, check digit, name]
        self.new_cost_centers: dict[str, int] = {}

    def third_party(self, document: Document, name: str) -> int | None:
        if document.number in self.third_parties:
            return self.third_parties[document.number]
        if not name:
            return None
        stand_in = -1 - len(self.ledger.third_parties)
        self.third_parties[document.number] = stand_in
        self.ledger.third_parties[stand_in] = ThirdParty(number=document.number, business_name=name)
        self.new_third_parties[document.number] = [document.number, document.check_digit, name]
        return stand_in

    def cost_center(self, code: str) -> int:
        if code not in self.cost_centers:
            stand_in = -1 - len(self.ledger.cost_centers)
            self.cost_centers[code] = stand_in
            self.ledger.cost_centers[stand_in] = CostCenter(code=code, name=code)
            self.new_cost_centers[code] = stand_in
        return self.cost_centers[code]


def _check(entry: FileEntry, catalog: Catalog, existing: dict) -> str:
    """The plan for one comprobante: post, skip (identical one posted) or error (every reason recorded)."""
    if entry.voucher_code and entry.voucher_code not in catalog.types:
        entry.problem(entry.rows[0], _("there is no voucher type %(code)s") % {"code": entry.voucher_code})
    inputs = []
    for line in entry.lines:
        account, document_text, center, description, debit, credit, name, row = line
        third_party = None
        if document_text:
            try:
                document = _document(document_text)
            except BooksError as error:
                entry.problem(row, str(error))
                continue
            line[1] = document.number
            third_party = catalog.third_party(document, name)
            if third_party is None:
                entry.problem(
                    row,
                    _("tercero %(number)s does not exist: write its name to create it")
                    % {"number": document.number},
                )
                continue
        cost_center = catalog.cost_center(center) if center else None
        inputs.append(
            LineInput(account, Decimal(debit), Decimal(credit), third_party, cost_center, description)
        )
    if len(inputs) == len(entry.lines) and entry.day:
        for line_number, problem in catalog.ledger.check(inputs, day=entry.day, for_posting=True):
            entry.problem(entry.lines[line_number - 1][7] if line_number else None, problem)
    if entry.messages:
        return JournalImportEntry.Plan.ERROR
    found = existing.get((entry.voucher_code, entry.number))
    if found is None:
        return JournalImportEntry.Plan.POST
    if _same(found, entry):
        return JournalImportEntry.Plan.SKIP
    entry.problem(
        entry.rows[0],
        _("%(label)s is already in the books with other lines; give this one another number")
        % {"label": found["label"]},
    )
    return JournalImportEntry.Plan.ERROR


def _existing(entries: list[FileEntry]) -> dict:
    """The posted comprobantes with the file's types and numbers, with their lines to compare."""
    by_type: dict[str, set[int]] = {}
    for entry in entries:
        if entry.number:
            by_type.setdefault(entry.voucher_code, set()).add(entry.number)
    wanted = Q(pk__in=[])
    for code, numbers in by_type.items():
        wanted |= Q(voucher_type__code=code, number__in=numbers)
    posted = (
        Entry.objects.filter(wanted)
        .exclude(status=Entry.Status.DRAFT)
        .select_related("voucher_type")
        .prefetch_related("lines__third_party", "lines__cost_center")
    )
    return {(entry.voucher_type.code, entry.number): _comparable(entry) for entry in posted}


def _comparable(entry: Entry) -> dict:
    """A posted comprobante as _same compares it with a file's (lines, third parties and centers loaded)."""
    lines = sorted(
        (
            line.account_id,
            line.third_party.number if line.third_party else "",
            line.cost_center.code if line.cost_center else "",
            line.debit,
            line.credit,
        )
        for line in entry.lines.all()
    )
    return {"label": entry.label, "date": entry.date, "lines": lines}


def _same(found: dict, entry: FileEntry) -> bool:
    mine = sorted((ln[0], ln[1], ln[2], Decimal(ln[4]), Decimal(ln[5])) for ln in entry.lines)
    return found["date"] == entry.day and found["lines"] == mine


def journal_read(*, file_name: str, data: bytes, sheet_name: str = "") -> list[FileEntry]:
    """The file's comprobantes, or FileProblem."""
    table = read_table(spec=JOURNAL, file_name=file_name, data=data, sheet_name=sheet_name)
    return _group(table.consume())  # each row let go once grouped


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
        from .tasks import journal_import_task

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
    from .tasks import journal_import_task

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
    with transaction.atomic():
        todo = list(
            job.entries.select_for_update(skip_locked=True)
            .filter(outcome="", plan=JournalImportEntry.Plan.POST)
            .order_by("position")[:CHUNK]
        )
        if not todo:
            return False
        types = dict(VoucherType.objects.values_list("code", "pk"))
        numbers = {line[1] for row in todo for line in row.lines if line[1]}
        third_parties = dict(ThirdParty.objects.filter(number__in=numbers).values_list("number", "pk"))
        cost_centers = dict(CostCenter.objects.values_list("code", "pk"))
        new = {
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
        ledger = Ledger([line for entry in new.values() for line in entry.lines])
        existing = _existing([FileEntry(row.voucher_code, row.number) for row in todo])
        ready = []
        for row in todo:
            entry = new[row.pk]
            found = existing.get((row.voucher_code, row.number))
            if found is not None:  # posted meanwhile (another import, or this one before a restart)
                same = _same(found, FileEntry(row.voucher_code, row.number, day=row.day, lines=row.lines))
                row.outcome = (
                    JournalImportEntry.Outcome.SKIPPED if same else JournalImportEntry.Outcome.FAILED
                )
                if not same:
                    row.messages = [
                        _("%(label)s is already in the books with other lines; give this one another number")
                        % {"label": found["label"]}
                    ]
                continue
            problems = (
                ledger.check(entry.lines, day=row.day, for_posting=True)
                if entry.voucher_type_id
                else [(None, _("there is no voucher type %(code)s") % {"code": row.voucher_code})]
            )
            if problems:
                row.outcome = JournalImportEntry.Outcome.FAILED
                row.messages = [
                    _("Row %(row)s: %(problem)s") % {"row": row.lines[n - 1][6], "problem": text}
                    if n
                    else text
                    for n, text in problems
                ]
            else:
                ready.append(row)
        _post(ready, new, user)
        _record_outcomes(todo)
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
    return True


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

OPENING = TableSpec(
    headers={
        key: JOURNAL.headers[key]
        for key in ("account", "nit", "name", "cost_center", "description", "debit", "credit")
    },
    aliases={
        key: JOURNAL.aliases[key]
        for key in ("account", "nit", "name", "cost_center", "description", "debit", "credit")
    },
    required=("account", "debit", "credit"),
    max_rows=20_000,
    max_bytes=10 * 1024 * 1024,
    typed_cells=True,
)


class OpeningRefused(BooksError):
    """The opening balances cannot be posted; every reason, with its row."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


def opening_balances_post(*, file_name: str, data: bytes, day: date, user, description: str = "") -> Entry:
    """A file of account, tercero, cost center, debit and credit becomes one SI comprobante dated `day`:
    balanced and posted, or refused with every reason (the difference when it does not balance).
    Raises FileProblem or OpeningRefused."""
    table = read_table(spec=OPENING, file_name=file_name, data=data)
    entry = FileEntry(
        voucher_code="SI", number=None, day=day, description=description or _("Opening balances")
    )
    for row in table.rows:
        _read_line(entry, row.number, {**row.values, "date": day})
    catalog = Catalog([entry])
    if _check(entry, catalog, existing={}) != JournalImportEntry.Plan.POST:
        raise OpeningRefused(entry.messages)
    with transaction.atomic():
        # The same file sent twice (a double click, a retry after a lost answer) is posted once.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':opening'))")
        posted = Entry.objects.filter(source=Entry.Source.OPENING, date=day, status=Entry.Status.POSTED)
        for found in posted.select_related("voucher_type").prefetch_related(
            "lines__third_party", "lines__cost_center"
        ):
            if _same(_comparable(found), entry):
                raise OpeningRefused(
                    [
                        _("These opening balances are already in the books as %(label)s of %(date)s.")
                        % {"label": found.label, "date": format_date(day)}
                    ]
                )
        _create_catalogs(
            new_third_parties=list(catalog.new_third_parties.values()),
            new_cost_centers=list(catalog.new_cost_centers),
        )
        third_parties = dict(ThirdParty.objects.values_list("number", "pk"))
        cost_centers = dict(CostCenter.objects.values_list("code", "pk"))
        lines = [
            LineInput(
                line[0],
                Decimal(line[4]),
                Decimal(line[5]),
                third_parties.get(line[1]),
                cost_centers.get(line[2]),
                line[3],
            )
            for line in entry.lines
        ]
        new = NewEntry(
            voucher_type_id=catalog.types["SI"].pk, day=day, description=entry.description, lines=lines
        )
        try:
            (entry_id,) = entries_post_many(entries=[new], user=user, source=Entry.Source.OPENING)
        except BooksError as refused:  # the lock date moved meanwhile, or PostgreSQL refused a rule
            raise OpeningRefused([str(refused)]) from refused
    return Entry.objects.get(pk=entry_id)
