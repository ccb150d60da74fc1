"""Demo data: workspaces with realistic Colombian companies and valid NITs (used by seed_demo)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from stdnum.co import nit

from accounts.demo import demo_user

from .models import Company, CompanyAccess, Country, Workspace, WorkspaceMember
from .services.companies import companies_create, company_new
from .services.provisioning import company_provision_later
from .services.workspaces import workspace_create
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
# 20 slots: mostly active, some requests waiting (pending), declined and revoked.
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
    workspace: Workspace
    number: int


def seed_demo(*, workspaces: int, companies: int, password: str, provision: bool = False) -> list[DemoLogin]:
    """Create (or complete) demo1..demoN@example.com, each linked to `companies` companies. Idempotent."""
    logins = []
    for number in range(1, workspaces + 1):
        email = f"demo{number}@example.com"
        with transaction.atomic():
            user = demo_user(email=email, full_name=f"Contador Demo {number}", password=password)
            membership = WorkspaceMember.objects.filter(user=user, role=WorkspaceMember.Role.OWNER).first()
            workspace = (
                membership.workspace
                if membership
                else workspace_create(owner=user, name=f"Contadores Demo {number}", country=Country.CO)
            )
        _seed_companies(workspace, number, companies)
        _seed_team(workspace, number, password)
        if provision:
            active = CompanyAccess.objects.filter(
                workspace=workspace,
                status=CompanyAccess.Status.ACTIVE,
                company__provisioning_status=Company.Provisioning.PENDING,
            ).order_by("company_id")
            company_provision_later(company_ids=active.values_list("company_id", flat=True))
        logins.append(DemoLogin(email, password, companies, workspace, number))
    return logins


def demo_team_emails(number: int) -> dict[str, str]:
    """The demo team of workspace `number`: a contador and an auxiliar (same password as the owner)."""
    return {
        WorkspaceMember.Role.ACCOUNTANT: f"contador.demo{number}@example.com",
        WorkspaceMember.Role.ASSISTANT: f"auxiliar.demo{number}@example.com",
    }


def _seed_team(workspace: Workspace, number: int, password: str) -> None:
    """A contador, responsable of the first two active companies, and an auxiliar on the first one."""
    from .services.team import assignment_add

    active = list(
        CompanyAccess.objects.filter(workspace=workspace, status=CompanyAccess.Status.ACTIVE).order_by(
            "company_id"
        )[:2]
    )
    names = {WorkspaceMember.Role.ACCOUNTANT: "Contadora", WorkspaceMember.Role.ASSISTANT: "Auxiliar"}
    with transaction.atomic():
        for role, email in demo_team_emails(number).items():
            user = demo_user(email=email, full_name=f"{names[role]} Demo {number}", password=password)
            member, _created = WorkspaceMember.objects.get_or_create(
                workspace=workspace, user=user, defaults={"role": role}
            )
            for access in active[: 2 if role == WorkspaceMember.Role.ACCOUNTANT else 1]:
                assignment_add(
                    access=access, member=member, responsible=role == WorkspaceMember.Role.ACCOUNTANT
                )


def _seed_companies(workspace: Workspace, number: int, count: int, batch: int = 2000) -> None:
    """The workspace's demo companies and requests that do not exist yet, in batches.

    Active and revoked ones are companies the workspace created; pending ones are requests for tax IDs
    no company has (they never get an answer); declined ones were asked to a company that said no.
    """
    now = timezone.now()
    for start in range(0, count, batch):
        indexes = range(start, min(start + batch, count))
        tax_ids = {index: demo_nit(number, index) for index in indexes}
        existing = set(
            CompanyAccess.objects.filter(
                workspace=workspace, country=Country.CO, tax_id__in=[t.tax_id for t in tax_ids.values()]
            ).values_list("tax_id", flat=True)
        )
        by_status: dict[str, list[Company]] = {}
        for index, tax_id in tax_ids.items():
            if tax_id.tax_id in existing:
                continue
            status = ACCESS_STATUS_CYCLE[index % len(ACCESS_STATUS_CYCLE)]
            by_status.setdefault(status, []).append(
                company_new(
                    name=demo_name(index + (number - 1) * 7),
                    country=Country.CO,
                    tax_id=tax_id,
                    sector=SECTORS[index % len(SECTORS)],
                    tax_responsibilities=RESPONSIBILITIES[index % len(RESPONSIBILITIES)],
                    phone=f"+57 3{(index * 7919) % 100_000_000:09d}"[:15],
                )
            )
        with transaction.atomic():
            for status in (CompanyAccess.Status.ACTIVE, CompanyAccess.Status.REVOKED):
                new = by_status.get(status, [])
                if new:
                    accesses = companies_create(companies=new, workspace=workspace, provision=False)
                    if status == CompanyAccess.Status.REVOKED:
                        CompanyAccess.objects.filter(pk__in=[a.pk for a in accesses]).update(
                            status=status, status_changed_at=now
                        )
            declined = by_status.get(CompanyAccess.Status.DECLINED, [])
            companies_create(companies=declined, provision=False)
            requests = [
                _demo_request(workspace, company, now, matched=None)
                for company in by_status.get(CompanyAccess.Status.PENDING, [])
            ] + [_demo_request(workspace, company, now, matched=company) for company in declined]
            CompanyAccess.objects.bulk_create(requests)


def _demo_request(workspace: Workspace, company: Company, now, matched: Company | None) -> CompanyAccess:
    """A link request as the accountant typed it; declined when a company (`matched`) answered."""
    access = CompanyAccess(
        workspace=workspace,
        name=company.name,
        country=company.country,
        tax_id=company.tax_id,
        check_digit=company.check_digit,
        matched_company=matched,
        status=CompanyAccess.Status.PENDING if matched is None else CompanyAccess.Status.DECLINED,
        created_at=now,
        requested_at=now,
        status_changed_at=now,
        decline_reason="" if matched is None else "Ya trabajamos con otra firma contable.",
    )
    access.fill_derived_fields()
    return access


def demo_active_companies(*, workspace: Workspace, count: int) -> list[Company]:
    """The workspace's first `count` active companies, their books prepared now (for the books demo)."""
    from .services.provisioning import company_provision

    accesses = CompanyAccess.objects.filter(workspace=workspace, status=CompanyAccess.Status.ACTIVE)
    ids = list(accesses.order_by("company_id").values_list("company_id", flat=True)[:count])
    return [company_provision(company_id=company_id) for company_id in ids]
