"""Company tax IDs by country version: validation with python-stdnum, storage form and display form.

A tax ID is stored as (tax_id, check_digit): for Colombia the NIT without its DV and the DV;
for Chile the RUT and its verifier; for Panama the RUC and its two-digit DV; elsewhere the
compact number with an empty check digit.
"""

import re
from dataclasses import dataclass
from importlib import import_module

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError

# country code -> python-stdnum module that validates a company's tax ID (Panama has none).
STDNUM_MODULES = {
    "CO": "stdnum.co.nit",
    "MX": "stdnum.mx.rfc",
    "CR": "stdnum.cr.cpj",
    "DO": "stdnum.do.rnc",
    "PE": "stdnum.pe.ruc",
    "AR": "stdnum.ar.cuit",
    "ES": "stdnum.es.cif",
    "CL": "stdnum.cl.rut",
    "US": "stdnum.us.ein",
}
# Countries whose last character is a separate check digit.
SPLIT_CHECK_DIGIT = {"CO", "CL"}
# A Colombian cédula de ciudadanía: digits only (dots allowed when typed), 3 to 10 of them.
CEDULA = re.compile(r"^\d{3,10}$")
PANAMA_RUC = re.compile(r"^(?P<ruc>[0-9A-Z]+(?:-[0-9A-Z]+){0,3})\s*(?:-|\s)\s*(?:DV\s*)?(?P<dv>\d{2})$")


@dataclass(frozen=True)
class TaxId:
    tax_id: str
    check_digit: str


def tax_id_parse(*, country: str, raw: str, document_type: str = "nit") -> TaxId:
    """Validate a company tax ID typed for `country` and return its storage form.

    Colombia accepts "900.123.456-8", "9001234568" and "900123456 8"; a persona natural may be known
    by a cédula (document_type "cc": the number, no check digit). Raises ValidationError with a message
    in the user's language.
    """
    value = (raw or "").strip().upper()
    if not value:
        raise ValidationError(_("Enter the tax ID."), code="required")
    if country == "CO" and document_type == "cc":
        number = re.sub(r"[.\s]", "", value)
        if not CEDULA.match(number) or number.startswith("0"):
            raise ValidationError(
                _("Write the cédula's number only, without check digit: for example 79.123.456."),
                code="invalid",
            )
        return TaxId(number, "")
    if country == "PA":
        match = PANAMA_RUC.match(value)
        if not match:
            raise ValidationError(
                _("Enter the RUC followed by its two-digit DV, for example 155596713-2-2015 DV 59."),
                code="invalid",
            )
        return TaxId(match["ruc"], match["dv"])
    module_name = STDNUM_MODULES.get(country)
    if module_name is None:
        raise ValidationError(_("Unknown country version."), code="country")
    module = import_module(module_name)
    try:
        compact = module.validate(value)
    except StdnumError:
        if country == "CO":
            message = _(
                "The NIT or its check digit (DV) is not valid. Write the NIT followed by its DV, "
                "for example 900.123.456-8."
            )
        else:
            message = _("The tax ID is not valid for %(country)s.") % {"country": country_name(country)}
        raise ValidationError(message, code="invalid") from None
    if country in SPLIT_CHECK_DIGIT:
        return TaxId(compact[:-1], compact[-1])
    return TaxId(compact, "")


def tax_id_format(*, country: str, tax_id: str, check_digit: str) -> str:
    """The tax ID as people write it: 900.123.456-8 for a Colombian NIT."""
    if country == "PA":
        return f"{tax_id} DV {check_digit}"
    if country == "CO" and not check_digit:  # a cédula: no check digit
        return "CC " + f"{int(tax_id):,}".replace(",", ".") if tax_id.isdigit() else tax_id
    module_name = STDNUM_MODULES.get(country)
    number = f"{tax_id}{check_digit}"
    if module_name is None:
        return number
    formatter = getattr(import_module(module_name), "format", None)
    return formatter(number) if formatter else number


def country_name(code: str) -> str:
    from .models import Country

    return str(Country(code).label)
