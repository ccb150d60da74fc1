"""Demo indicators and benefits (seed_demo); admins manage the real ones in Django admin."""

from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from .models import Benefit, Resource

DEMO_TEXTS = Path(__file__).resolve().parent / "data" / "demo"


def _text(name: str) -> str:
    return (DEMO_TEXTS / name).read_text(encoding="utf-8").strip()


def seed_resources() -> None:
    """A few real indicators and a benefit for the demo (admins manage the real ones in Django admin)."""
    today = timezone.localdate()
    resources = [
        {
            "kind": "news",
            "title": "El calendario tributario 2027 ya se conoce: Decreto 2229 de 2023",
            "summary": "Renta, IVA, retención y régimen simple de 2027 siguen las reglas permanentes del "
            "Decreto 2229 de 2023. Las fechas de tus clientes ya están en el calendario.",
            "body": _text("calendario-2027.txt"),
            "pinned": True,
            "published_on": date(2026, 11, 20),
        },
        {
            "kind": "guide",
            "title": "Guía: cómo declarar IVA bimestral paso a paso",
            "summary": "Quién declara cada dos o cada cuatro meses, el formulario 300 paso a paso y los "
            "errores que generan sanciones.",
            "body": _text("guia-iva-bimestral.txt"),
            "pinned": False,
            "published_on": date(2026, 10, 6),
        },
        {
            "kind": "webinar",
            "title": "Webinar: cierre contable y fiscal de fin de año",
            "summary": "Una hora con la agenda del cierre: conciliaciones, ajustes, cierre de resultados, "
            "exógena y renta.",
            "body": _text("webinar-cierre.txt"),
            "pinned": False,
            "published_on": today - timedelta(days=3),
        },
        {
            "kind": "tool",
            "title": "Calculadora del dígito de verificación (DV)",
            "summary": "Calcula el DV de un NIT colombiano o comprueba si el que te dieron es correcto.",
            "body": "",
            "tool": "nit_dv",
            "pinned": False,
            "published_on": date(2026, 9, 1),
        },
    ]
    # The first demo's titles, replaced by these entries on a re-run.
    Resource.objects.filter(title="DIAN publica el calendario tributario 2027").delete()
    for fields in resources:
        Resource.objects.update_or_create(title=fields["title"], defaults={**fields, "countries": ["CO"]})
    Benefit.objects.get_or_create(
        title="20 % de descuento en el diplomado de NIIF",
        defaults={
            "partner": "Instituto Contable Andino",
            "description": "Para contadores de Colombia.",
            "how_to_redeem": "Usa el código al inscribirte.",
            "code": "PORTAL20",
            "countries": ["CO"],
            "valid_until": today + timedelta(days=90),
            "plans": ["trial", "paid"],
        },
    )
