"""Reading DIAN's UBL 2.1 documents (Anexo Técnico 1.9) into `Document`s.

An `AttachedDocument` (what suppliers e-mail) holds the document as text in
`cac:Attachment/cac:ExternalReference/cbc:Description` and DIAN's `ApplicationResponse` in
`cac:ParentDocumentLineReference`; both are parsed again with the same safe parser. A bare `Invoice`,
`CreditNote` or `DebitNote` is read as it is. Anything else, a UBL that is not DIAN's (no DIAN extension
and no DIAN profile, as PEPPOL's), or a document without CUFE raises XMLProblem with the file's name.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

# Only the element type for annotations: documents are parsed by core.xmlsafe.parse_xml (defusedxml,
# DTDs, entities and network off).
from xml.etree.ElementTree import Element  # noqa: S405 (a type, never a parser)

from django.utils.translation import gettext as _

from core.xmlsafe import XMLProblem, parse_xml

from .documents import (
    ZERO,
    Address,
    AllowanceCharge,
    Document,
    Line,
    MonetaryTotal,
    Party,
    PersonName,
    Reference,
    TaxAmount,
)

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
CAC = "{" + UBL + "CommonAggregateComponents-2}"
CBC = "{" + UBL + "CommonBasicComponents-2}"
EXT = "{" + UBL + "CommonExtensionComponents-2}"
STS = "{dian:gov:co:facturaelectronica:Structures-2-1}"
KINDS = {UBL + kind + "-2": kind for kind in ("Invoice", "CreditNote", "DebitNote")}
ATTACHED = "{" + UBL + "AttachedDocument-2}AttachedDocument"
APPLICATION_RESPONSE = "{" + UBL + "ApplicationResponse-2}ApplicationResponse"
LINE_TAGS = {"Invoice": "InvoiceLine", "CreditNote": "CreditNoteLine", "DebitNote": "DebitNoteLine"}
QUANTITY_TAGS = {
    "Invoice": "InvoicedQuantity",
    "CreditNote": "CreditedQuantity",
    "DebitNote": "DebitedQuantity",
}
DIAN_EXTENSIONS = f"{EXT}UBLExtensions/{EXT}UBLExtension/{EXT}ExtensionContent/{STS}DianExtensions"
PREFIX_PATH = f"{DIAN_EXTENSIONS}/{STS}InvoiceControl/{STS}AuthorizedInvoices/{STS}Prefix"
REFERENCE_PATH = f"{CAC}BillingReference/{CAC}InvoiceDocumentReference"
RESPONSE_PATH = "ParentDocumentLineReference/DocumentReference/Attachment/ExternalReference/Description"
DEFAULT_TYPE_CODES = {"CreditNote": "91", "DebitNote": "92"}


def read_document(data: bytes, file_name: str) -> Document:
    """The document in an XML file, or XMLProblem saying why there is none."""
    root = parse_xml(data, file_name)
    response_code = ""
    if root.tag == ATTACHED:
        root, response_code = _attached(root, file_name)
    kind = _kind(root)
    if kind is None:
        message = _("%(file)s: this XML is not an electronic invoice, credit note or debit note.")
        raise XMLProblem(message % {"file": file_name})
    if not _is_dian(root):
        raise XMLProblem(
            _("%(file)s: this UBL document is not one of DIAN's (it has no DIAN extension or profile).")
            % {"file": file_name}
        )
    try:
        return _document(root, kind, file_name, response_code)
    except (InvalidOperation, ValueError):
        raise XMLProblem(
            _("%(file)s: the document has an amount, a quantity or a date that cannot be read.")
            % {"file": file_name}
        ) from None


def _kind(root: Element) -> str | None:
    namespace, _sep, local = root.tag[1:].partition("}")
    kind = KINDS.get(namespace)
    return kind if kind == local else None


def _is_dian(root: Element) -> bool:
    if root.find(DIAN_EXTENSIONS) is not None:
        return True
    return _text(root, "ProfileID").upper().startswith("DIAN")


def _attached(root: Element, file_name: str) -> tuple[Element, str]:
    """The document an AttachedDocument carries, and DIAN's response code beside it."""
    text = _text(root, "Attachment/ExternalReference/Description")
    if not text.strip():
        raise XMLProblem(_("%(file)s: the AttachedDocument carries no document.") % {"file": file_name})
    inner = parse_xml(text.strip().encode("utf-8"), file_name)
    response_code = ""
    response_text = _text(root, RESPONSE_PATH)
    if response_text.strip():
        try:
            response = parse_xml(response_text.strip().encode("utf-8"), file_name)
        except XMLProblem:
            response = None
        if response is not None and response.tag == APPLICATION_RESPONSE:
            response_code = _text(response, "DocumentResponse/Response/ResponseCode")
    return inner, response_code


