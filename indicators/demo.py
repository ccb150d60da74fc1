"""Demo indicators and benefits (seed_demo); admins manage the real ones in Django admin."""

from datetime import timedelta

from django.utils import timezone

from .models import Benefit, Resource


def seed_resources() -> None:
    """A few indicators and benefits for the demo (admins manage the real ones in Django admin)."""
    today = timezone.localdate()
    resources = [
        (
            "news",
            "DIAN publica el calendario tributario 2027",
            "Las fechas de renta, IVA y retención para 2027, calculadas con el Decreto 2229 de 2023.",
            True,
        ),
        (
            "guide",
            "Guía: cómo declarar IVA bimestral paso a paso",
            "Formulario 300, plazos y errores frecuentes.",
            False,
        ),
        (
            "webinar",
            "Webinar: cierre contable y fiscal de fin de año",
            "Una hora con expertos, en vivo.",
            False,
        ),
        ("tool", "Calculadora del dígito de verificación (DV)", "Comprueba el NIT de tus clientes.", False),
    ]
    for kind, title, summary, pinned in resources:
        Resource.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "summary": summary,
                "body": summary,
                "countries": ["CO"],
                "pinned": pinned,
                "published_on": today - timedelta(days=len(title) % 20),
            },
        )
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
