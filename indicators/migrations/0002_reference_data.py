"""Reference data: which obligation applies to which RUT responsibilities, and the extra non-business days
of 2026 that the `holidays` package does not know (DIAN Comunicado 031-2026: 17 April, día cívico)."""

import datetime

from django.db import migrations

OBLIGATIONS = [
    # code, name, legal basis, requires, excludes, IVA periodicity
    ("renta_gc_pago_cuota1", "Renta grandes contribuyentes: pago primera cuota",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.11 (DUR 1625 de 2016)", ["13"], [], ""),
    ("renta_gc_declaracion_y_pago_cuota2", "Renta grandes contribuyentes: declaración y pago segunda cuota",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.11 (DUR 1625 de 2016)", ["13"], [], ""),
    ("renta_gc_pago_cuota3", "Renta grandes contribuyentes: pago tercera cuota",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.11 (DUR 1625 de 2016)", ["13"], [], ""),
    ("renta_pj_declaracion_y_pago_cuota1", "Renta personas jurídicas: declaración y pago primera cuota",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.12 (DUR 1625 de 2016)", ["05"], ["13"], ""),
    ("renta_pj_pago_cuota2", "Renta personas jurídicas: pago segunda cuota",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.12 (DUR 1625 de 2016)", ["05"], ["13"], ""),
    ("iva_bimestral", "IVA bimestral: declaración y pago",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.30; Estatuto Tributario art. 600", ["48"], ["47"], "bimestral"),
    ("iva_cuatrimestral", "IVA cuatrimestral: declaración y pago",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.31; Estatuto Tributario art. 600", ["48"], ["47"], "cuatrimestral"),
    ("retencion_fuente", "Retención en la fuente: declaración y pago mensual",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.33; Estatuto Tributario art. 606", ["07"], [], ""),
    ("rst_anticipo_bimestral", "Régimen simple: anticipo bimestral",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.52; Estatuto Tributario art. 910", ["47"], [], ""),
    ("rst_declaracion_anual_consolidada", "Régimen simple: declaración anual consolidada",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.50; Estatuto Tributario art. 910", ["47"], [], ""),
    ("rst_iva_declaracion_anual", "Régimen simple: declaración anual de IVA",
     "Decreto 2229 de 2023, art. 1.6.1.13.2.51; Estatuto Tributario art. 915", ["47", "48"], [], ""),
]


def load(apps, schema_editor):
    TaxObligation = apps.get_model("indicators", "TaxObligation")
    NonBusinessDay = apps.get_model("indicators", "NonBusinessDay")
    for order, (code, name, basis, requires, excludes, periodicity) in enumerate(OBLIGATIONS):
        TaxObligation.objects.update_or_create(
            code=code,
            defaults={"name": name, "legal_basis": basis, "requires": requires, "excludes": excludes,
                      "iva_periodicity": periodicity, "order": order},
        )
    NonBusinessDay.objects.get_or_create(
        day=datetime.date(2026, 4, 17), defaults={"name": "Día cívico (DIAN, Comunicado 031-2026)"}
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