def _document(root: Element, kind: str, file_name: str, response_code: str) -> Document:
    cufe = _text(root, "UUID")
    if not cufe:
        raise XMLProblem(_("%(file)s: the document has no CUFE or CUDE (cbc:UUID).") % {"file": file_name})
    number = _text(root, "ID")
    prefix = _prefix(root, number)
    monetary = root.find(f"{CAC}LegalMonetaryTotal")
    if monetary is None:
        monetary = root.find(f"{CAC}RequestedMonetaryTotal")
    due = _text(root, "DueDate") or _text(root, "PaymentMeans/PaymentDueDate")
    return Document(
        file_name=file_name,
        kind=kind,
        type_code=_text(root, f"{kind}TypeCode") or DEFAULT_TYPE_CODES.get(kind, ""),
        number=number,
        prefix=prefix,
        folio=number[len(prefix) :],
        cufe=cufe,
        issue_date=date.fromisoformat(_text(root, "IssueDate")),
        due_date=date.fromisoformat(due) if due else None,
        currency=_text(root, "DocumentCurrencyCode"),
        supplier=_party(root.find(f"{CAC}AccountingSupplierParty"), file_name),
        customer=_party(root.find(f"{CAC}AccountingCustomerParty"), file_name),
        lines=tuple(_line(line, kind) for line in root.findall(f"{CAC}{LINE_TAGS[kind]}")),
        allowances_charges=tuple(_allowance_charge(item) for item in root.findall(f"{CAC}AllowanceCharge")),
        taxes=_taxes(root, "TaxTotal"),
        withholdings=_taxes(root, "WithholdingTaxTotal"),
        totals=_totals(monetary),
        references=tuple(map(_reference, root.findall(REFERENCE_PATH))),
        dian_response_code=response_code,
        notes=tuple(note.text or "" for note in root.findall(f"{CBC}Note")),
    )


def _prefix(root: Element, number: str) -> str:
    """The prefix of the number: DIAN's authorization says it; else the letters before the folio."""
    prefix = (root.findtext(PREFIX_PATH) or "").strip()
    if prefix and number.startswith(prefix):
        return prefix
    folio_start = len(number.rstrip("0123456789"))
    return number[:folio_start]


def _party(holder: Element | None, file_name: str) -> Party:
    party = holder.find(f"{CAC}Party") if holder is not None else None
    if party is None:
        message = _("%(file)s: the document lacks its supplier or its customer.")
        raise XMLProblem(message % {"file": file_name})
    company_id = party.find(f"{CAC}PartyTaxScheme/{CBC}CompanyID")
    if company_id is None:
        company_id = party.find(f"{CAC}PartyLegalEntity/{CBC}CompanyID")
    if company_id is None or not (company_id.text or "").strip():
        raise XMLProblem(_("%(file)s: a party of the document has no tax ID.") % {"file": file_name})
    levels = _text(party, "PartyTaxScheme/TaxLevelCode")
    return Party(
        id_scheme=company_id.get("schemeName", ""),
        id_number=company_id.text.strip().split("-")[0],
        check_digit=company_id.get("schemeID", ""),
        legal_name=_text(party, "PartyTaxScheme/RegistrationName")
        or _text(party, "PartyLegalEntity/RegistrationName"),
        trade_name=_text(party, "PartyName/Name"),
        organization_type=_text(holder, "AdditionalAccountID"),
        person=_person(party.find(f"{CAC}Person")),
        address=_address(party),
        email=_text(party, "Contact/ElectronicMail"),
        phone=_text(party, "Contact/Telephone"),
        responsibilities=tuple(code.strip() for code in levels.split(";") if code.strip()),
    )


