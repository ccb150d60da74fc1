from django.db import migrations

STANDARD_TYPES = [
    ("SI", "Saldos iniciales"),
    ("CC", "Comprobante contable"),
    ("FV", "Factura de venta"),
    ("FC", "Factura de compra"),
    ("RC", "Recibo de caja"),
    ("CE", "Comprobante de egreso"),
    ("NC", "Nota crédito"),
    ("ND", "Nota débito"),
    ("CI", "Cierre"),
]


def seed(apps, schema_editor):
    VoucherType = apps.get_model("books", "VoucherType")
    for code, name in STANDARD_TYPES:
        VoucherType.objects.get_or_create(code=code, defaults={"name": name, "is_system": True})


class Migration(migrations.Migration):
    dependencies = [("books", "0004_account_code_structure")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
