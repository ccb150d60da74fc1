"""Terceros, cost centres and voucher types."""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum.co import nit

from core.phones import InvalidPhone, phone_clean
from core.tables import TableSpec, read_table
from core.text import search_normalize
from firms.services.audit import AuditText, audit_record, changes

from ..models import CostCenter, ThirdParty, VoucherType
from ..selectors import company_country
from .common import BooksError

DocumentType = ThirdParty.DocumentType
# Shapes of the numbers of each document type (the NIT's check digit is checked apart).
NUMBER_SHAPES = {
    DocumentType.NIT: re.compile(r"^\d{5,15}$"),
    DocumentType.CC: re.compile(r"^\d{3,10}$"),
    DocumentType.CE: re.compile(r"^[0-9A-Z]{3,12}$"),
    DocumentType.PASSPORT: re.compile(r"^[0-9A-Z]{5,20}$"),
    DocumentType.FOREIGN_NIT: re.compile(r"^[0-9A-Z\-]{3,20}$"),
}
VOUCHER_CODE = re.compile(r"^[A-Z0-9]{1,5}$")


@dataclass(frozen=True)
class Document:
    number: str
    check_digit: str


def document_parse(*, document_type: str, raw: str, check_digit: str = "") -> Document:
    """A document number as typed ("900.123.456-8", "900123456 8", "1.020.304") in its stored form.

    A NIT's check digit (DV) is validated when given (in the number or apart) and computed when missing.
    Raises BooksError with a message for the accountant.
    """
    value = re.sub(r"[\s.]", "", (raw or "").upper())
    check_digit = (check_digit or "").strip()
    if document_type == DocumentType.NIT:
        if "-" in value:
            value, _sep, check_digit = value.partition("-")
        if not NUMBER_SHAPES[DocumentType.NIT].match(value) or not re.fullmatch(r"\d?", check_digit):
            raise BooksError(_("Write the NIT with digits only, and its check digit: 900.123.456-8."))
        expected = nit.calc_check_digit(value)
        if check_digit and check_digit != expected:
            raise BooksError(
                _("The check digit (DV) of NIT %(number)s is %(expected)s, not %(given)s.")
                % {"number": value, "expected": expected, "given": check_digit}
            )
        return Document(value, expected)
    shape = NUMBER_SHAPES.get(document_type)
    if shape is None:
        raise BooksError(_("Choose the document type."))
    value = value.replace("-", "") if document_type != DocumentType.FOREIGN_NIT else value
    if not shape.match(value):
        raise BooksError(
            _("“%(value)s” is not a valid %(type)s number.")
            % {"value": raw, "type": DocumentType(document_type).label}
        )
    return Document(value, "")


THIRD_PARTY_FIELDS = (
    "person_type",
    "business_name",
    "first_names",
    "last_names",
    "email",
    "phone",
    "address",
    "city",
)


def _third_party_names(fields: dict) -> None:
    for key in ("business_name", "first_names", "last_names", "email", "phone", "address", "city"):
        fields[key] = " ".join((fields.get(key) or "").split())
    try:
        fields["phone"] = phone_clean(fields["phone"], country=company_country())
    except InvalidPhone as error:
        raise BooksError(str(error)) from None
    if fields["person_type"] == ThirdParty.PersonType.LEGAL:
        if not fields["business_name"]:
            raise BooksError(_("Write the business name (razón social)."))
        fields["first_names"] = fields["last_names"] = ""
    elif not (fields["first_names"] and fields["last_names"]):
        if not fields["business_name"]:
            raise BooksError(_("Write the person's first names and last names."))


def _search_text(third_party: ThirdParty) -> str:
    return f"{search_normalize(third_party.display_name)} {third_party.number}"[:330]


def third_party_create(*, document_type: str, number: str, check_digit: str = "", **fields) -> ThirdParty:
    """A new tercero; its document is validated (the NIT's check digit too) and unique per type."""
    with transaction.atomic():
        third_party = _third_party_create(
            document_type=document_type, number=number, check_digit=check_digit, **fields
        )
        audit_record(action="third_party.created", target=third_party)
    return third_party


