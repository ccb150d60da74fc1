"""The portfolio board's snapshot rows: one per company, in the public schema, refreshed by tasks.

firms cannot read the books or the tax calendar (they live in higher apps), so those apps register a
contributor in their ready(): `contributor(companies) -> {company_id: {field: value}}`, called for a batch
of companies, returning the CompanySnapshot fields it owns. The refresh merges what they return and writes
every row of the batch in one upsert. Changes to the books call `snapshot_refresh_queue_current()` inside
their transaction: a refresh is queued on commit, at most once while one is already waiting (the
`refresh_queued_at` mark); a refresh waiting longer than WORK_STALLED_AFTER is queued again (core.work).
"""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from core.queue import enqueue_on_commit
from core.work import requeue_stalled, stalled_before

from ..models import Company, CompanySnapshot

SnapshotContributor = Callable[[list[Company]], dict[int, dict]]
SNAPSHOT_CONTRIBUTORS: list[SnapshotContributor] = []
# Fields the refresh writes (every one but the key and the queue mark, which the queueing owns).
REFRESHED_FIELDS = [
    field.name
    for field in CompanySnapshot._meta.concrete_fields
    if field.name not in ("company", "refresh_queued_at")
]


def snapshot_contributor_register(contributor: SnapshotContributor) -> None:
    if contributor not in SNAPSHOT_CONTRIBUTORS:
        SNAPSHOT_CONTRIBUTORS.append(contributor)


def company_snapshots_refresh(*, company_ids: Iterable[int]) -> int:
    """Compute and write the snapshot of each company (safe to run twice). Returns how many were written."""
    company_ids = sorted(set(company_ids))
    companies = list(Company.objects.filter(pk__in=company_ids).order_by("pk"))
    if not companies:
        return 0
    ids = [company.pk for company in companies]
    # Cleared before reading: a change committed from now on queues a refresh of its own.
    CompanySnapshot.objects.filter(company_id__in=ids, refresh_queued_at__isnull=False).update(
        refresh_queued_at=None
    )
    values: dict[int, dict] = {company_id: {} for company_id in ids}
    for contributor in SNAPSHOT_CONTRIBUTORS:
        for company_id, fields in contributor(companies).items():
            values[company_id].update(fields)
    now = timezone.now()
    CompanySnapshot.objects.bulk_create(
        [
            CompanySnapshot(company_id=company_id, **fields, refreshed_at=now)
            for company_id, fields in values.items()
        ],
        update_conflicts=True,
        unique_fields=["company"],
        update_fields=REFRESHED_FIELDS,
    )
    return len(ids)


def _mark_queued(where: str, params: list) -> list[int]:
    """Mark the companies' snapshots as waiting for a refresh; returns the ids that were not waiting yet
    (or whose refresh has stalled: its queueing or worker was lost)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.firms_companysnapshot (company_id, refresh_queued_at) "  # noqa: S608
            f"SELECT id, now() FROM public.firms_company WHERE {where} "
            "ON CONFLICT (company_id) DO UPDATE SET refresh_queued_at = now() "
            "WHERE firms_companysnapshot.refresh_queued_at IS NULL "
            "OR firms_companysnapshot.refresh_queued_at < %s "
            "RETURNING company_id",
            [*params, stalled_before()],
        )
        return [row[0] for row in cursor.fetchall()]


def _queue(company_ids: list[int]) -> None:
    from ..tasks import company_snapshot_refresh_task

    for company_id in company_ids:
        enqueue_on_commit(company_snapshot_refresh_task, company_id)


def snapshot_refresh_queue(*, company_id: int) -> None:
    """Queue a refresh of the company's snapshot when the current transaction commits (nothing on
    rollback); while one is already waiting, nothing more is queued."""
    with transaction.atomic():
        _queue(_mark_queued("id = %s", [company_id]))


def snapshot_refresh_queue_current() -> None:
    """The same for the company whose schema the connection is in (the books' services know only that)."""
    schema_name = connection.schema_name
    if schema_name == "public":
        return
    with transaction.atomic():
        _queue(_mark_queued("schema_name = %s", [schema_name]))


def snapshots_requeue_stalled() -> int:
    """Beat: queue again the refreshes marked as waiting for longer than WORK_STALLED_AFTER."""
    from ..tasks import company_snapshot_refresh_task

    stalled = CompanySnapshot.objects.filter(refresh_queued_at__lt=stalled_before())
    return requeue_stalled(stalled, company_snapshot_refresh_task, field="refresh_queued_at")


def snapshot_refresh_batches(size: int) -> list[list[int]]:
    """Every company's id, in batches of `size`, for the nightly refresh."""
    ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + size] for start in range(0, len(ids), size)]
