"""A year of realistic books for a demo company (seed_demo): opening balances, sales with IVA and their cost,
collections, purchases, payments to suppliers, payroll, utilities, bank fees and the bimonthly IVA, with the
terceros and cost centers they use. Deterministic for a given seed; run inside the company's schema."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.co import nit

from .models import Account, Balance, Entry, ThirdParty, VoucherType
from .services.catalogs import cost_center_create, third_party_create
from .services.chart import account_create
from .services.entries import LineInput, NewEntry, entries_post_many, entry_annul, entry_save_draft

IVA = Decimal("0.19")
BANK = "111005"  # bancos, cuenta corriente
CLIENTS = [
    "Supermercados La Canasta S.A.S.",
    "Hotel Cordillera Ltda.",
    "Restaurante El Fogón S.A.S.",
    "Colegio San Bernardo",
    "Droguería Vida Sana S.A.S.",
    "Constructora Horizonte S.A.",
    "Tienda Doña Rosa",
    "Clínica del Norte S.A.S.",
]
SUPPLIERS = [
    "Distribuidora Nacional de Alimentos S.A.",
    "Empaques del Valle S.A.S.",
    "Transportes Rápido Andino Ltda.",
    "Importadora Pacífico S.A.S.",
]
UTILITIES = [("513530", "Enel Colombia S.A. E.S.P."), ("513535", "Comunicaciones Celulares S.A.")]
EMPLOYEES = [("Ana María", "Gómez Restrepo"), ("Carlos", "Pérez Núñez"), ("Luisa Fernanda", "Ortiz Peña")]


def _cents(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def _nit(number: int) -> str:
    return f"{number}-{nit.calc_check_digit(str(number))}"


def _catalogs(rng: random.Random) -> dict:
    """The terceros, cost centers and the inventory account the demo posts to (made once)."""
    base = 900_100_000 + rng.randint(0, 800_000) * 100
    clients = [
        third_party_create(
            document_type="nit",
            number=_nit(base + n),
            person_type="juridica",
            business_name=name,
            city=rng.choice(["Bogotá", "Medellín", "Cali", "Bucaramanga"]),
        )
        for n, name in enumerate(CLIENTS)
    ]
    suppliers = [
        third_party_create(
            document_type="nit", number=_nit(base + 50 + n), person_type="juridica", business_name=name
        )
        for n, name in enumerate(SUPPLIERS)
    ]
    utilities = {
        code: third_party_create(
            document_type="nit", number=_nit(base + 80 + n), person_type="juridica", business_name=name
        )
        for n, (code, name) in enumerate(UTILITIES)
    }
    employees = [
        third_party_create(
            document_type="cc",
            number=str(52_000_000 + base % 1_000_000 + n),
            person_type="natural",
            first_names=first,
            last_names=last,
        )
        for n, (first, last) in enumerate(EMPLOYEES)
    ]
    dian = ThirdParty.objects.filter(number="800197268").first() or third_party_create(
        document_type="nit",
        number="800197268-4",
        person_type="juridica",
        business_name="Dirección de Impuestos y Aduanas Nacionales - DIAN",
    )
    centers = {
        code: cost_center_create(code=code, name=name)
        for code, name in [("ADM", "Administración"), ("VEN", "Ventas"), ("LOG", "Logística")]
    }
    if not Account.objects.filter(code="143505").exists():
        account_create(
            parent=Account.objects.get(code="1435"), code="143505", name="MERCANCÍAS PARA LA VENTA"
        )
    return {
        "clients": clients,
        "suppliers": suppliers,
        "utilities": utilities,
        "employees": employees,
        "dian": dian,
        "centers": centers,
    }


def _line(account, debit=0, credit=0, third_party=None, center=None, description=""):
    return LineInput(
        account=account,
        debit=_cents(debit),
        credit=_cents(credit),
        third_party=third_party.pk if third_party else None,
        cost_center=center.pk if center else None,
        description=description,
    )


def _month_entries(rng, month: date, c: dict, types: dict) -> list[NewEntry]:
    """A month of a small trading company: sales, purchases, payroll, utilities and bank fees (in this
    order, so that a seed gives the same books every time)."""
    entries = []

    def add(code, day, description, lines):
        entries.append(
            NewEntry(
                voucher_type_id=types[code], day=month.replace(day=day), description=description, lines=lines
            )
        )

    for month_part in (_sales, _purchases, _payroll, _utilities_and_fees):
        month_part(rng, month, c, add)
    return entries


def _sales(rng, month: date, c: dict, add) -> None:
    """Sales with IVA and their cost, most collected within the month."""
    for _n in range(rng.randint(6, 9)):
        client = rng.choice(c["clients"])
        base = rng.randint(400, 9_000) * 1000
        day = rng.randint(1, 24)
        add(
            "FV",
            day,
            f"Venta a {client.display_name}",
            [
                _line("130505", base * (1 + IVA), third_party=client),
                _line("413595", credit=base, third_party=client, center=c["centers"]["VEN"]),
                _line("240800", credit=base * IVA, third_party=c["dian"]),
                _line("613595", base * 0.6, center=c["centers"]["VEN"]),
                _line("143505", credit=base * 0.6),
            ],
        )
        if rng.random() < 0.85:
            add(
                "RC",
                min(day + rng.randint(1, 4), 28),
                f"Recaudo {client.display_name}",
                [
                    _line(BANK, base * (1 + IVA), third_party=client),
                    _line("130505", credit=base * (1 + IVA), third_party=client),
                ],
            )


def _purchases(rng, month: date, c: dict, add) -> None:
    """Purchases of merchandise with IVA descontable, paid later."""
    for _n in range(rng.randint(2, 4)):
        supplier = rng.choice(c["suppliers"])
        base = rng.randint(1_000, 12_000) * 1000
        day = rng.randint(1, 20)
        add(
            "FC",
            day,
            f"Compra a {supplier.display_name}",
            [
                _line("143505", base, third_party=supplier),
                _line("240800", base * IVA, third_party=c["dian"]),
                _line("2205", credit=base * (1 + IVA), third_party=supplier),
            ],
        )
        add(
            "CE",
            min(day + rng.randint(3, 8), 28),
            f"Pago a {supplier.display_name}",
            [
                _line("2205", base * (1 + IVA), third_party=supplier),
                _line(BANK, credit=base * (1 + IVA), third_party=supplier),
            ],
        )


def _payroll(rng, month: date, c: dict, add) -> None:
    """The month's payroll, owed on the 28th and paid the same day."""
    payroll = [(employee, rng.choice([1_750_000, 2_300_000, 3_100_000])) for employee in c["employees"]]
    add(
        "CC",
        28,
        f"Nómina {month:%m/%Y}",
        [
            *[
                _line("510506", salary, third_party=employee, center=c["centers"]["ADM"])
                for employee, salary in payroll
            ],
            *[_line("2505", credit=salary, third_party=employee) for employee, salary in payroll],
        ],
    )
    add(
        "CE",
        28,
        f"Pago nómina {month:%m/%Y}",
        [
            *[_line("2505", salary, third_party=employee) for employee, salary in payroll],
            *[_line(BANK, credit=salary, third_party=employee) for employee, salary in payroll],
        ],
    )