def _third_party_create(*, document_type: str, number: str, check_digit: str = "", **fields) -> ThirdParty:
    document = document_parse(document_type=document_type, raw=number, check_digit=check_digit)
    fields = {key: fields.get(key, "") for key in THIRD_PARTY_FIELDS}
    _third_party_names(fields)
    third_party = ThirdParty(
        document_type=document_type, number=document.number, check_digit=document.check_digit, **fields
    )
    third_party.search_text = _search_text(third_party)
    try:
        with transaction.atomic():
            third_party.save()
    except IntegrityError:
        raise BooksError(
            _("A tercero with %(type)s %(number)s already exists.")
            % {"type": DocumentType(document_type).label, "number": document.number}
        ) from None
    return third_party


def third_party_update(*, third_party: ThirdParty, **fields) -> ThirdParty:
    """Change a tercero's names and contact data; its document stays (it identifies it in the books)."""
    before = {key: getattr(third_party, key) for key in THIRD_PARTY_FIELDS}
    with transaction.atomic():
        third_party = _third_party_update(third_party=third_party, **fields)
        was, now = changes(before, {key: getattr(third_party, key) for key in THIRD_PARTY_FIELDS})
        audit_record(action="third_party.updated", target=third_party, before=was, after=now)
    return third_party


def _third_party_update(*, third_party: ThirdParty, **fields) -> ThirdParty:
    values = {key: fields.get(key, getattr(third_party, key)) for key in THIRD_PARTY_FIELDS}
    _third_party_names(values)
    for key, value in values.items():
        setattr(third_party, key, value)
    third_party.search_text = _search_text(third_party)
    third_party.save(update_fields=[*THIRD_PARTY_FIELDS, "search_text"])
    return third_party


def third_party_set_active(*, third_party: ThirdParty, active: bool) -> ThirdParty:
    """An inactive tercero keeps its history and takes no new postings."""
    third_party.is_active = active
    with transaction.atomic():
        third_party.save(update_fields=["is_active"])
        audit_record(
            action="third_party.activated" if active else "third_party.deactivated", target=third_party
        )
    return third_party


def cost_center_create(*, code: str, name: str) -> CostCenter:
    return _catalog_item_create(
        CostCenter, "cost_center.created", code, name, _("A cost center with code %(code)s already exists.")
    )


def _catalog_item_create(model, action: str, code: str, name: str, exists: str):
    """A cost center or voucher type (code in capitals), with its activity-log event; `exists` tells a
    code already taken."""
    code = code.strip().upper()
    try:
        with transaction.atomic():
            item = model.objects.create(code=code, name=name.strip())
            audit_record(action=action, target=item)
            return item
    except IntegrityError:
        raise BooksError(exists % {"code": code}) from None


def cost_center_update(*, cost_center: CostCenter, name: str, is_active: bool) -> CostCenter:
    return _catalog_item_update(cost_center, "cost_center.updated", name=name, is_active=is_active)


def _catalog_item_update(item, action: str, *, name: str, is_active: bool):
    """A cost center's or voucher type's name and whether it is offered, with its activity-log event."""
    before = {"name": item.name, "is_active": item.is_active}
    item.name = name.strip()
    item.is_active = is_active
    with transaction.atomic():
        item.save(update_fields=["name", "is_active"])
        was, now = changes(before, {"name": item.name, "is_active": is_active})
        audit_record(action=action, target=item, before=was, after=now)
    return item


def voucher_type_create(*, code: str, name: str) -> VoucherType:
    """A company's own voucher type, with its own consecutive from 1."""
    if not VOUCHER_CODE.match(code.strip().upper()):
        raise BooksError(_("The code has 1 to 5 letters or digits, for example NM for payroll."))
    exists = _("A voucher type with code %(code)s already exists.")
    return _catalog_item_create(VoucherType, "voucher_type.created", code, name, exists)


def voucher_type_update(*, voucher_type: VoucherType, name: str, is_active: bool) -> VoucherType:
    return _catalog_item_update(voucher_type, "voucher_type.updated", name=name, is_active=is_active)


