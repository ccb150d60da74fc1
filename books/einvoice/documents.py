"""An electronic document as DIAN's Anexo Técnico 1.9 describes it, read into plain values.

What the XML says, nothing decided yet: amounts are Decimal, codes are DIAN's. `differences` tells whether
a document's own figures add up; `direction_for` whether it is a purchase or a sale of a company.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
NIT_SCHEME = "31"
IVA, INC = "01", "04"
RETE_IVA, RETE_RENTA, RETE_ICA = "05", "06", "07"
PURCHASE, SALE = "purchase", "sale"


@dataclass(frozen=True)
class Address:
    line: str = ""
    city_name: str = ""
    municipality_code: str = ""  # DANE, cbc:ID
    department: str = ""
    department_code: str = ""  # DANE, cbc:CountrySubentityCode
    country: str = ""


@dataclass(frozen=True)
class PersonName:
    """cac:Person as UBL names its fields (a natural person's names)."""

    first_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    other_name: str = ""


@dataclass(frozen=True)
class Party:
    id_scheme: str  # schemeName: 31 NIT, 13 CC, 22 CE, 41 pasaporte, 42 documento extranjero...
    id_number: str  # without check digit
    check_digit: str  # schemeID, for a NIT
    legal_name: str
    trade_name: str = ""
    organization_type: str = ""  # cbc:AdditionalAccountID: 1 persona jurídica, 2 persona natural
    person: PersonName | None = None
    address: Address | None = None
    email: str = ""
    phone: str = ""
    responsibilities: tuple[str, ...] = ()  # cbc:TaxLevelCode, e.g. ("O-13", "O-15")


@dataclass(frozen=True)
class TaxAmount:
    scheme: str  # 01 IVA, 04 INC, 05 ReteIVA, 06 ReteRenta, 07 ReteICA...
    rate: Decimal | None
    taxable: Decimal
    amount: Decimal


@dataclass(frozen=True)
class AllowanceCharge:
    is_charge: bool
    amount: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    net_amount: Decimal  # cbc:LineExtensionAmount: after the line's allowances, before taxes
    taxes: tuple[TaxAmount, ...] = ()
    allowances_charges: tuple[AllowanceCharge, ...] = ()


@dataclass(frozen=True)
class MonetaryTotal:
    line_extension: Decimal = ZERO
    tax_exclusive: Decimal = ZERO
    tax_inclusive: Decimal = ZERO
    allowance_total: Decimal = ZERO
    charge_total: Decimal = ZERO
    prepaid: Decimal = ZERO
    rounding: Decimal = ZERO
    payable: Decimal = ZERO


@dataclass(frozen=True)
class Reference:
    """The invoice a note refers to (cac:BillingReference/cac:InvoiceDocumentReference)."""

    number: str
    cufe: str = ""
    issue_date: date | None = None


@dataclass(frozen=True)
class Difference:
    what: str
    expected: Decimal
    found: Decimal


@dataclass(frozen=True)
class Document:
    file_name: str
    kind: str  # Invoice, CreditNote, DebitNote
    type_code: str  # 01, 02, 03, 05 for invoices; 91 credit note, 92 debit note
    number: str
    prefix: str
    folio: str
    cufe: str  # CUFE, CUDE or CUDS: cbc:UUID
    issue_date: date
    due_date: date | None
    currency: str
    supplier: Party
    customer: Party
    lines: tuple[Line, ...]
    allowances_charges: tuple[AllowanceCharge, ...]
    taxes: tuple[TaxAmount, ...]
    withholdings: tuple[TaxAmount, ...]
    totals: MonetaryTotal
    references: tuple[Reference, ...] = ()
    dian_response_code: str = ""  # the ApplicationResponse of an AttachedDocument: 02 = validated
    notes: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        """The file's name, as every result of a reading has it."""
        return self.file_name


def plain_tax_id(text: str) -> str:
    """A tax ID without its check digit and punctuation: "900.123.456-7" -> "900123456"."""
    return "".join(ch for ch in str(text).split("-")[0] if ch.isalnum()).upper()


def direction_for(document: Document, tax_id: str) -> str | None:
    """PURCHASE if the company is the customer, SALE if it is the supplier, None if neither."""
    wanted = plain_tax_id(tax_id)
    if wanted and plain_tax_id(document.customer.id_number) == wanted:
        return PURCHASE
    if wanted and plain_tax_id(document.supplier.id_number) == wanted:
        return SALE
    return None


def differences(document: Document, tolerance: Decimal = CENT) -> list[Difference]:
    """Where the document's own figures do not add up: empty when they do."""
    totals = document.totals
    allowances = sum((a.amount for a in document.allowances_charges if not a.is_charge), ZERO)
    charges = sum((a.amount for a in document.allowances_charges if a.is_charge), ZERO)
    tax_sum = sum((tax.amount for tax in document.taxes), ZERO)
    lines_sum = sum((line.net_amount for line in document.lines), ZERO)
    checks = [
        ("LineExtensionAmount", totals.line_extension, lines_sum),
        ("AllowanceTotalAmount", totals.allowance_total, allowances),
        ("ChargeTotalAmount", totals.charge_total, charges),
        ("TaxInclusiveAmount", totals.tax_inclusive, totals.tax_exclusive + tax_sum),
        (
            "PayableAmount",
            totals.payable,
            totals.tax_inclusive - allowances + charges - totals.prepaid + totals.rounding,
        ),
    ]
    found = [Difference(what, want, got) for what, want, got in checks if abs(want - got) > tolerance]
    return found + _tax_differences(document, tolerance)


def _tax_differences(document: Document, tolerance: Decimal) -> list[Difference]:
    """The lines' taxes against the document's TaxTotal, per scheme and rate."""
    by_lines: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in document.lines:
        for tax in line.taxes:
            key = (tax.scheme, tax.rate)
            by_lines[key] = by_lines.get(key, ZERO) + tax.amount
    by_total: dict[tuple[str, Decimal | None], Decimal] = {}
    for tax in document.taxes:
        key = (tax.scheme, tax.rate)
        by_total[key] = by_total.get(key, ZERO) + tax.amount
    found = []
    for key in sorted(by_lines.keys() | by_total.keys(), key=lambda k: (k[0], k[1] or ZERO)):
        expected, got = by_total.get(key, ZERO), by_lines.get(key, ZERO)
        if abs(expected - got) > tolerance:
            rate = "" if key[1] is None else f" {key[1]}%"
            found.append(Difference(f"TaxTotal {key[0]}{rate}", expected, got))
    return found
