import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from firms.tax_ids import TaxId, tax_id_format, tax_id_parse


@pytest.mark.parametrize("raw", ["900.123.456-8", "9001234568", "900123456 8", " 900123456-8 "])
def test_colombian_nit_accepts_the_usual_ways_of_writing_it(raw):
    assert tax_id_parse(country="CO", raw=raw) == TaxId("900123456", "8")


@pytest.mark.parametrize("raw", ["900.123.456-7", "900123456", "12", "ABC", "9001234568888888888"])
def test_colombian_nit_with_a_wrong_check_digit_is_refused_in_spanish(raw):
    with translation.override("es-co"), pytest.raises(ValidationError) as error:
        tax_id_parse(country="CO", raw=raw)
    assert "dígito de verificación" in error.value.messages[0]


@pytest.mark.parametrize(
    ("country", "raw", "stored"),
    [
        ("MX", "ABC680524P76", TaxId("ABC680524P76", "")),
        ("CR", "3-101-123456", TaxId("3101123456", "")),
        ("DO", "1-01-85004-3", TaxId("101850043", "")),
        ("PE", "20131312955", TaxId("20131312955", "")),
        ("AR", "20-26756539-3", TaxId("20267565393", "")),
        ("ES", "A13585625", TaxId("A13585625", "")),
        ("CL", "76.086.428-5", TaxId("76086428", "5")),
        ("US", "04-2103594", TaxId("042103594", "")),
        ("PA", "155596713-2-2015 DV 59", TaxId("155596713-2-2015", "59")),
    ],
)
def test_each_country_version_validates_its_tax_id(country, raw, stored):
    assert tax_id_parse(country=country, raw=raw) == stored


@pytest.mark.parametrize(
    ("country", "raw"),
    [
        ("MX", "ABC68052"),
        ("CR", "3-101-12"),
        ("DO", "1-01-85004-4"),
        ("PE", "20131312954"),
        ("AR", "20-26756539-4"),
        ("ES", "A13585626"),
        ("CL", "76.086.428-6"),
        ("US", "07-2103594"),
        ("PA", "155596713"),
    ],
)
def test_each_country_version_refuses_an_invalid_tax_id(country, raw):
    with pytest.raises(ValidationError):
        tax_id_parse(country=country, raw=raw)


def test_empty_tax_id_is_refused():
    with pytest.raises(ValidationError):
        tax_id_parse(country="CO", raw="  ")


@pytest.mark.parametrize(
    ("country", "stored", "shown"),
    [
        ("CO", TaxId("900123456", "8"), "900.123.456-8"),
        ("CL", TaxId("76086428", "5"), "76.086.428-5"),
        ("PA", TaxId("155596713-2-2015", "59"), "155596713-2-2015 DV 59"),
        ("PE", TaxId("20131312955", ""), "20131312955"),
    ],
)
def test_tax_id_is_shown_as_people_write_it(country, stored, shown):
    assert tax_id_format(country=country, tax_id=stored.tax_id, check_digit=stored.check_digit) == shown
