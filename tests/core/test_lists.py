"""Dates and page numbers that list and report pages read from the address (core.lists): a date filter outside
1900–2100 or that is no date is a Spanish message on the page, a page number past the last page (or no number)
shows the last page (or the first), and none of them is ever a server error."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django_tenants.utils import schema_context

from core.lists import FilterDateField, SafePaginator, page_number
from firms.services.audit import audit_record
from tests.factories import CompanyMemberFactory, UserFactory

from ..books.conftest import post

OUT_OF_RANGE = ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"]
NOT_A_DATE = ["garbage", "2026-02-30"]
PAGES = ["0", "-1", "99999999999999999999", "abc"]
RANGE_MESSAGE = "Escribe una fecha entre 1900 y 2100."
INVALID_MESSAGE = "Escribe una fecha válida."


# The rule itself ------------------------------------------------------------------------------------------


class _Filters(forms.Form):
    desde = FilterDateField(required=False)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1900-01-01", True),
        ("2100-12-31", True),
        ("2026-07-12", True),
        ("", True),
        *[(value, False) for value in OUT_OF_RANGE + NOT_A_DATE],
    ],
)
def test_a_filter_date_lives_between_1900_and_2100(value, valid):
    form = _Filters({"desde": value})
    assert form.is_valid() is valid
    assert 'min="1900-01-01"' in str(form["desde"]) and 'max="2100-12-31"' in str(form["desde"])


def test_the_filter_date_messages_are_spanish():
    from django.utils import translation

    with translation.override("es"):
        assert _Filters({"desde": "9999-12-31"}).errors["desde"] == [RANGE_MESSAGE]
        assert _Filters({"desde": "garbage"}).errors["desde"] == [INVALID_MESSAGE]


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("3", 3),
        (" 2 ", 2),
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("1.5", 1),
        ("4", 4),
        ("5", 4),
        ("99999999999999999999", 4),
        ("9" * 5000, 1),  # more digits than Python reads as a number: not a page
    ],
)
def test_a_page_number_is_always_a_page(value, number):
    assert page_number(value, num_pages=4) == number
    page = SafePaginator(range(40), 10).get_page(value)
    assert page.number == number and list(page) == list(range((number - 1) * 10, number * 10))


def test_an_empty_list_has_its_one_empty_page():
    page = SafePaginator([], 10).get_page("99999999999999999999")
    assert page.number == 1 and list(page) == []


# Every report and list page --------------------------------------------------------------------------------


@pytest.fixture
def pages_data(accountant, workspace, linked_company):
    """A company with a few comprobantes and activity, and its client owner."""
    owner = UserFactory()
    CompanyMemberFactory(company=linked_company, user=owner, role="owner")
    with schema_context(linked_company.schema_name):
        for day in (2, 3, 4):
            post(accountant, [("110505", 100 * day, 0), ("413595", 0, 100 * day)], day=date(2026, 1, day))
    for number in range(3):
        audit_record(
            action="entry.posted",
            actor=accountant,
            workspace=workspace,
            company=linked_company,
            object_label=f"CC-{number}",
        )
    return linked_company, owner


REPORTS = [
    ("books:report_trial_balance", {}),
    ("books:report_trial_balance", {"por_tercero": "on"}),
    ("books:report_auxiliary", {"cuenta": "11"}),
    ("books:report_journal", {}),
    ("books:report_journal", {"resumen": "on"}),
    ("books:report_general_ledger", {}),
    ("books:report_statements", {}),
]
REPORT_FORMATS = [{}, {"imprimir": "1"}, {"formato": "csv"}, {"formato": "xlsx"}]
# (URL name, in the company area, who asks: the accountant or the company's own owner)
DATED_LISTS = [
    ("firms:activity", False, "accountant"),
    ("firms:activity_export", False, "accountant"),
    ("company:activity", True, "owner"),
    ("books:entry_list", True, "accountant"),
]
PAGED_LISTS = [
    ("firms:workspace_home", False, "accountant"),
    ("firms:notices", False, "accountant"),
    ("firms:activity", False, "accountant"),
    ("company:activity", True, "owner"),
    ("tax:calendar", False, "accountant"),
    ("books:entry_list", True, "accountant"),
    ("books:third_party_list", True, "accountant"),
    ("books:report_journal", True, "accountant"),
    ("books:report_auxiliary", True, "accountant"),
]


def _url(name, company, in_company):
    return reverse(name, kwargs={"company_slug": company.slug} if in_company else {})


def _client(client, accountant, owner, who):
    client.force_login(accountant if who == "accountant" else owner)
    return client


def _dated_queries():
    for value in OUT_OF_RANGE + NOT_A_DATE:
        yield value, {"desde": value}
        yield value, {"hasta": value}


def _says_why(response, value) -> bool:
    body = response.content.decode()
    return (INVALID_MESSAGE if value in NOT_A_DATE else RANGE_MESSAGE) in body


@pytest.mark.parametrize(("name", "extra"), REPORTS, ids=lambda value: str(value))
def test_a_report_with_a_date_outside_1900_2100_or_no_date_says_so(
    client, accountant, pages_data, name, extra
):
    company, _owner = pages_data
    client.force_login(accountant)
    url = _url(name, company, True)
    for value, dates in _dated_queries():
        for fmt in REPORT_FORMATS:
            response = client.get(url, {**extra, **dates, **fmt}, follow=True)
            assert response.status_code == 200, (value, dates, fmt)
            assert response["Content-Type"].startswith("text/html"), (value, dates, fmt)
            assert _says_why(response, value), (value, dates, fmt)


@pytest.mark.parametrize(("name", "in_company", "who"), DATED_LISTS)
def test_a_list_with_a_date_outside_1900_2100_or_no_date_says_so(
    client, accountant, pages_data, name, in_company, who
):
    company, owner = pages_data
    client = _client(client, accountant, owner, who)
    for value, dates in _dated_queries():
        response = client.get(_url(name, company, in_company), dates, follow=True)
        assert response.status_code == 200, (value, dates)
        assert response["Content-Type"].startswith("text/html"), (value, dates)
        assert _says_why(response, value), (value, dates)


@pytest.mark.parametrize(("name", "in_company", "who"), PAGED_LISTS)
def test_a_page_number_past_the_last_page_or_no_number_shows_a_page(
    client, accountant, pages_data, name, in_company, who, settings
):
    company, owner = pages_data
    client = _client(client, accountant, owner, who)
    extra = {"cuenta": "11"} if name == "books:report_auxiliary" else {}
    for value in PAGES:
        response = client.get(_url(name, company, in_company), {**extra, "page": value})
        assert response.status_code == 200, value
        page = response.context["page"]
        expected = page.paginator.num_pages if value == "99999999999999999999" else 1
        assert page.number == expected, value


@pytest.mark.parametrize(("name", "in_company"), [("tax:month", False), ("company:calendar", True)])
def test_a_calendar_month_outside_the_window_shows_the_current_month(
    client, accountant, pages_data, name, in_company
):
    from django.utils import timezone

    company, _owner = pages_data
    client.force_login(accountant)
    this_month = timezone.localdate().replace(day=1)
    for value in ["0001-01", "1899-12", "2101-01", "9999-12", "2026-13", "garbage"]:
        response = client.get(_url(name, company, in_company), {"mes": value})
        assert response.status_code == 200 and response.context["month"] == this_month, value
    response = client.get(_url(name, company, in_company), {"mes": "2100-12"})
    assert response.context["month"] == date(2100, 12, 1)