# Importing terceros ------------------------------------------------------------------------------

THIRD_PARTIES = TableSpec(
    headers={
        "person_type": "Tipo de persona",
        "document_type": "Tipo de documento",
        "number": "Número",
        "check_digit": "DV",
        "business_name": "Razón social",
        "first_names": "Nombres",
        "last_names": "Apellidos",
        "email": "Correo electrónico",
        "phone": "Teléfono",
        "address": "Dirección",
        "city": "Ciudad",
        "is_active": "Activo",
    },
    aliases={
        "number": ("numero de documento", "nit", "documento", "identificacion"),
        "check_digit": ("digito de verificacion", "dv"),
        "business_name": ("nombre", "nombre o razon social", "razon social o nombre"),
        "email": ("correo", "email", "e mail"),
        "phone": ("telefono", "celular", "movil"),
        "address": ("direccion",),
    },
    required=("number",),
    max_rows=20_000,
    max_bytes=10 * 1024 * 1024,
)
PERSON_TYPES = {
    "natural": "natural",
    "persona natural": "natural",
    "juridica": "juridica",
    "persona juridica": "juridica",
}
DOCUMENT_TYPES = {
    "nit": DocumentType.NIT,
    "cc": DocumentType.CC,
    "cedula": DocumentType.CC,
    "cedula de ciudadania": DocumentType.CC,
    "ce": DocumentType.CE,
    "cedula de extranjeria": DocumentType.CE,
    "pasaporte": DocumentType.PASSPORT,
    "passport": DocumentType.PASSPORT,
    "nit extranjero": DocumentType.FOREIGN_NIT,
    "foreign tax id": DocumentType.FOREIGN_NIT,
}


@dataclass
class ThirdPartiesImport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def third_parties_import(*, file_name: str, data: bytes) -> ThirdPartiesImport:
    """Create the file's new terceros and update the names and contact data of those that exist (their
    document stays). Each row stands alone: a bad row is reported with its number and the rest go in.
    Raises FileProblem for a file that cannot be read."""
    table = read_table(spec=THIRD_PARTIES, file_name=file_name, data=data)
    result = ThirdPartiesImport()
    for row in table.rows:
        values = {key: str(value).strip() for key, value in row.values.items()}
        document_type = DOCUMENT_TYPES.get(search_normalize(values.get("document_type", "")) or "nit")
        person_type = PERSON_TYPES.get(search_normalize(values.get("person_type", "")))
        fields = {key: values.get(key, "") for key in THIRD_PARTY_FIELDS if key != "person_type"}
        try:
            if document_type is None:
                raise BooksError(_("“%(value)s” is not a document type") % {"value": values["document_type"]})
            document = document_parse(
                document_type=document_type, raw=values["number"], check_digit=values.get("check_digit", "")
            )
            person_type = person_type or (
                ThirdParty.PersonType.LEGAL if fields["business_name"] else ThirdParty.PersonType.NATURAL
            )
            with transaction.atomic():
                existing = ThirdParty.objects.filter(
                    document_type=document_type, number=document.number
                ).first()
                if existing is None:
                    _third_party_create(
                        document_type=document_type,
                        number=document.number,
                        check_digit=document.check_digit,
                        person_type=person_type,
                        **fields,
                    )
                    result.created += 1
                else:
                    _third_party_update(third_party=existing, person_type=person_type, **fields)
                    result.updated += 1
        except BooksError as error:
            result.errors.append(_("Row %(row)s: %(problem)s") % {"row": row.number, "problem": error})
    # One event for the file (up to 20,000 rows), recorded once its rows are in.
    audit_record(
        action="third_parties.imported",
        object_type="thirdparty",
        object_label=file_name[:200],
        summary=AuditText(
            gettext_noop("%(created)s created, %(updated)s updated, %(errors)s errors"),
            created=result.created,
            updated=result.updated,
            errors=len(result.errors),
        ),
        after={"created": result.created, "updated": result.updated, "errors": len(result.errors)},
    )
    return result
