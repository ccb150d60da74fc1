"""Simulated accountants for `make loadtest` (Locust, headless; see loadtest/run.sh).

Each one logs in to one of the seeded workspaces (loadtest/seed.py writes the plan file this reads), then
does what an accountant's day is made of: the board, the company list and its filters, the company
switcher, a company's chart of accounts and comprobantes, posting a comprobante, the balance de prueba and
its XLSX. A page counts as an error unless it answers as a person would see it (status and content).
At the end the per-page p50/p95 and one line `p95_ms=N errors=N requests=N` go to LOADTEST_SUMMARY.
"""

import html
import itertools
import json
import os
import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ.get("LOADTEST_PLAN", "var/loadtest/plan.json"), encoding="utf-8").read())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ["a", "s.a.s", "comercial", "ltda", "servicios", "90", "andina", "café"]
_logins = itertools.count()

_today = datetime.now(ZoneInfo("America/Bogota")).date()
PERIOD_END = _today.replace(day=1) - timedelta(days=1)  # the seeded year ends last month
PERIOD_START = (PERIOD_END.replace(day=1) - timedelta(days=330)).replace(day=1)


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    if match is None:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


class Accountant(HttpUser):
    # A person reads a page before the next click: 3 to 8 seconds.
    wait_time = between(3, 8)

    def on_start(self):
        workspaces = PLAN["workspaces"]
        self.workspace = workspaces[next(_logins) % len(workspaces)]
        page = self.client.get("/cuentas/login/", name="login (form)")
        with self.client.post(
            "/cuentas/login/",
            data={
                "csrfmiddlewaretoken": _csrf(page),
                "login": self.workspace["email"],
                "password": PLAN["password"],
            },
            name="login",
            catch_response=True,
        ) as response:
            if not response.url.rstrip("/").endswith("/contador"):
                response.failure(f"login did not reach the workspace: {response.status_code} {response.url}")
                _keep_page("login-failed", response.text)

    def _page(self, url: str, name: str, expect: str | None = None, **kwargs):
        """GET a page; an error unless 200 (after redirects) and, if given, `expect` is on it."""
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} {response.error or ''}")
            elif "/cuentas/login/" in response.url:
                response.failure("sent to the login page")
            elif expect is not None and expect not in response.text:
                response.failure(f"{expect!r} not on the page")
            return response

    def _books_company(self) -> dict:
        return random.choice(self.workspace["books"])

    def _any_company(self) -> dict:
        return random.choice(self.workspace["books"] + self.workspace["others"])

    @task(3)
    def board(self):
        self._page("/contador/", "tablero", expect="Contadores Demo")

    @task(3)
    def company_list_filtered(self):
        query = random.choice(SEARCHES)
        self._page(
            f"/contador/?q={query}&status=active", "lista de empresas: filtro", headers={"HX-Request": "true"}
        )
        self._page(f"/contador/?page={random.randint(2, 3)}", "lista de empresas: página")

    @task(3)
    def switch_company(self):
        company = self._any_company()
        word = company["name"].split()[0][:6]
        htmx = {"HX-Request": "true"}
        self._page(f"/contador/cambiar-empresa/?q={word}", "cambiar de empresa: búsqueda", headers=htmx)
        self._page(f"/c/{company['slug']}/", "empresa: inicio", expect=html.escape(company["name"][:10]))

    @task(2)
    def chart_of_accounts(self):
        slug = self._books_company()["slug"]
        self._page(f"/c/{slug}/cuentas/", "plan de cuentas", expect="ACTIVO")
        self._page(f"/c/{slug}/cuentas/?cuenta=1110", "plan de cuentas: bancos", expect="111005")

    @task(2)
    def comprobantes(self):
        slug = self._books_company()["slug"]
        self._page(f"/c/{slug}/comprobantes/", "comprobantes: lista")
        self._page(f"/c/{slug}/comprobantes/?page=2", "comprobantes: página 2")

    @task(1)
    def post_comprobante(self):
        slug = self._books_company()["slug"]
        form = self._page(f"/c/{slug}/comprobantes/nuevo/", "comprobante nuevo (formulario)")
        if form.status_code != 200:
            return
        amount = random.randint(10_000, 9_000_000)
        day = PERIOD_END - timedelta(days=random.randint(0, 20))
        data = {
            "csrfmiddlewaretoken": _csrf(form),
            "voucher_type": _voucher_type_id(form.text),
            "date": day.isoformat(),
            "description": "Causación de prueba de carga",
            "action": "post",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "500",
            "lines-0-account": "513530",
            "lines-0-debit": f"{amount}",
            "lines-0-third_party": "800000001",
            "lines-1-account": "111005",
            "lines-1-credit": f"{amount}",
        }
        with self.client.post(
            f"/c/{slug}/comprobantes/nuevo/", data=data, name="comprobante: contabilizar", catch_response=True
        ) as response:
            if response.status_code != 200 or not re.search(r"/comprobantes/\d+/$", response.url):
                response.failure(f"not posted: {response.status_code} {response.url}")

    @task(1)
    def trial_balance(self):
        slug = self._books_company()["slug"]
        self._page(
            f"/c/{slug}/informes/balance-de-prueba/?desde={PERIOD_START}&hasta={PERIOD_END}&nivel=cuenta",
            "balance de prueba",
            expect="1105",
        )

    @task(1)
    def trial_balance_xlsx(self):
        slug = self._books_company()["slug"]
        with self.client.get(
            f"/c/{slug}/informes/balance-de-prueba/?desde={PERIOD_START}&hasta={PERIOD_END}&formato=xlsx",
            name="balance de prueba (XLSX)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                response.failure(f"no XLSX: {response.status_code} {response.headers.get('Content-Type')}")


def _keep_page(name: str, text: str) -> None:
    """A failed page, kept beside the summary to see what the person would have seen."""
    folder = os.path.dirname(os.environ.get("LOADTEST_SUMMARY", ""))
    if folder:
        with open(os.path.join(folder, f"{name}-{next(_kept)}.html"), "w", encoding="utf-8") as out:
            out.write(text)


_kept = itertools.count()
VOUCHER_OPTION = re.compile(r'<option value="(\d+)"[^>]*>\s*CC\b')


def _voucher_type_id(html: str) -> str:
    match = VOUCHER_OPTION.search(html)
    if match is None:
        raise ValueError("no CC voucher type on the form")
    return match.group(1)


@events.quitting.add_listener
def _summary(environment, **kwargs):
    """Per-page p50/p95, then one last line with the whole run's p95, errors and requests."""
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda e: e.name)
    width = max((len(e.name) for e in rows), default=10)
    lines = [f"{'page':{width}}  {'requests':>8}  {'errors':>6}  {'p50 ms':>7}  {'p95 ms':>7}"]
    for entry in rows:
        lines.append(
            f"{entry.name:{width}}  {entry.num_requests:8d}  {entry.num_failures:6d}  "
            f"{entry.get_response_time_percentile(0.5):7.0f}  {entry.get_response_time_percentile(0.95):7.0f}"
        )
    for error in stats.errors.values():
        lines.append(f"error: {error.name}: {error.error} ({error.occurrences}x)")
    total = stats.total
    lines.append(
        f"p95_ms={total.get_response_time_percentile(0.95):.0f} errors={total.num_failures} "
        f"requests={total.num_requests}"
    )
    path = os.environ.get("LOADTEST_SUMMARY")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
