"""What list and report pages read from the address, one rule each: a date filter lives between 1900 and 2100
(`FilterDateField`; outside it a report's arithmetic overflows, and no books are that old or that far ahead),
and a page number is always a page (`SafePaginator`: no number or one below 1 is the first page, one past the
end is the last page, never an error or an OFFSET out of range)."""

from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

FILTER_DATE_MIN = date(1900, 1, 1)
FILTER_DATE_MAX = date(2100, 12, 31)


class FilterDateField(forms.DateField):
    """A date filter of a list or a report (shown as a date input that the browser keeps in range too)."""

    default_error_messages = {
        "invalid": _("Write a valid date."),
        "out_of_range": _("Write a date between 1900 and 2100."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "min": FILTER_DATE_MIN.isoformat(),
            "max": FILTER_DATE_MAX.isoformat(),
        }

    def validate(self, value):
        super().validate(value)
        if value and not FILTER_DATE_MIN <= value <= FILTER_DATE_MAX:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


def page_number(value, *, num_pages: int) -> int:
    """The page a `?page=` value asks for, always between 1 and `num_pages`."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):  # no number, text, or more digits than Python reads
        return 1
    return min(max(number, 1), max(num_pages, 1))


class SafePaginator(Paginator):
    def get_page(self, number):
        return self.page(page_number(number, num_pages=self.num_pages))


def page_of(request, object_list, per_page: int):
    """The page of `object_list` that the request's `?page=` asks for (see `page_number`)."""
    return SafePaginator(object_list, per_page).get_page(request.GET.get("page"))