def _utilities_and_fees(rng, month: date, c: dict, add) -> None:
    """Each utility's bill, paid from the bank, and the bank's monthly fees."""
    for code, company in c["utilities"].items():
        amount = rng.randint(180, 900) * 1000
        add(
            "CE",
            rng.randint(5, 15),
            f"Servicio {company.display_name}",
            [
                _line(code, amount, third_party=company, center=c["centers"]["ADM"]),
                _line(BANK, credit=amount, third_party=company),
            ],
        )
    fee = rng.randint(15, 60) * 1000
    add(
        "CC",
        28,
        "Gastos bancarios",
        [_line("530505", fee, center=c["centers"]["ADM"]), _line(BANK, credit=fee)],
    )


def _iva_payment(month: date, types: dict, c: dict) -> NewEntry | None:
    """The bimonthly IVA: the net of 240800 over the two months before, paid in the month after."""
    start = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    start = (start - timedelta(days=1)).replace(day=1)
    rows = Balance.objects.filter(account_id="240800", period__gte=start, period__lt=month)
    net = sum((row.credit - row.debit for row in rows), Decimal(0))
    if net <= 0:
        return None
    return NewEntry(
        voucher_type_id=types["CE"],
        day=month.replace(day=12),
        description="Pago IVA bimestral",
        lines=[
            _line("240800", net, third_party=c["dian"]),
            _line(BANK, credit=net, third_party=c["dian"]),
        ],
    )


def seed_books(*, seed: int, months: int = 12, user=None) -> int:
    """A year of books ending last month, in the current company schema. Idempotent: nothing when there are
    comprobantes already. Returns the number of comprobantes posted."""
    if Entry.objects.exists() or not Account.objects.filter(code=BANK).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    for _n in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    with transaction.atomic():
        catalogs = _catalogs(rng)
        types = dict(VoucherType.objects.values_list("code", "pk"))
        opening = NewEntry(
            voucher_type_id=types["SI"],
            day=first,
            description="Saldos iniciales",
            lines=[
                _line(BANK, 85_000_000),
                _line("110505", 3_000_000),
                _line("143505", 60_000_000),
                _line("311505", credit=148_000_000),
            ],
        )
        posted = len(entries_post_many(entries=[opening], user=user, source=Entry.Source.OPENING))
        month = first
        for _n in range(months):
            batch = _month_entries(rng, month, catalogs, types)
            if month.month % 2 == 1 and month != first:
                payment = _iva_payment(month, types, catalogs)
                batch += [payment] if payment else []
            batch.sort(key=lambda entry: entry.day)
            posted += len(entries_post_many(entries=batch, user=user, source=Entry.Source.MANUAL))
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        entry_annul(
            entry=Entry.objects.filter(voucher_type__code="RC").order_by("-date").first(),
            user=user,
            reason="Recaudo registrado dos veces",
        )
        entry_save_draft(
            voucher_type=VoucherType.objects.get(code="CC"),
            day=today,
            user=user,
            description="Causación de arriendo (pendiente de revisar)",
            lines=[_line("512010", 2_500_000, center=catalogs["centers"]["ADM"])],
        )
    return posted
