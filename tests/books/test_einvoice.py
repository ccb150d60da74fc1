"""DIAN's electronic documents read into plain values; a bad file ends in its Spanish message."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from books.einvoice import FileError, UnpackedFile, read_documents
from books.einvoice.documents import (
    PURCHASE,
    SALE,
    Difference,
    Document,
    TaxAmount,
    differences,
    direction_for,
    plain_tax_id,
)
from books.einvoice.ubl import read_document

from .einvoice_files import (
    CUFE,
    PDF,
    DocumentData,
    PartyData,
    application_response,
    attached_document,
    invoice_xml,
    zip_bytes,
)

PEPPOL = DocumentData(
    dian=False,
    profile="urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
    customization="urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
)


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


def read(files: dict[str, bytes]) -> list:
    return list(read_documents(files.items()))


def test_an_attached_document_as_providers_send_it():
    document = read_document(attached_document(), "ad0900123456.xml")
    assert (document.kind, document.type_code, document.number) == ("Invoice", "01", "SETP990000123")
    assert (document.prefix, document.folio, document.cufe) == ("SETP", "990000123", CUFE)
    assert (document.issue_date, document.due_date, document.currency) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
        "COP",
    )
    assert document.dian_response_code == "02"
    supplier = document.supplier
    assert (supplier.id_scheme, supplier.id_number, supplier.check_digit) == ("31", "900123456", "7")
    assert supplier.legal_name == "Proveedora Andina S.A.S."
    assert supplier.responsibilities == ("O-13", "O-15")
    assert (supplier.email, supplier.phone, supplier.organization_type) == (
        "facturas@andina.co",
        "6015551234",
        "1",
    )
    assert (supplier.address.department_code, supplier.address.municipality_code) == ("11", "11001")
    assert supplier.address.line == "Calle 100 # 10-20"
    assert document.customer.id_number == "800197268"
    assert differences(document) == []


def test_lines_taxes_and_totals():
    data = DocumentData(
        charge=Decimal("20000"),
        withholdings=[
            ("06", Decimal("225000"), Decimal("2.5"), Decimal("5625")),
            ("07", Decimal("225000"), Decimal("0.966"), Decimal("2173.50")),
        ],
    )
    document = read_document(invoice_xml(data), "f.xml")
    paper, courier = document.lines
    assert (paper.description, paper.quantity, paper.net_amount) == (
        "Resmas de papel carta",
        Decimal("10"),
        Decimal("145000.00"),
    )
    assert paper.taxes == (TaxAmount("01", Decimal("19"), Decimal("145000.00"), Decimal("27550.00")),)
    assert paper.allowances_charges[0].amount == Decimal("5000")
    assert courier.taxes == (TaxAmount("04", Decimal("8"), Decimal("80000.00"), Decimal("6400.00")),)
    assert {(tax.scheme, tax.rate, tax.amount) for tax in document.taxes} == {
        ("01", Decimal("19"), Decimal("27550.00")),
        ("04", Decimal("8"), Decimal("6400.00")),
    }
    assert [(tax.scheme, tax.amount) for tax in document.withholdings] == [
        ("06", Decimal("5625")),
        ("07", Decimal("2173.50")),
    ]
    assert document.allowances_charges[0].is_charge and document.allowances_charges[0].reason == "Flete"
    totals = document.totals
    assert (totals.line_extension, totals.tax_exclusive, totals.tax_inclusive) == (
        Decimal("225000.00"),
        Decimal("225000.00"),
        Decimal("258950.00"),
    )
    assert (totals.charge_total, totals.allowance_total, totals.payable) == (
        Decimal("20000"),
        Decimal("0.00"),
        Decimal("278950.00"),
    )
    assert all(isinstance(value, Decimal) for value in vars(totals).values())
    assert differences(document) == []


def test_a_document_that_does_not_add_up_says_where():
    document = read_document(invoice_xml(DocumentData(payable_extra=Decimal("1000"))), "f.xml")
    assert differences(document) == [Difference("PayableAmount", Decimal("259950.00"), Decimal("258950.00"))]
    lines = list(document.lines)
    lines[0] = type(lines[0])(**{**vars(lines[0]), "net_amount": Decimal("1")})
    changed = Document(**{**vars(document), "lines": tuple(lines)})
    assert [difference.what for difference in differences(changed)] == [
        "LineExtensionAmount",
        "PayableAmount",
    ]
    lines[1] = type(lines[1])(**{**vars(lines[1]), "taxes": ()})
    changed = Document(**{**vars(document), "lines": tuple(lines)})
    assert differences(changed)[-1] == Difference("TaxTotal 04 8%", Decimal("6400.00"), Decimal("0"))


@pytest.mark.parametrize("type_code", ["01", "02", "03", "05"])
def test_bare_invoices_of_every_type(type_code):
    document = read_document(invoice_xml(DocumentData(type_code=type_code)), "f.xml")
    assert (document.kind, document.type_code) == ("Invoice", type_code)


def test_credit_and_debit_notes_with_their_invoice():
    for kind, code in (("CreditNote", "91"), ("DebitNote", "92")):
        data = DocumentData(
            kind=kind, type_code=code, prefix="NC", folio="15", reference=("SETP990000123", CUFE)
        )
        document = read_document(invoice_xml(data), "nota.xml")
        assert (document.kind, document.type_code, document.number, document.due_date) == (
            kind,
            code,
            "NC15",
            None,
        )
        assert document.references[0].number == "SETP990000123"
        assert document.references[0].cufe == CUFE
        assert document.references[0].issue_date == date(2026, 11, 20)
        assert document.lines[0].quantity == Decimal("10")
        assert differences(document) == []


def test_a_natural_person_and_a_cedula():
    person = PartyData(
        nit="1020304050",
        dv="",
        scheme="13",
        name="Ana María Gómez",
        organization="2",
        person=("Ana", "María", "Gómez"),
    )
    document = read_document(invoice_xml(DocumentData(type_code="05", supplier=person)), "ds.xml")
    supplier = document.supplier
    assert (supplier.id_scheme, supplier.id_number, supplier.organization_type) == ("13", "1020304050", "2")
    assert (supplier.person.first_name, supplier.person.middle_name, supplier.person.family_name) == (
        "Ana",
        "María",
        "Gómez",
    )


def test_direction_for_a_company():
    document = read_document(invoice_xml(), "f.xml")
    assert direction_for(document, "800.197.268-4") == PURCHASE
    assert direction_for(document, "800197268") == PURCHASE
    assert direction_for(document, "900123456-7") == SALE
    assert direction_for(document, "811000111") is None
    assert direction_for(document, "") is None
    assert plain_tax_id("900.123.456-7") == "900123456"


def test_the_prefix_without_dian_authorization_is_the_letters_before_the_folio():
    data = invoice_xml(DocumentData(prefix="FE", folio="0042")).replace(b"<sts:Prefix>FE</sts:Prefix>", b"")
    document = read_document(data, "f.xml")
    assert (document.prefix, document.folio) == ("FE", "0042")


BAD_FILES = {
    "peppol.xml": (
        invoice_xml(PEPPOL),
        "este documento UBL no es de la DIAN (no tiene la extensión ni el perfil de la DIAN).",
    ),
    "sin-cufe.xml": (invoice_xml(DocumentData(cufe=None)), "el documento no tiene CUFE ni CUDE (cbc:UUID)."),
    "factura.xml": (PDF, "es un PDF, no un archivo XML."),
    "cortado.xml": (invoice_xml()[:700], "el XML está incompleto o dañado (línea 2)."),
    "xxe.xml": (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>',
        "el XML declara un DOCTYPE o una ENTITY, que por seguridad no se aceptan.",
    ),
    "otro.xml": (
        b"<Order xmlns='urn:x'/>",
        "este XML no es una factura electrónica, una nota crédito ni una nota débito.",
    ),
    "fecha.xml": (
        invoice_xml().replace(b"<cbc:IssueDate>2026-12-01", b"<cbc:IssueDate>2026-13-01"),
        "el documento tiene un valor, una cantidad o una fecha que no se puede leer.",
    ),
    "valor.xml": (
        invoice_xml().replace(
            b">145000.00</cbc:LineExtensionAmount>", b">1E999999</cbc:LineExtensionAmount>"
        ),
        "el documento tiene un valor, una cantidad o una fecha que no se puede leer.",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_gets_its_message_and_the_batch_goes_on(name):
    data, message = BAD_FILES[name]
    found = read({"antes.xml": invoice_xml(), name: data, "despues.xml": attached_document()})
    assert [type(item) for item in found] == [Document, FileError, Document]
    assert found[1] == FileError(name, f"{name}: {message}")


def test_an_attached_document_whose_invoice_is_peppol_hostile_or_missing_is_refused():
    hostile = b'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>'
    found = read(
        {
            "ad.xml": attached_document(invoice_xml(PEPPOL)),
            "xxe.xml": attached_document(hostile),
            "vacio.xml": attached_document(b" "),
        }
    )
    assert [item.message for item in found] == [
        "ad.xml: este documento UBL no es de la DIAN (no tiene la extensión ni el perfil de la DIAN).",
        "xxe.xml: el XML declara un DOCTYPE o una ENTITY, que por seguridad no se aceptan.",
        "vacio.xml: el AttachedDocument no trae ningún documento.",
    ]


def test_a_zip_batch_with_pdfs_and_hostile_members():
    nested = zip_bytes(
        {"nota.xml": invoice_xml(DocumentData(kind="CreditNote", type_code="91")), "nota.pdf": PDF}
    )
    deeper = zip_bytes({"mas.zip": zip_bytes({"f.xml": invoice_xml()})})
    batch = zip_bytes(
        {
            "ad.xml": attached_document(),
            "ad.pdf": PDF,
            "../fuera.xml": invoice_xml(),
            "notas.zip": nested,
            "profundo.zip": deeper,
            "sin-cufe.xml": invoice_xml(DocumentData(cufe=None)),
        }
    )
    found = read({"mes.zip": batch, "roto.zip": b"PK\x03\x04broken", "suelta.xml": invoice_xml()})
    summary = [(type(item).__name__, item.name) for item in found]
    assert summary == [
        ("Document", "mes.zip › ad.xml"),
        ("UnpackedFile", "mes.zip › ad.pdf"),
        ("FileError", "mes.zip › ../fuera.xml"),
        ("Document", "mes.zip › notas.zip › nota.xml"),
        ("UnpackedFile", "mes.zip › notas.zip › nota.pdf"),
        ("FileError", "mes.zip › profundo.zip › mas.zip"),
        ("FileError", "mes.zip › sin-cufe.xml"),
        ("FileError", "roto.zip"),
        ("Document", "suelta.xml"),
    ]
    assert found[1] == UnpackedFile("mes.zip › ad.pdf", PDF)
    assert found[6].message == "mes.zip › sin-cufe.xml: el documento no tiene CUFE ni CUDE (cbc:UUID)."


def test_an_application_response_alone_is_not_a_document():
    found = read({"respuesta.xml": application_response()})
    assert (
        found[0].message
        == "respuesta.xml: este XML no es una factura electrónica, una nota crédito ni una nota débito."
    )
