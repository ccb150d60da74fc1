"""What the books' pages share: links back into the company area, pages of a list."""

from django.conf import settings
from django.shortcuts import redirect

from core.lists import page_of

LOOKUP_LIMIT = 15


def redirect_to(name: str, company, **kwargs):
    return redirect(f"books:{name}", company_slug=company.slug, **kwargs)


def list_page(request, queryset, size=None):
    return page_of(request, queryset, size or settings.WORKSPACE_PAGE_SIZE)


# Chart of accounts ------------------------------------------------------------------------------
