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


def _seeded_names() -> dict[str, str]:
    """code → the Spanish name the reference-data migrations seed."""
    import importlib

    seeded = importlib.import_module("indicators.migrations.0002_reference_data").OBLIGATIONS
    natural = importlib.import_module("indicators.migrations.0003_personas_naturales_resource_tool")
    return {row[0]: row[1] for row in [*seeded, natural.PERSONAS_NATURALES]}


@pytest.mark.django_db
def test_obligations_are_named_in_the_readers_language_and_renamed_ones_as_typed():
    from django.utils import translation

    from indicators.models import STANDARD_OBLIGATION_NAMES

    seeded = _seeded_names()
    assert set(STANDARD_OBLIGATION_NAMES) == set(seeded.values())
    obligations = {o.code: o for o in TaxObligation.objects.all()}
    with translation.override("es-co"):  # Spanish: exactly the seeded names
        assert {code: o.display_name for code, o in obligations.items()} == seeded
    with translation.override("en"):
        english = {code: o.display_name for code, o in obligations.items()}
        assert english["iva_bimestral"] == "VAT, bimonthly: return and payment"
        assert english["retencion_fuente"] == "Withholding tax: monthly return and payment"
        assert not set(english.values()) & set(seeded.values())
        renamed = obligations["iva_bimestral"]
        renamed.name = "IVA bimestral (formulario 300)"  # changed in the admin: shown as typed
        assert renamed.display_name == str(renamed) == "IVA bimestral (formulario 300)"


@pytest.mark.django_db
def test_the_board_names_the_next_obligation_in_the_readers_language(accountant_client, linked_company):
    from datetime import date

    from django.utils import timezone

    from firms.models import CompanySnapshot

    CompanySnapshot.objects.update_or_create(
        company=linked_company,
        defaults={
            "next_due_date": date(2026, 3, 17),
            "next_due_obligation": "IVA bimestral: declaración y pago",
            "next_due_period": "2026-01/02",
            "refreshed_at": timezone.now(),
        },
    )
    assert "IVA bimestral: declaración y pago" in accountant_client.get("/contador/").content.decode()
    accountant_client.cookies["django_language"] = "en"
    body = accountant_client.get("/contador/").content.decode()
    assert "VAT, bimonthly: return and payment" in body and "IVA bimestral" not in body
    csv_text = accountant_client.get("/contador/tablero.csv").content.decode("utf-8-sig")
    assert '"VAT, bimonthly: return and payment"' in csv_text
