from datetime import date

import pytest

from tests.factories import CompanyAccessFactory


@pytest.fixture
def today(monkeypatch):
    """Freeze "today" for the calendar: 1 March 2026 unless a test sets another day."""
    current = {"day": date(2026, 3, 1)}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: current["day"])
    return current


@pytest.fixture
def two_clients(workspace, linked_company, company_andes):
    """Peña (NIT ...6) and Andes (NIT ...4), both with RUT 05, 42 and 48, linked to the workspace."""
    CompanyAccessFactory(workspace=workspace, company=company_andes)
    return linked_company, company_andes
