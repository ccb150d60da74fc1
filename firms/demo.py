"""Demo data: workspaces with realistic Colombian companies and valid NITs (used by seed_demo)."""

from dataclasses import dataclass

from django.db import transaction
from stdnum.co import nit

from accounts.models import User

from .models import Company, CompanyAccess, Country, Workspace, WorkspaceMember
from .services import company_provision_later, workspace_create
from .tax_ids import TaxId

PREFIXES = [
    "Panadería",
    "Distribuidora",
    "Comercializadora",
    "Inversiones",
    "Constructora",
    "Transportes",
    "Ferretería",
    "Droguería",
    "Agropecuaria",
    "Consultores",
    "Laboratorios",
    "Textiles",
    "Café",
    "Servicios Integrales",
    "Soluciones Logísticas",
    "Importadora",
    "Confecciones",
    "Restaurante",
]
CORES = [
    "El Dorado",
    "La Esperanza",
    "Los Andes",
    "Peña",
    "Núñez",
    "Santa Fe",
    "del Caribe",
    "Antioqueña",
    "del Valle",
    "La Montaña",
    "San José",
    "Cordillera",
    "Andina",
    "Pacífico",
    "Magdalena",
    "Los Robles",
    "La Candelaria",
    "Boyacá",
    "Quindío",
    "Macondo",
    "Ibáñez",
    "Cañaveral",
    "Guatapé",
    "El Cafetal",
]
CITIES = [
    "",
    "de Bogotá",
    "de Medellín",
    "de Cali",
    "de Barranquilla",
    "de Bucaramanga",
    "de Pereira",
    "de Manizales",
    "de Cartagena",
    "de Cúcuta",
    "de Ibagué",
    "de Pasto",
    "de Villavicencio",
]
SUFFIXES = ["S.A.S.", "S.A.", "Ltda.", "& Cía. S.A.S."]
SECTORS = ["C", "G", "F", "H", "I", "M", "N", "A", "J", "Q"]
# 20 slots: mostly active, some pending, declined and revoked.
ACCESS_STATUS_CYCLE = (
    [CompanyAccess.Status.ACTIVE] * 14
    + [CompanyAccess.Status.PENDING] * 3
    + [CompanyAccess.Status.DECLINED] * 2
    + [CompanyAccess.Status.REVOKED]
)
RESPONSIBILITIES = [
    ["05", "07", "42", "48"],
    ["05", "42", "48"],
    ["47", "42"],
    ["05", "07", "13", "42", "48"],
]


NAME_SPACE = len(PREFIXES) * len(CORES) * len(CITIES) * len(SUFFIXES)


def demo_name(index: int) -> str:
    # A prime stride walks the whole name space in a mixed order: distinct names for the first NAME_SPACE.
    index = (index * 7919) % NAME_SPACE
    prefix = PREFIXES[index % len(PREFIXES)]
    index //= len(PREFIXES)
    core = CORES[index % len(CORES)]
    index //= len(CORES)
    city = CITIES[index % len(CITIES)]
    index //= len(CITIES)
    suffix = SUFFIXES[index % len(SUFFIXES)]
    return " ".join(part for part in (prefix, core, city, suffix) if part)


def demo_nit(workspace_number: int, index: int) -> TaxId:
    number = str(800_000_000 + workspace_number * 1_000_000 + index)
    return TaxId(number, nit.calc_check_digit(number))


@dataclass
class DemoLogin:
    email: str
    password: str
    companies: int


def seed_demo(*, workspaces: int, companies: int, password: str, provision: bool = False) -> list[DemoLogin]:
    """Create (or complete) demo1..demoN@example.com, each linked to `companies` companies. Idempotent."""
    logins = []
    for number in range(1, workspaces + 1):
        email = f"demo{number}@example.com"
        with transaction.atomic():
            user, _created = User.objects.get_or_create(
                email=email, defaults={"full_name": f"Contador Demo {number}"}
            )
            # The printed login must work, also on a re-run with another --password.
            user.set_password(password)
            user.save(update_fields=["password"])
            membership = WorkspaceMember.objects.filter(user=user, role=WorkspaceMember.Role.OWNER).first()
            workspace = (
                membership.workspace
                if membership
                else workspace_create(owner=user, name=f"Contadores Demo {number}", country=Country.CO)
            )
        company_ids = _seed_companies(workspace, number, companies)
        if provision:
            active = CompanyAccess.objects.filter(
                workspace=workspace,
                status=CompanyAccess.Status.ACTIVE,
                company__provisioning_status="pending",
            ).order_by("company_id")
            company_provision_later(company_ids=active.values_list("company_id", flat=True))
        logins.append(DemoLogin(email, password, len(company_ids)))
    return logins


def _seed_companies(workspace: Workspace, number: int, count: int, batch: int = 2000) -> list[int]:
    ids: list[int] = []
    for start in range(0, count, batch):
        with transaction.atomic():
            rows = []
            for index in range(start, min(start + batch, count)):
                tax_id = demo_nit(number, index)
                company = Company(
                    name=demo_name(index + (number - 1) * 7),
                    country=Country.CO,
                    tax_id=tax_id.tax_id,
                    check_digit=tax_id.check_digit,
                    sector=SECTORS[index % len(SECTORS)],
                    tax_responsibilities=RESPONSIBILITIES[index % len(RESPONSIBILITIES)],
                    phone=f"+57 3{(index * 7919) % 100_000_000:09d}"[:15],
                )
                company.fill_derived_fields()
                rows.append(company)
            Company.objects.bulk_create(rows, ignore_conflicts=True)
            by_tax_id = dict(
                Company.objects.filter(
                    country=Country.CO, tax_id__in=[row.tax_id for row in rows]
                ).values_list("tax_id", "id")
            )
            accesses = [
                CompanyAccess(
                    workspace=workspace,
                    company_id=by_tax_id[row.tax_id],
                    status=ACCESS_STATUS_CYCLE[(start + offset) % len(ACCESS_STATUS_CYCLE)],
                )
                for offset, row in enumerate(rows)
            ]
            CompanyAccess.objects.bulk_create(accesses, ignore_conflicts=True)
            ids.extend(by_tax_id[row.tax_id] for row in rows)
    return ids


def seed_admin(*, password: str) -> User:
    user, _created = User.objects.get_or_create(
        email="admin@example.com",
        defaults={"full_name": "Administrador", "is_staff": True, "is_superuser": True},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def seed_resources() -> None:
    """A few indicators and benefits for the demo (admins manage the real ones in Django admin)."""
    from datetime import timedelta

    from django.utils import timezone

    from indicators.models import Benefit, Resource

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
