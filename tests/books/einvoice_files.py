"""Electronic documents shaped as DIAN's Anexo Técnico 1.9 describes them, written for the tests.

`invoice_xml` writes an Invoice, CreditNote or DebitNote from a few lines (the totals computed as the
Anexo's rules say, so that the document adds up unless told otherwise); `attached_document` wraps one as
technology providers send it: UBL extensions with a signature, the document in CDATA, DIAN's
ApplicationResponse beside it.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
NAMESPACES = (
    f'xmlns:cac="{UBL}CommonAggregateComponents-2" xmlns:cbc="{UBL}CommonBasicComponents-2" '
    f'xmlns:ext="{UBL}CommonExtensionComponents-2" xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1" '
    'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"'
)
CUFE = "a" * 64 + "b" * 32
SIGNATURE = (
    '<ds:Signature Id="xmldsig-1"><ds:SignedInfo><ds:CanonicalizationMethod '
    'Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></ds:SignedInfo>'
    "<ds:SignatureValue>c2lnbmF0dXJl</ds:SignatureValue></ds:Signature>"
)
CENT = Decimal("0.01")


@dataclass
class PartyData:
    nit: str = "900123456"
    dv: str = "7"
    scheme: str = "31"
    name: str = "Proveedora Andina S.A.S."
    organization: str = "1"
    person: tuple[str, str, str] | None = None  # first, middle, family
    email: str = "facturas@andina.co"
    phone: str = "6015551234"
    levels: str = "O-13;O-15"


@dataclass
class LineData:
    description: str
    quantity: Decimal
    price: Decimal
    iva: Decimal | None = Decimal("19")
    discount: Decimal = Decimal("0")
    inc: Decimal | None = None


@dataclass
class DocumentData:
    kind: str = "Invoice"
    type_code: str = "01"
    prefix: str = "SETP"
    folio: str = "990000123"
    cufe: str | None = CUFE
    supplier: PartyData = field(default_factory=PartyData)
    customer: PartyData = field(
        default_factory=lambda: PartyData(nit="800197268", dv="4", name="Cliente Compradora S.A.S.")
    )
    lines: list[LineData] = field(
        default_factory=lambda: [
            LineData("Resmas de papel carta", Decimal("10"), Decimal("15000"), discount=Decimal("5000")),
            LineData("Servicio de mensajería", Decimal("1"), Decimal("80000"), iva=None, inc=Decimal("8")),
        ]
    )
    charge: Decimal = Decimal("0")
    withholdings: list[tuple[str, Decimal, Decimal, Decimal]] = field(default_factory=list)
    reference: tuple[str, str] | None = None  # number, CUFE
    dian: bool = True
    profile: str = "DIAN 2.1: Factura Electrónica de Venta"
    customization: str = "10"
    payable_extra: Decimal = Decimal("0")  # to make a document that does not add up


def _party(tag: str, party: PartyData) -> str:
    person = ""
    if party.person:
        first, middle, family = party.person
        person = (
            f"<cac:Person><cbc:FirstName>{first}</cbc:FirstName><cbc:MiddleName>{middle}</cbc:MiddleName>"
            f"<cbc:FamilyName>{family}</cbc:FamilyName></cac:Person>"
        )
    address = (
        "<cac:RegistrationAddress><cbc:ID>11001</cbc:ID><cbc:CityName>Bogotá, D.C.</cbc:CityName>"
        "<cbc:CountrySubentity>Bogotá</cbc:CountrySubentity><cbc:CountrySubentityCode>11</cbc:CountrySubentityCode>"
        "<cac:AddressLine><cbc:Line>Calle 100 # 10-20</cbc:Line></cac:AddressLine>"
        "<cac:Country><cbc:IdentificationCode>CO</cbc:IdentificationCode></cac:Country></cac:RegistrationAddress>"
    )
    company_id = (
        f'<cbc:CompanyID schemeAgencyID="195" schemeID="{party.dv}" schemeName="{party.scheme}">'
        f"{party.nit}</cbc:CompanyID>"
    )
    return (
        f"<cac:{tag}><cbc:AdditionalAccountID>{party.organization}</cbc:AdditionalAccountID><cac:Party>"
        f"<cac:PartyName><cbc:Name>{party.name}</cbc:Name></cac:PartyName>{person}"
        f"<cac:PartyTaxScheme><cbc:RegistrationName>{party.name}</cbc:RegistrationName>{company_id}"
        f'<cbc:TaxLevelCode listName="48">{party.levels}</cbc:TaxLevelCode>{address}'
        "<cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme>"
        f"<cac:PartyLegalEntity><cbc:RegistrationName>{party.name}</cbc:RegistrationName>{company_id}"
        "</cac:PartyLegalEntity>"
        f"<cac:Contact><cbc:Telephone>{party.phone}</cbc:Telephone>"
        f"<cbc:ElectronicMail>{party.email}</cbc:ElectronicMail></cac:Contact></cac:Party></cac:{tag}>"
    )


def _subtotal(scheme: str, name: str, taxable: Decimal, rate: Decimal, amount: Decimal) -> str:
    return (
        f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="COP">{taxable}</cbc:TaxableAmount>'
        f'<cbc:TaxAmount currencyID="COP">{amount}</cbc:TaxAmount><cac:TaxCategory>'
        f"<cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>{scheme}</cbc:ID><cbc:Name>{name}</cbc:Name>"
        "</cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"
    )


def _tax_total(tag: str, subtotals: list[tuple[str, str, Decimal, Decimal, Decimal]]) -> str:
    total = sum((item[4] for item in subtotals), Decimal("0"))
    inner = "".join(_subtotal(*item) for item in subtotals)
    return f'<cac:{tag}><cbc:TaxAmount currencyID="COP">{total}</cbc:TaxAmount>{inner}</cac:{tag}>'


def _line_taxes(line: LineData, net: Decimal) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
    taxes = []
    if line.iva is not None:
        taxes.append(("01", "IVA", net, line.iva, (net * line.iva / 100).quantize(CENT)))
    if line.inc is not None:
        taxes.append(("04", "INC", net, line.inc, (net * line.inc / 100).quantize(CENT)))
    return taxes


def _lines(data: DocumentData) -> tuple[str, Decimal, list]:
    tag = data.kind
    quantity_tag = {
        "Invoice": "InvoicedQuantity",
        "CreditNote": "CreditedQuantity",
        "DebitNote": "DebitedQuantity",
    }
    parts, total, taxes = [], Decimal("0"), []
    for number, line in enumerate(data.lines, 1):
        net = (line.quantity * line.price - line.discount).quantize(CENT)
        total += net
        line_taxes = _line_taxes(line, net)
        taxes += line_taxes
        allowance = ""
        if line.discount:
            allowance = (
                "<cac:AllowanceCharge><cbc:ID>1</cbc:ID><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
                f'<cbc:Amount currencyID="COP">{line.discount}</cbc:Amount></cac:AllowanceCharge>'
            )
        parts.append(
            f"<cac:{tag}Line><cbc:ID>{number}</cbc:ID>"
            f'<cbc:{quantity_tag[data.kind]} unitCode="94">{line.quantity}</cbc:{quantity_tag[data.kind]}>'
            f'<cbc:LineExtensionAmount currencyID="COP">{net}</cbc:LineExtensionAmount>{allowance}'
            + "".join(_tax_total("TaxTotal", [tax]) for tax in line_taxes)
            + f"<cac:Item><cbc:Description>{line.description}</cbc:Description></cac:Item>"
            f'<cac:Price><cbc:PriceAmount currencyID="COP">{line.price}</cbc:PriceAmount></cac:Price>'
            f"</cac:{tag}Line>"
        )
    return "".join(parts), total, taxes


def _grouped(taxes: list) -> list:
    groups: dict[tuple[str, Decimal], list] = {}
    for scheme, name, taxable, rate, amount in taxes:
        key = (scheme, rate)
        if key in groups:
            groups[key][2] += taxable
            groups[key][4] += amount
        else:
            groups[key] = [scheme, name, taxable, rate, amount]
    return [tuple(group) for group in groups.values()]


def _extensions(data: DocumentData) -> str:
    if not data.dian:
        return ""
    return (
        "<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><sts:DianExtensions>"
        "<sts:InvoiceControl><sts:InvoiceAuthorization>18760000001</sts:InvoiceAuthorization>"
        f"<sts:AuthorizedInvoices><sts:Prefix>{data.prefix}</sts:Prefix><sts:From>990000000</sts:From>"
        "<sts:To>995000000</sts:To></sts:AuthorizedInvoices></sts:InvoiceControl>"
        "</sts:DianExtensions></ext:ExtensionContent></ext:UBLExtension>"
        f"<ext:UBLExtension><ext:ExtensionContent>{SIGNATURE}</ext:ExtensionContent></ext:UBLExtension>"
        "</ext:UBLExtensions>"
    )


def _header(data: DocumentData) -> str:
    kind = data.kind
    type_code = f"<cbc:{kind}TypeCode>{data.type_code}</cbc:{kind}TypeCode>" if kind != "DebitNote" else ""
    cufe = f'<cbc:UUID schemeID="2" schemeName="CUFE-SHA384">{data.cufe}</cbc:UUID>' if data.cufe else ""
    due = "<cbc:DueDate>2026-12-31</cbc:DueDate>" if kind == "Invoice" else ""
    reference = ""
    if data.reference:
        reference = (
            f"<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{data.reference[0]}</cbc:ID>"
            f'<cbc:UUID schemeName="CUFE-SHA384">{data.reference[1]}</cbc:UUID>'
            "<cbc:IssueDate>2026-11-20</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>"
        )
    return (
        f"{_extensions(data)}<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>"
        f"<cbc:CustomizationID>{data.customization}</cbc:CustomizationID>"
        f"<cbc:ProfileID>{data.profile}</cbc:ProfileID><cbc:ProfileExecutionID>2</cbc:ProfileExecutionID>"
        f"<cbc:ID>{data.prefix}{data.folio}</cbc:ID>{cufe}<cbc:IssueDate>2026-12-01</cbc:IssueDate>"
        f"<cbc:IssueTime>10:15:00-05:00</cbc:IssueTime>{due}{type_code}"
        "<cbc:Note>Gracias por su compra</cbc:Note>"
        f"<cbc:DocumentCurrencyCode>COP</cbc:DocumentCurrencyCode>{reference}"
    )


def invoice_xml(data: DocumentData | None = None) -> bytes:
    data = data or DocumentData()
    lines, line_total, taxes = _lines(data)
    tax_sum = sum((tax[4] for tax in taxes), Decimal("0"))
    charge = ""
    if data.charge:
        charge = (
            "<cac:AllowanceCharge><cbc:ID>1</cbc:ID><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
            "<cbc:AllowanceChargeReason>Flete</cbc:AllowanceChargeReason>"
            f'<cbc:Amount currencyID="COP">{data.charge}</cbc:Amount></cac:AllowanceCharge>'
        )
    taxes_xml = "".join(_tax_total("TaxTotal", [group]) for group in _grouped(taxes))
    withholdings = "".join(
        _tax_total("WithholdingTaxTotal", [(scheme, "Rete", taxable, rate, amount)])
        for scheme, taxable, rate, amount in data.withholdings
    )
    total_tag = "RequestedMonetaryTotal" if data.kind == "DebitNote" else "LegalMonetaryTotal"
    payable = line_total + tax_sum + data.charge + data.payable_extra
    totals = (
        f'<cac:{total_tag}><cbc:LineExtensionAmount currencyID="COP">{line_total}</cbc:LineExtensionAmount>'
        f'<cbc:TaxExclusiveAmount currencyID="COP">{line_total}</cbc:TaxExclusiveAmount>'
        f'<cbc:TaxInclusiveAmount currencyID="COP">{line_total + tax_sum}</cbc:TaxInclusiveAmount>'
        f'<cbc:AllowanceTotalAmount currencyID="COP">0.00</cbc:AllowanceTotalAmount>'
        f'<cbc:ChargeTotalAmount currencyID="COP">{data.charge}</cbc:ChargeTotalAmount>'
        f'<cbc:PayableAmount currencyID="COP">{payable}</cbc:PayableAmount></cac:{total_tag}>'
    )
    body = (
        _header(data)
        + _party("AccountingSupplierParty", data.supplier)
        + _party("AccountingCustomerParty", data.customer)
        + f"{charge}{taxes_xml}{withholdings}{totals}{lines}"
    )
    root = f'<{data.kind} xmlns="{UBL}{data.kind}-2" {NAMESPACES}>{body}</{data.kind}>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + root).encode()


def application_response(cufe: str = CUFE, code: str = "02") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        f'<ApplicationResponse xmlns="{UBL}ApplicationResponse-2" {NAMESPACES}>'
        "<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID><cbc:ProfileID>DIAN 2.1</cbc:ProfileID>"
        f"<cbc:ID>9876543</cbc:ID><cbc:UUID>{'c' * 96}</cbc:UUID><cbc:IssueDate>2026-12-01</cbc:IssueDate>"
        "<cac:DocumentResponse><cac:Response><cbc:ResponseCode>"
        f"{code}</cbc:ResponseCode><cbc:Description>Documento validado por la DIAN</cbc:Description>"
        f"</cac:Response><cac:DocumentReference><cbc:ID>SETP990000123</cbc:ID><cbc:UUID>{cufe}</cbc:UUID>"
        "</cac:DocumentReference></cac:DocumentResponse></ApplicationResponse>"
    ).encode()


def attached_document(inner: bytes | None = None, response: bytes | None = None) -> bytes:
    """An AttachedDocument as technology providers e-mail it."""
    inner = inner if inner is not None else invoice_xml()
    response = response if response is not None else application_response()
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        f'<AttachedDocument xmlns="{UBL}AttachedDocument-2" {NAMESPACES}>'
        f"<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>{SIGNATURE}</ext:ExtensionContent>"
        "</ext:UBLExtension></ext:UBLExtensions><cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>"
        "<cbc:CustomizationID>Documentos adjuntos</cbc:CustomizationID>"
        "<cbc:ProfileID>Factura Electrónica de Venta</cbc:ProfileID>"
        "<cbc:ProfileExecutionID>1</cbc:ProfileExecutionID><cbc:ID>AD-1</cbc:ID>"
        "<cbc:IssueDate>2026-12-01</cbc:IssueDate><cbc:DocumentType>Contenedor de Factura Electrónica"
        "</cbc:DocumentType><cbc:ParentDocumentID>SETP990000123</cbc:ParentDocumentID>"
        "<cac:Attachment><cac:ExternalReference><cbc:MimeCode>text/xml</cbc:MimeCode>"
        "<cbc:EncodingCode>UTF-8</cbc:EncodingCode>"
        f"<cbc:Description><![CDATA[{inner.decode()}]]></cbc:Description></cac:ExternalReference></cac:Attachment>"
        "<cac:ParentDocumentLineReference><cbc:LineID>1</cbc:LineID><cac:DocumentReference>"
        "<cbc:ID>SETP990000123</cbc:ID><cac:Attachment><cac:ExternalReference><cbc:MimeCode>text/xml</cbc:MimeCode>"
        f"<cbc:Description><![CDATA[{response.decode()}]]></cbc:Description></cac:ExternalReference>"
        "</cac:Attachment></cac:DocumentReference></cac:ParentDocumentLineReference></AttachedDocument>"
    ).encode()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, compression)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
