from django.db.models import Count, QuerySet

from core.text import search_normalize

from .models import Account


def account_children(*, parent: Account | None) -> QuerySet[Account]:
    """The accounts directly under `parent` (the classes when None), with their child counts."""
    return Account.objects.filter(parent=parent).annotate(child_count=Count("children")).order_by("code")


def account_search(*, query: str, limit: int = 200) -> QuerySet[Account]:
    """Accounts whose code starts with the query, or whose name contains it (accent-insensitive)."""
    query = query.strip()
    if query.isdigit():
        return Account.objects.filter(code__startswith=query).order_by("code")[:limit]
    return Account.objects.filter(search_text__contains=search_normalize(query)).order_by("code")[:limit]


def account_ancestors(account: Account) -> list[Account]:
    """Breadcrumb from the class down to `account` (codes are prefixes of their children's)."""
    codes = [account.code[:n] for n in range(1, len(account.code))]
    return list(Account.objects.filter(code__in=codes).order_by("code")) + [account]
