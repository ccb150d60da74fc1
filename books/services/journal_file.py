"""The journal import's file: reading its rows into comprobantes and checking each against the books."""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from core.tables import Cell, TableSpec, read_table

from ..amounts import parse_amount
from ..models import MAX_NUMBER, CostCenter, Entry, JournalImportEntry, ThirdParty, VoucherType
from .catalogs import Document, document_parse
from .common import BooksError, number_message
from .entries import Ledger, LineInput

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
