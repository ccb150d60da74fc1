"""Spanish month and day names in lower case everywhere; English dates in English."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
MONTHS_ES += ["septiembre", "octubre", "noviembre", "diciembre"]


def _render(text, **context):
    return Template(text).render(Context(context))


@pytest.mark.parametrize("month", range(1, 13))
def test_spanish_dates_write_months_and_days_in_lower_case(month):
    day = date(2026, month, 15)
    with translation.override("es-co"):
        rendered = _render(
            '{{ d|date:"DATE_FORMAT" }} {{ d|date:"l" }} {{ d|date:"F Y" }} {{ d|date:"N" }}', d=day
        )
    assert MONTHS_ES[month - 1] in rendered
    assert rendered == rendered.lower(), rendered


def test_english_dates_stay_english():
    with translation.override("en"):
        rendered = _render('{{ d|date:"DATE_FORMAT" }} · {{ d|date:"l" }}', d=date(2026, 5, 15))
    assert rendered == "May 15, 2026 · Friday"


def test_the_plan_page_writes_the_trial_end_in_lower_case(accountant_client, workspace):
    workspace.trial_ends_on = date(2026, 12, 14)
    workspace.save(update_fields=["trial_ends_on"])
    body = accountant_client.get("/contador/plan/").content.decode()
    assert "14 de diciembre de 2026" in body


def test_the_plan_page_in_english_says_it_in_english(accountant_client, accountant, workspace):
    accountant_client.cookies["django_language"] = "en"
    workspace.trial_ends_on = date(2026, 12, 14)
    workspace.save(update_fields=["trial_ends_on"])
    body = accountant_client.get("/contador/plan/").content.decode()
    assert "Dec. 14, 2026" in body and " de diciembre" not in body and "Tu plan" not in body


def test_the_calendar_headings_follow_the_language(accountant_client, linked_company, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 3, 1))
    url = f"/c/{linked_company.slug}/calendario/"
    # Peña's NIT ends in 6: its IVA of January-February is due on Tuesday 17 March 2026.
    assert "Martes 17 de marzo de 2026" in accountant_client.get(url).content.decode()
    accountant_client.cookies["django_language"] = "en"
    body = accountant_client.get(url).content.decode()
    assert "Tuesday, March 17, 2026" in body and " de marzo" not in body


def test_emails_write_dates_in_lower_case(link_request_email_body):
    assert not any(f" de {m.capitalize()} " in link_request_email_body for m in MONTHS_ES)
    assert any(f" de {m} de " in link_request_email_body for m in MONTHS_ES)


@pytest.fixture
def link_request_email_body(workspace, accountant, company_andes, client_member):
    from django.core import mail

    from tests.invitations.conftest import deliver_all, request_link

    request_link(workspace, accountant)
    deliver_all()
    return mail.outbox[-1].body


def test_datetime_format_keeps_a_las(settings, db):
    settings.USE_TZ = False
    with translation.override("es-co"):
        assert _render('{{ d|date:"DATETIME_FORMAT" }}', d=datetime(2026, 5, 15, 14, 30, tzinfo=UTC)) == (
            "15 de mayo de 2026 a las 14:30"
        )
