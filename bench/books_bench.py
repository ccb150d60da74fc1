"""Books benchmarks (called by bench/run.py once Django is set up): the journal import of a 50,000-line file
and posting one comprobante through the form."""

import io
import random
import statistics
import time

from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from stdnum.co import nit

from books.models import Account, VoucherType
from books.services.journal import journal_confirm, journal_preview, journal_process, journal_summary
from books.services.journal_file import JOURNAL
from firms.models import Company, CompanyAccess
from firms.services.provisioning import company_provision

TYPES = ["CC", "FV", "FC", "RC", "CE"]


def bench_company(user, workspace, label: str) -> Company:
    """A new Colombian company with its books prepared, linked to the bench workspace."""
    tax_id = str(600_000_000 + (time.time_ns() // 1000) % 90_000_000)
    company = Company(
        name=f"Bench {label}", country="CO", tax_id=tax_id, check_digit=nit.calc_check_digit(tax_id)
    )
    company.save()
    CompanyAccess.objects.create(workspace=workspace, company=company, status="active")
    return company_provision(company_id=company.pk)


def drop(company: Company) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
    company.delete()


def journal_csv(lines: int, terceros: int = 2000, seed: int = 11) -> bytes:
    """About lines/4 balanced comprobantes over a year on ~100 movement accounts, `terceros` NITs."""
    rng = random.Random(seed)
    accounts = list(
        Account.objects.filter(code__regex=r"^[1-6]", children__isnull=True, level="subcuenta")
        .order_by("code")
        .values_list("code", flat=True)[:100]
    )
    nits = [str(800_000_000 + n * 7) for n in range(terceros)]
    out = io.StringIO()
    out.write(";".join(JOURNAL.headers.values()) + "\n")
    numbers = dict.fromkeys(TYPES, 0)
    written = 0
    while written < lines:
        kind = rng.choice(TYPES)
        numbers[kind] += 1
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        amounts = [rng.randint(1_000, 9_999_999) for _ in range(2)]
        rows = [(rng.choice(accounts), a, 0) for a in amounts] + [
            (rng.choice(accounts), 0, sum(amounts) - 100)
        ]
        rows.append((rng.choice(accounts), 0, 100))
        for account, debit, credit in rows:
            number = rng.choice(nits)
            third = f"{number}-{nit.calc_check_digit(number)}"
            out.write(
                f"{kind};{numbers[kind]};{day};{account};{third};Tercero {number};;Movimiento;"
                f"{debit if debit else ''};{credit if credit else ''}\n"
            )
            written += 1
    return out.getvalue().encode("utf-8")


def bench_journal_import(user, workspace, lines: int = 50_000):
    company = bench_company(user, workspace, "diario")
    try:
        with schema_context(company.schema_name):
            data = journal_csv(lines)
            start = time.perf_counter()
            job = journal_preview(file_name="diario.csv", data=data, user=user)
            preview = time.perf_counter() - start
            journal_confirm(job=job, company_id=company.pk)
            start = time.perf_counter()
            job = journal_process(job_id=job.pk, user=user)
            posting = time.perf_counter() - start
            summary = journal_summary(job)
        print(
            f"\nJournal import of a {lines:,}-line CSV ({job.total_entries:,} comprobantes, 2,000 terceros):"
        )
        print(f"  preview {preview:6.1f} s (goal < 15)")
        print(f"  confirm -> done {posting:6.1f} s (goal < 60), {summary.line()}")
    finally:
        from accountant_portal.celery import app

        app.control.purge()  # the job queued by the confirmation: run above already
        drop(company)


def bench_posting(user, workspace, runs: int = 40):
    """Server time of posting one 3-line comprobante from the form (the full middleware stack)."""
    company = bench_company(user, workspace, "formulario")
    try:
        with schema_context(company.schema_name):
            voucher = str(VoucherType.objects.get(code="CC").pk)
        client = Client()
        client.force_login(user)
        url = f"/c/{company.slug}/comprobantes/nuevo/"
        data = {
            "voucher_type": voucher,
            "date": "2026-03-10",
            "description": "Venta",
            "action": "post",
            "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "0",
        }
        for index, (account, debit, credit) in enumerate(
            [
                ("110505", "1.190.000", ""),
                ("413595", "", "1.000.000"),
                ("240800", "", "190.000"),
                ("519530", "", ""),
            ]
        ):
            data |= {
                f"lines-{index}-account": account,
                f"lines-{index}-debit": debit,
                f"lines-{index}-credit": credit,
            }
        samples = []
        for run in range(runs + 5):
            start = time.perf_counter()
            response = client.post(url, data)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 302, response.status_code
            if run >= 5:
                samples.append(elapsed)
        print(
            f"\nPosting one comprobante from the form, median of {runs}: "
            f"{statistics.median(samples):.1f} ms (goal < 100)"
        )
    finally:
        drop(company)