def _person(person: Element | None) -> PersonName | None:
    if person is None:
        return None
    return PersonName(
        first_name=_text(person, "FirstName"),
        middle_name=_text(person, "MiddleName"),
        family_name=_text(person, "FamilyName"),
        other_name=_text(person, "OtherName"),
    )


def _address(party: Element) -> Address | None:
    address = party.find(f"{CAC}PartyTaxScheme/{CAC}RegistrationAddress")
    if address is None:
        address = party.find(f"{CAC}PhysicalLocation/{CAC}Address")
    if address is None:
        return None
    return Address(
        line=_text(address, "AddressLine/Line"),
        city_name=_text(address, "CityName"),
        municipality_code=_text(address, "ID"),
        department=_text(address, "CountrySubentity"),
        department_code=_text(address, "CountrySubentityCode"),
        country=_text(address, "Country/IdentificationCode"),
    )


def _line(line: Element, kind: str) -> Line:
    return Line(
        description=_text(line, "Item/Description"),
        quantity=_decimal(line, QUANTITY_TAGS[kind]),
        net_amount=_decimal(line, "LineExtensionAmount"),
        taxes=tuple(tax for total in line.findall(f"{CAC}TaxTotal") for tax in _subtotals(total)),
        allowances_charges=tuple(_allowance_charge(item) for item in line.findall(f"{CAC}AllowanceCharge")),
    )


def _allowance_charge(item: Element) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=_text(item, "ChargeIndicator").lower() == "true",
        amount=_decimal(item, "Amount"),
        reason=_text(item, "AllowanceChargeReason"),
    )


def _taxes(root: Element, tag: str) -> tuple[TaxAmount, ...]:
    return tuple(tax for total in root.findall(f"{CAC}{tag}") for tax in _subtotals(total))


def _subtotals(total: Element) -> list[TaxAmount]:
    found = []
    for subtotal in total.findall(f"{CAC}TaxSubtotal"):
        percent = _text(subtotal, "TaxCategory/Percent") or _text(subtotal, "Percent")
        found.append(
            TaxAmount(
                scheme=_text(subtotal, "TaxCategory/TaxScheme/ID"),
                rate=_number(percent) if percent else None,
                taxable=_decimal(subtotal, "TaxableAmount"),
                amount=_decimal(subtotal, "TaxAmount"),
            )
        )
    return found


def _totals(monetary: Element | None) -> MonetaryTotal:
    if monetary is None:
        return MonetaryTotal()
    return MonetaryTotal(
        line_extension=_decimal(monetary, "LineExtensionAmount"),
        tax_exclusive=_decimal(monetary, "TaxExclusiveAmount"),
        tax_inclusive=_decimal(monetary, "TaxInclusiveAmount"),
        allowance_total=_decimal(monetary, "AllowanceTotalAmount"),
        charge_total=_decimal(monetary, "ChargeTotalAmount"),
        prepaid=_decimal(monetary, "PrepaidAmount"),
        rounding=_decimal(monetary, "PayableRoundingAmount"),
        payable=_decimal(monetary, "PayableAmount"),
    )


def _reference(reference: Element) -> Reference:
    issued = _text(reference, "IssueDate")
    return Reference(
        number=_text(reference, "ID"),
        cufe=_text(reference, "UUID"),
        issue_date=date.fromisoformat(issued) if issued else None,
    )


def _text(element: Element, path: str) -> str:
    """The text at a path of cac:/cbc: names ("Contact/ElectronicMail": the last is cbc, the others cac)."""
    *aggregates, basic = path.split("/")
    full = "/".join([*(CAC + name for name in aggregates), CBC + basic])
    return (element.findtext(full) or "").strip()


def _decimal(element: Element, path: str) -> Decimal:
    text = _text(element, path)
    if not text:
        return ZERO
    return _number(text)


def _number(text: str) -> Decimal:
    """A figure of the document: finite and of a size money can have (a mutated file may hold "1E999999")."""
    value = Decimal(text)
    if not value.is_finite() or (value and not -30 < value.adjusted() < 18):
        raise ValueError(text)
    return value
