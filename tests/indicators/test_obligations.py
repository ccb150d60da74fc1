import pytest

from firms.models import Company
from indicators.models import TaxObligation
from indicators.selectors import company_obligations


def _codes(responsibilities, periodicity="bimestral"):
    company = Company(
        name="X",
        country="CO",
        tax_id="900123456",
        tax_responsibilities=responsibilities,
        iva_periodicity=periodicity,
    )
    return {o.code for o in company_obligations(company, list(TaxObligation.objects.filter(active=True)))}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("responsibilities", "periodicity", "expected"),
    [
        (
            ["13", "05"],
            "bimestral",
            {"renta_gc_pago_cuota1", "renta_gc_declaracion_y_pago_cuota2", "renta_gc_pago_cuota3"},
        ),
        (["05"], "bimestral", {"renta_pj_declaracion_y_pago_cuota1", "renta_pj_pago_cuota2"}),
        (
            ["05", "48"],
            "bimestral",
            {"renta_pj_declaracion_y_pago_cuota1", "renta_pj_pago_cuota2", "iva_bimestral"},
        ),
        (
            ["05", "48"],
            "cuatrimestral",
            {"renta_pj_declaracion_y_pago_cuota1", "renta_pj_pago_cuota2", "iva_cuatrimestral"},
        ),
        (["07"], "bimestral", {"retencion_fuente"}),
        (["47"], "bimestral", {"rst_anticipo_bimestral", "rst_declaracion_anual_consolidada"}),
        (
            ["47", "48"],
            "bimestral",
            {"rst_anticipo_bimestral", "rst_declaracion_anual_consolidada", "rst_iva_declaracion_anual"},
        ),
        (["42", "49"], "bimestral", set()),
    ],
)
def test_obligations_follow_the_rut_responsibilities(responsibilities, periodicity, expected):
    assert _codes(responsibilities, periodicity) == expected


@pytest.mark.django_db
def test_the_mapping_is_data_that_an_admin_can_change():
    TaxObligation.objects.filter(code="retencion_fuente").update(active=False)
    assert _codes(["07"]) == set()
    assert TaxObligation.objects.get(code="iva_bimestral").legal_basis.startswith("Decreto 2229 de 2023")


def _natural_codes(responsibilities):
    company = Company(
        name="María Peña",
        country="CO",
        tax_id="79123456",
        person_type="natural",
        tax_responsibilities=responsibilities,
    )
    return {o.code for o in company_obligations(company, list(TaxObligation.objects.filter(active=True)))}


@pytest.mark.django_db
def test_a_persona_natural_files_renta_as_a_person_and_iva_and_retencion_as_their_rut_says():
    assert _natural_codes(["05"]) == {"renta_personas_naturales"}
    assert _natural_codes(["05", "07", "48"]) == {
        "renta_personas_naturales",
        "retencion_fuente",
        "iva_bimestral",
    }
    assert _natural_codes(["05", "13"]) == {
        "renta_gc_pago_cuota1",
        "renta_gc_declaracion_y_pago_cuota2",
        "renta_gc_pago_cuota3",
    }
    assert "renta_personas_naturales" not in _codes(["05"])  # a persona jurídica does not
