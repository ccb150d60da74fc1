"""Every write service records its event in the activity log: one walk over the service modules.

A public function of these modules must be either in CASES (called for real here, with the events it must
record) or in NOT_AUDITED (with why). A new service fails `test_every_service_is_audited_or_explained`
until it records its event and gets a case, or is explained.
"""

import importlib
import inspect
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from firms.models import AuditEvent, CompanyAccess, Workspace
from firms.services.audit import ACTIONS, audit_actor, audit_record
from firms.tax_ids import TaxId
from tests.factories import CompanyMemberFactory, LinkRequestFactory, UserFactory, WorkspaceMemberFactory

pytestmark = pytest.mark.django_db

SERVICE_MODULES = [
    "firms.services.workspaces",
    "firms.services.companies",
    "firms.services.accesses",
    "firms.services.notices",
    "firms.services.provisioning",
    "firms.services.common",
    "firms.services.audit",
    "firms.services.snapshots",
    "firms.services.transfer",
    "invitations.services.common",
    "invitations.services.create",
    "invitations.services.answer",
    "invitations.services.deliver",
    "invitations.services.revoke",
    "invitations.services.team",
    "firms.services.team",
    "bulk_import.services",
    "books.services.entries",
    "books.services.periods",
    "books.services.catalogs",
    "books.services.chart",
    "books.services.balances",
    "books.services.common",
    "books.services.journal",
    "books.services.opening",
    "books.services.journal_file",
    "indicators.services",
    "core.services",
]

# Functions that write nothing a person did to a workspace or a company, or whose callers record the event.
NOT_AUDITED = {
    # Reads, parsing and builders
    "firms.services.companies.company_new": "builds an unsaved company for companies_create",
    "firms.services.companies.person_name": "formats a name",
    "invitations.services.answer.invitation_link_for_token": "read",
    "invitations.services.answer.invitation_for_token": "read",
    "invitations.services.answer.invitation_state": "read",
    "invitations.services.deliver.invitation_url": "builds a URL",
    "bulk_import.services.country_from_text": "parsing",
    "bulk_import.services.import_summary": "read",
    "books.services.entries.money": "formatting",
    "books.services.entries.lock_date": "read",
    "books.services.entries.lines_check": "read",
    "books.services.catalogs.document_parse": "parsing",
    "books.services.chart.account_is_movement": "read",
    "books.services.common.actor": "helper",
    "books.services.common.day_text": "formatting",
    "books.services.common.entry_dates": "read",
    "books.services.common.date_problem": "read",
    "books.services.common.amount_problem": "read",
    "books.services.common.amount_message": "formatting",
    "books.services.common.number_message": "formatting",
    "books.services.common.closed_year_message": "formatting",
    "books.services.common.refusal_message": "formatting a database error",
    "books.services.common.database_refusals": "turns a database error into a message",
    "books.services.entries.entry_refusals": "read",
    "books.services.journal.journal_consecutive_moves": "read",
    "books.services.journal_file.parse_day": "parsing",
    "books.services.journal_file.journal_read": "parsing",
    "books.services.journal.journal_summary": "read",
    # Previews: only the job's scratch rows; nothing changes until the accountant confirms (audited)
    "bulk_import.services.import_preview": "preview: scratch rows until import_confirm",
    "books.services.journal.journal_preview": "preview: scratch rows until journal_confirm",
    # Steps inside audited services: the service that calls them records the event
    "firms.services.accesses.access_request_match": "the worker's match; access.accepted records the link",
    "firms.services.accesses.access_request_touch": "a timestamp of the resend/invite that records its event",
    "firms.services.accesses.access_set_invitation_status": "mirror of the invitation's status on its access",
    "firms.services.companies.company_member_add": "part of invitation_accept / company_owner_invite",
    "invitations.services.common.record_event": "the invitation's own history line",
    "invitations.services.common.set_status": "the invitation's own status change",
    "invitations.services.common.queue_send": "queueing an e-mail",
    "invitations.services.common.invitation_requeue": "part of access_resend",
    "invitations.services.common.invitation_new": "part of the invite services, which record the event",
    "invitations.services.common.invitation_audit": "records the state changes of the services that call it",
    "invitations.services.create.queue_dispatch": "queueing the worker of a recorded link request",
    # Plumbing run by workers and beat: delivery, expiry, retries (the invitation's history keeps them)
    "firms.services.provisioning.company_provision_later": "queueing provisioning",
    "firms.services.provisioning.company_provision": (
        "creates the schema of a company whose creation is recorded"
    ),
    "firms.services.notices.access_notify": "in-app notices of an answer already recorded",
    "firms.services.notices.notices_mark_read": "the user's own read marks",
    "invitations.services.create.link_requests_requeue": "beat: queueing again",
    "invitations.services.create.link_request_dispatch": (
        "the worker's part of a recorded request (an event would tell the workspace a company has the NIT)"
    ),
    "invitations.services.deliver.invitations_remind": "beat: reminders",
    "invitations.services.deliver.invitations_requeue": "beat: queueing again",
    "invitations.services.deliver.renewal_request_queue": "e-mail of a recorded renewal request",
    "bulk_import.services.import_resume": "queueing a stalled job again",
    "bulk_import.services.import_jobs_resume": "beat: queueing stalled jobs again",
    "firms.services.team.workspace_assignable_accesses": "read",
    "books.services.journal.journal_resume": "queueing a stalled job again",
    "books.services.journal.journal_imports_resume": "beat: queueing stalled jobs again",
    "books.services.journal.journal_fail": "the job's status after its retries; nothing changes in the books",
    "books.services.balances.balances_check": "nightly check of derived balances against the posted lines",
    "books.services.chart.chart_seed": "provisioning a new company's chart",
    "books.services.chart.chart_seed_template": "provisioning the template schema",
    "books.services.chart.chart_copy": "provisioning a new company's chart",
    "core.services.outgoing_email_queue": "the e-mail outbox",
    # The activity log itself: recording and reading events
    "firms.services.audit.action_label": "reads an action's name",
    "firms.services.audit.audit_actor": "who the events of a request name",
    "firms.services.audit.audit_event": "builds an event for its caller to record",
    "firms.services.audit.audit_record": "records the events of the other services",
    "firms.services.audit.audit_record_many": "records the events of the other services",
    "firms.services.audit.changes": "describes a change for an event",
    "firms.services.audit.text_render": "reads an event's summary in a language",
    # The board's figures, derived from the books and the calendar
    "firms.services.snapshots.company_snapshots_refresh": "recomputes derived figures",
    "firms.services.snapshots.snapshot_contributor_register": "a registry filled at start-up",
    "firms.services.snapshots.snapshot_refresh_batches": "beat: recomputes derived figures",
    "firms.services.snapshots.snapshot_refresh_queue": "queueing a refresh of derived figures",
    "firms.services.snapshots.snapshot_refresh_queue_current": "queueing a refresh of derived figures",
    "firms.services.snapshots.snapshots_requeue_stalled": "beat: queueing stalled refreshes again",
    # Provisioning's machinery and moving a company (commands run by an administrator)
    "firms.services.provisioning.quote": "quotes a schema name",
    "firms.services.provisioning.schema_replay": "part of company_provision",
    "firms.services.provisioning.schema_seed": "part of company_provision",
    "firms.services.provisioning.schema_seeder_register": "a registry filled at start-up",
    "firms.services.provisioning.schema_template": "part of company_provision",
    "firms.services.transfer.company_export": "reads a company into a file; writes nothing",
    "firms.services.transfer.company_import": "an administrator's command on a new server",
    "firms.services.transfer.pg_binary": "finds pg_dump",
    "firms.services.transfer.pg_environment": "pg_dump's connection",
    "core.services.outgoing_email_send": "the e-mail outbox",
    "core.services.outgoing_emails_requeue": "the e-mail outbox",
    # A user's own settings, not a workspace's or a company's data
    "indicators.services.resource_mark_read": "the user's own read marks",
    "indicators.services.calendar_feed_renew": "the user's own calendar feed",
    "indicators.services.calendar_feed_revoke": "the user's own calendar feed",
    "indicators.services.tax_reminder_send": "e-mailing the user's reminders",
}


@dataclass
class World:
    accountant: object
    workspace: Workspace
    access: CompanyAccess  # the workspace's active access to company_pena
    pena: object
    andes: object
    client: object  # owner of company_andes
    since: int = 0

    def start(self) -> None:
        """Events recorded from now on are the service's."""
        self.since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def events(self) -> list[tuple]:
        return [
            (e.action, e.company_id, e.actor_id, e.workspace_id)
            for e in AuditEvent.objects.filter(pk__gt=self.since).order_by("pk")
        ]


def expect(action, company=None, actor=None, workspace=None) -> tuple:
    return (action, getattr(company, "pk", None), getattr(actor, "pk", None), getattr(workspace, "pk", None))


CASES = {}


def case(name):
    def register(function):
        CASES[name] = function
        return function

    return register


# firms.services -------------------------------------------------------------------------------------


@case("firms.services.workspaces.workspace_create")
def _(w):
    from firms.services.workspaces import workspace_create

    owner = UserFactory()
    w.start()
    created = workspace_create(owner=owner, name="Contadores Unidos")
    return [expect("workspace.created", None, owner, created)]


@case("firms.services.workspaces.workspace_update")
def _(w):
    from firms.services.workspaces import workspace_update

    w.start()
    with audit_actor(w.accountant):
        workspace_update(workspace=w.workspace, name="Nuevo nombre", country="CO")
    return [expect("workspace.updated", None, w.accountant, w.workspace)]


@case("firms.services.workspaces.workspace_set_plan")
def _(w):
    from firms.services.workspaces import workspace_set_plan

    w.start()
    workspace_set_plan(workspace=w.workspace, plan=Workspace.Plan.PAID)
    return [expect("plan.changed", None, None, w.workspace)]


@case("firms.services.companies.companies_create")
def _(w):
    from firms.services.companies import companies_create, company_new

    w.start()
    (access,) = companies_create(
        companies=[company_new(name="Nueva S.A.S.", country="CO", tax_id=TaxId("901234567", "7"))],
        workspace=w.workspace,
        created_by=w.accountant,
        provision=False,
    )
    return [expect("company.created", access.company, w.accountant, w.workspace)]


@case("firms.services.companies.company_create")
def _(w):
    from firms.services.companies import company_create

    w.start()
    access = company_create(
        workspace=w.workspace,
        created_by=w.accountant,
        name="Otra",
        country="CO",
        tax_id=TaxId("901234567", "7"),
    )
    return [expect("company.created", access.company, w.accountant, w.workspace)]


@case("firms.services.companies.company_update")
def _(w):
    from firms.services.companies import company_update

    w.start()
    with audit_actor(w.accountant):
        company_update(company=w.pena, phone="+573001234567")
    return [expect("company.updated", w.pena, w.accountant, w.workspace)]


@case("firms.services.accesses.access_request")
def _(w):
    from firms.services.accesses import access_request

    w.start()
    access_request(
        workspace=w.workspace,
        name="Los Andes",
        country="CO",
        tax_id=TaxId("860002964", "4"),
        invited_by=w.accountant,
    )
    return [expect("access.requested", None, w.accountant, w.workspace)]


def _matched_request(w) -> CompanyAccess:
    return LinkRequestFactory(
        workspace=w.workspace, tax_id=w.andes.tax_id, check_digit=w.andes.check_digit, matched_company=w.andes
    )


@case("firms.services.accesses.access_request_accept")
def _(w):
    from firms.services.accesses import access_request_accept

    request = _matched_request(w)
    w.start()
    with audit_actor(w.client):
        access_request_accept(access=request)
    return [expect("access.accepted", w.andes, w.client, w.workspace)]


@case("firms.services.accesses.access_request_decline")
def _(w):
    from firms.services.accesses import access_request_decline

    request = _matched_request(w)
    w.start()
    with audit_actor(w.client):
        access_request_decline(access=request, reason="No")
    # The workspace never learns the company from a request it declined.
    return [expect("access.declined", None, w.client, w.workspace)]


@case("firms.services.accesses.access_request_withdraw")
def _(w):
    from firms.services.accesses import access_request_withdraw

    request = _matched_request(w)
    w.start()
    with audit_actor(w.accountant):
        access_request_withdraw(access=request)
    return [expect("access.withdrawn", None, w.accountant, w.workspace)]


@case("firms.services.accesses.access_revoke")
def _(w):
    from firms.services.accesses import access_revoke

    owner = CompanyMemberFactory(company=w.pena).user
    w.start()
    with audit_actor(owner):
        access_revoke(access=w.access)
    return [expect("access.revoked", w.pena, owner, w.workspace)]


# invitations ----------------------------------------------------------------------------------------


def _client_account(w, email="cliente.nuevo@example.com"):
    from invitations.services.create import client_account_create

    return client_account_create(
        workspace=w.workspace,
        invited_by=w.accountant,
        email=email,
        password="Clave-Del-Contador-1",
        name="Café Macondo S.A.S.",
        country="CO",
        tax_id=TaxId("901234567", "7"),
    )


def _activation(w):
    from invitations.models import Invitation

    company = _client_account(w)
    return company, Invitation.objects.get(company=company)


@case("invitations.services.create.client_link_request")
def _(w):
    from invitations.services.create import client_link_request

    w.start()
    client_link_request(
        workspace=w.workspace,
        name="Andes",
        country="CO",
        tax_id=TaxId("860002964", "4"),
        invited_by=w.accountant,
    )
    return [expect("access.requested", None, w.accountant, w.workspace)]


@case("invitations.services.create.client_account_create")
def _(w):
    w.start()
    company = _client_account(w)
    return [
        expect("company.created", company, w.accountant, w.workspace),
        expect("invitation.sent", company, w.accountant, w.workspace),
    ]


@case("invitations.services.create.company_owner_invite")
def _(w):
    from invitations.services.create import company_owner_invite

    w.start()
    company_owner_invite(access=w.access, email="duena@example.com", invited_by=w.accountant)
    return [expect("invitation.sent", w.pena, w.accountant, w.workspace)]


@case("invitations.services.create.company_client_invite")
def _(w):
    from invitations.services.create import company_client_invite

    w.start()
    company_client_invite(
        company=w.pena, workspace=w.workspace, email="duena@example.com", invited_by=w.accountant
    )
    return [expect("invitation.sent", w.pena, w.accountant, w.workspace)]


def _link_invitation(w):
    from invitations.models import Invitation
    from invitations.services.create import client_link_request, link_request_dispatch

    access = client_link_request(
        workspace=w.workspace,
        name="Andes",
        country="CO",
        tax_id=TaxId("860002964", "4"),
        invited_by=w.accountant,
    )
    link_request_dispatch(access_id=access.pk)
    return access, Invitation.objects.get(access=access, recipient=w.client)


@case("invitations.services.answer.invitation_accept")
def _(w):
    from invitations.services.answer import invitation_accept

    _access, invitation = _link_invitation(w)
    w.start()
    invitation_accept(invitation=invitation, user=w.client)
    return [expect("access.accepted", w.andes, w.client, w.workspace)]


@case("invitations.services.answer.invitation_decline")
def _(w):
    from invitations.services.answer import invitation_decline

    _access, invitation = _link_invitation(w)
    w.start()
    invitation_decline(invitation=invitation, user=w.client, reason="Ya tenemos contador")
    return [expect("access.declined", None, w.client, w.workspace)]


@case("invitations.services.answer.invitation_activate")
def _(w):
    from invitations.services.answer import invitation_activate

    company, invitation = _activation(w)
    w.start()
    user = invitation_activate(invitation=invitation, password="Mi-Clave-Propia-2026")
    return [expect("invitation.accepted", company, user, w.workspace)]


@case("invitations.services.answer.link_request_answer")
def _(w):
    from invitations.services.answer import link_request_answer

    access, _invitation = _link_invitation(w)
    w.start()
    link_request_answer(company=w.andes, access_id=access.pk, user=w.client, accept=True)
    # The admin's invitation, answered from the page: the company's side, without the workspace.
    return [
        expect("access.accepted", w.andes, w.client, w.workspace),
        expect("invitation.closed", w.andes, w.client),
    ]


@case("invitations.services.answer.invitations_expire")
def _(w):
    from invitations.models import Invitation
    from invitations.services.answer import invitations_expire

    company, invitation = _activation(w)
    _access, link = _link_invitation(w)
    Invitation.objects.filter(pk__in=[invitation.pk, link.pk]).update(expires_at=timezone.now())
    w.start()
    assert invitations_expire() == 2
    # By the system; a link request's invitation is the company's event (the workspace never learns of it).
    return [expect("invitation.expired", company, None, w.workspace), expect("invitation.expired", w.andes)]


@case("invitations.services.deliver.invitation_deliver")
def _(w):
    from invitations.services.deliver import invitation_deliver

    company, invitation = _activation(w)
    _access, link = _link_invitation(w)
    w.start()
    assert invitation_deliver(invitation_id=invitation.pk)
    assert invitation_deliver(invitation_id=link.pk)
    assert not invitation_deliver(invitation_id=link.pk)  # nothing left to send: nothing recorded
    return [
        expect("invitation.delivered", company, None, w.workspace),
        expect("invitation.delivered", w.andes),
    ]


@case("invitations.services.answer.invitation_request_renewal")
def _(w):
    from invitations.models import Invitation
    from invitations.services.answer import invitation_request_renewal

    company, invitation = _activation(w)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    w.start()
    assert invitation_request_renewal(invitation=invitation)
    return [expect("invitation.renewal_requested", company, invitation.recipient, w.workspace)]


@case("invitations.services.deliver.access_resend")
def _(w):
    from invitations.services.deliver import access_resend

    company, invitation = _activation(w)
    w.start()
    with audit_actor(w.accountant):
        access_resend(access=invitation.access)
    return [expect("invitation.resent", company, w.accountant, w.workspace)]


@case("invitations.services.revoke.access_revoke_by_accountant")
def _(w):
    from invitations.services.revoke import access_revoke_by_accountant

    company, invitation = _activation(w)
    w.start()
    with audit_actor(w.accountant):
        access_revoke_by_accountant(access=invitation.access)
    return [expect("invitation.revoked", company, w.accountant, w.workspace)]


@case("invitations.services.revoke.access_revoke_by_client")
def _(w):
    from invitations.services.revoke import access_revoke_by_client

    owner = CompanyMemberFactory(company=w.pena).user
    w.start()
    access_revoke_by_client(company=w.pena, access_id=w.access.pk, by=owner)
    return [expect("access.revoked", w.pena, owner, w.workspace)]


# bulk_import.services ---------------------------------------------------------------------------------


def _import_job(w):
    from bulk_import.services import import_preview
    from tests.bulk_import.files import csv_bytes

    return import_preview(
        workspace=w.workspace,
        user=w.accountant,
        file_name="empresas.csv",
        data=csv_bytes([["Ferretería El Tornillo", "901234567-7", "", ""]]),
    )


@case("bulk_import.services.import_confirm")
def _(w):
    from bulk_import.services import import_confirm

    job = _import_job(w)
    w.start()
    with audit_actor(w.accountant):
        import_confirm(job=job)
    return [expect("import.confirmed", None, w.accountant, w.workspace)]


@case("bulk_import.services.import_process")
def _(w):
    from bulk_import.services import import_confirm, import_process

    job = import_confirm(job=_import_job(w))
    w.start()
    job = import_process(job_id=job.pk)  # in the worker: no request, the job's creator is the actor
    (row,) = job.rows.all()
    return [
        expect("company.created", row.company, w.accountant, w.workspace),
        expect("import.finished", None, w.accountant, w.workspace),
    ]


@case("bulk_import.services.import_run_now")
def _(w):
    from bulk_import.services import import_run_now

    job = _import_job(w)
    w.start()
    job = import_run_now(job=job)
    (row,) = job.rows.all()
    return [
        expect("import.confirmed", None, w.accountant, w.workspace),
        expect("company.created", row.company, w.accountant, w.workspace),
        expect("import.finished", None, w.accountant, w.workspace),
    ]


@case("bulk_import.services.import_fail")
def _(w):
    from bulk_import.services import import_confirm, import_fail

    job = import_confirm(job=_import_job(w))
    w.start()
    import_fail(job_id=job.pk, error="worker lost")
    return [expect("import.failed", None, w.accountant, w.workspace)]


# books ----------------------------------------------------------------------------------------------
# Inside company_pena's schema as a worker or command sees it: the company from the schema, the
# workspace from the actor's access.


def _lines():
    from books.services.entries import LineInput

    return [LineInput("110505", debit=Decimal("100")), LineInput("413595", credit=Decimal("100"))]


def _cc():
    from books.models import VoucherType

    return VoucherType.objects.get(code="CC")


def _posted(w, day=date(2026, 3, 10)):
    from books.services.entries import entry_save_and_post

    return entry_save_and_post(
        voucher_type=_cc(), day=day, description="Venta", lines=_lines(), user=w.accountant
    )


def _draft(w):
    from books.services.entries import entry_save_draft

    return entry_save_draft(
        voucher_type=_cc(), day=date(2026, 3, 10), description="B", lines=_lines(), user=w.accountant
    )


def _books(action, w, n=1):
    return [expect(action, w.pena, w.accountant, w.workspace)] * n


@case("books.services.entries.entry_save_draft")
def _(w):
    w.start()
    _draft(w)
    return _books("entry.draft_saved", w)


@case("books.services.entries.entry_post")
def _(w):
    from books.services.entries import entry_post

    entry = _draft(w)
    w.start()
    entry_post(entry=entry, user=w.accountant)
    return _books("entry.posted", w)


@case("books.services.entries.entry_save_and_post")
def _(w):
    w.start()
    _posted(w)
    return _books("entry.posted", w)


@case("books.services.entries.entry_annul")
def _(w):
    from books.services.entries import entry_annul

    entry = _posted(w)
    w.start()
    entry_annul(entry=entry, user=w.accountant, reason="Error de digitación")
    return _books("entry.annulled", w)


@case("books.services.entries.entry_reverse")
def _(w):
    from books.services.entries import entry_reverse

    entry = _posted(w)
    w.start()
    entry_reverse(entry=entry, day=date(2026, 3, 31), user=w.accountant)
    return _books("entry.reversed", w)


@case("books.services.entries.entry_copy")
def _(w):
    from books.services.entries import entry_copy

    entry = _posted(w)
    w.start()
    entry_copy(entry=entry, user=w.accountant)
    return _books("entry.draft_saved", w)


@case("books.services.entries.entry_delete_draft")
def _(w):
    from books.services.entries import entry_delete_draft

    entry = _draft(w)
    w.start()
    entry_delete_draft(entry=entry, user=w.accountant)
    return _books("entry.draft_deleted", w)


@case("books.services.entries.entries_post_many")
def _(w):
    from books.models import Entry
    from books.services.entries import NewEntry, entries_post_many

    new = [
        NewEntry(voucher_type_id=_cc().pk, day=date(2026, 3, d), description="x", lines=_lines())
        for d in (1, 2, 3)
    ]
    w.start()
    entries_post_many(entries=new, user=w.accountant, source=Entry.Source.IMPORT)
    return _books("entries.posted", w)  # one event for the batch


@case("books.services.periods.period_lock")
def _(w):
    from books.services.periods import period_lock

    w.start()
    period_lock(until=date(2026, 1, 31), user=w.accountant)
    return _books("period.locked", w)


@case("books.services.periods.period_unlock")
def _(w):
    from books.services.periods import period_lock, period_unlock

    period_lock(until=date(2026, 1, 31), user=w.accountant)
    w.start()
    period_unlock(until=None, reason="Ajuste de auditoría", user=w.accountant)
    return _books("period.unlocked", w)


@case("books.services.periods.year_close")
def _(w):
    from books.services.periods import year_close

    _posted(w, day=date(2025, 6, 1))
    w.start()
    year_close(year=2025, user=w.accountant)
    return _books("year.closed", w)  # its CI comprobante is part of the closing, not another event


@case("books.services.periods.signatures_set")
def _(w):
    from books.services.periods import signatures_set

    w.start()
    signatures_set(user=w.accountant, legal_representative="Ana Peña", accountant_name="Laura Contadora")
    return _books("signatures.updated", w)


def _tercero():
    from books.services.catalogs import third_party_create

    return third_party_create(document_type="nit", number="900.123.456-8", business_name="Cliente Uno S.A.S.")


@case("books.services.catalogs.third_party_create")
def _(w):
    w.start()
    with audit_actor(w.accountant):
        _tercero()
    return _books("third_party.created", w)


@case("books.services.catalogs.third_party_update")
def _(w):
    from books.services.catalogs import third_party_update

    tercero = _tercero()
    w.start()
    with audit_actor(w.accountant):
        third_party_update(third_party=tercero, email="pagos@cliente.co")
    return _books("third_party.updated", w)


@case("books.services.catalogs.third_party_set_active")
def _(w):
    from books.services.catalogs import third_party_set_active

    tercero = _tercero()
    w.start()
    with audit_actor(w.accountant):
        third_party_set_active(third_party=tercero, active=False)
    return _books("third_party.deactivated", w)


@case("books.services.catalogs.third_parties_import")
def _(w):
    from books.services.catalogs import third_parties_import

    data = "Número;Razón social\n900123456-8;Uno\n800197268-4;Dos\n".encode()
    w.start()
    with audit_actor(w.accountant):
        result = third_parties_import(file_name="terceros.csv", data=data)
    assert result.created == 2
    return _books("third_parties.imported", w)  # one event for the file


@case("books.services.catalogs.cost_center_create")
def _(w):
    from books.services.catalogs import cost_center_create

    w.start()
    with audit_actor(w.accountant):
        cost_center_create(code="ADM", name="Administración")
    return _books("cost_center.created", w)


@case("books.services.catalogs.cost_center_update")
def _(w):
    from books.services.catalogs import cost_center_create, cost_center_update

    center = cost_center_create(code="ADM", name="Administración")
    w.start()
    with audit_actor(w.accountant):
        cost_center_update(cost_center=center, name="Admón.", is_active=False)
    return _books("cost_center.updated", w)


@case("books.services.catalogs.voucher_type_create")
def _(w):
    from books.services.catalogs import voucher_type_create

    w.start()
    with audit_actor(w.accountant):
        voucher_type_create(code="NM", name="Nómina")
    return _books("voucher_type.created", w)


@case("books.services.catalogs.voucher_type_update")
def _(w):
    from books.services.catalogs import voucher_type_update

    w.start()
    with audit_actor(w.accountant):
        voucher_type_update(voucher_type=_cc(), name="Contable", is_active=True)
    return _books("voucher_type.updated", w)


@case("books.services.chart.account_create")
def _(w):
    from books.models import Account
    from books.services.chart import account_create

    w.start()
    with audit_actor(w.accountant):
        account_create(
            parent=Account.objects.get(code="110505"), code="11050501", name="Caja menor sede norte"
        )
    return _books("account.created", w)


@case("books.services.chart.account_update")
def _(w):
    from books.models import Account
    from books.services.chart import account_update

    account = Account.objects.get(code="110505")
    w.start()
    with audit_actor(w.accountant):
        account_update(
            account=account,
            name=account.name,
            nature=account.nature,
            is_active=True,
            requires_third_party=False,
            requires_cost_center=True,
        )
    return _books("account.updated", w)


JOURNAL_ROWS = (
    "Tipo;Número;Fecha;Cuenta;NIT del tercero;Nombre del tercero;Centro de costo;Descripción;Débito;Crédito\n"
    "CC;1;2026-03-05;110505;;;;Venta;1000;\n"
    "CC;1;2026-03-05;413595;;;;Venta;;1000\n"
)


def _journal_job(w):
    from books.services.journal import journal_preview
    from books.services.journal_file import JOURNAL

    header = ";".join(JOURNAL.headers.values())
    data = (header + "\n" + JOURNAL_ROWS.split("\n", 1)[1]).encode()
    return journal_preview(file_name="diario.csv", data=data, user=w.accountant)


@case("books.services.journal.journal_confirm")
def _(w):
    from books.services.journal import journal_confirm

    job = _journal_job(w)
    w.start()
    with audit_actor(w.accountant):
        journal_confirm(job=job, company_id=w.pena.pk)
    return _books("journal.confirmed", w)


@case("books.services.journal.journal_process")
def _(w):
    from books.services.journal import journal_process

    job = _journal_job(w)
    w.start()
    journal_process(job_id=job.pk, user=w.accountant)  # the worker: no request
    return _books("entries.posted", w)


@case("books.services.opening.opening_balances_post")
def _(w):
    from books.services.opening import opening_balances_post

    data = "Cuenta;Débito;Crédito\n110505;500;\n311505;;500\n".encode()
    w.start()
    opening_balances_post(file_name="saldos.csv", data=data, day=date(2025, 12, 31), user=w.accountant)
    return _books("entries.posted", w)


# firms.team and invitations.services.team ------------------------------------------------------------


def _member(w, role="accountant"):
    return WorkspaceMemberFactory(workspace=w.workspace, role=role)


@case("firms.services.team.team_member_add")
def _(w):
    from firms.services.team import team_member_add

    user = UserFactory()
    w.start()
    team_member_add(workspace=w.workspace, user=user, role="accountant")
    return [expect("team.member_joined", None, user, w.workspace)]


@case("firms.services.team.team_member_role_change")
def _(w):
    from firms.services.team import team_member_role_change

    member = _member(w)
    w.start()
    with audit_actor(w.accountant):
        team_member_role_change(member=member, role="assistant")
    return [expect("team.role_changed", None, w.accountant, w.workspace)]


@case("firms.services.team.team_member_remove")
def _(w):
    from firms.services.team import team_member_remove

    member = _member(w)
    w.start()
    with audit_actor(w.accountant):
        team_member_remove(member=member)
    return [expect("team.member_removed", None, w.accountant, w.workspace)]


@case("firms.services.team.assignment_add")
def _(w):
    from firms.services.team import assignment_add

    member = _member(w)
    w.start()
    with audit_actor(w.accountant):
        assignment_add(access=w.access, member=member, responsible=True)
    return [
        expect("assignment.added", w.pena, w.accountant, w.workspace),
        expect("assignment.responsible_changed", w.pena, w.accountant, w.workspace),
    ]


@case("firms.services.team.assignment_set_responsible")
def _(w):
    from firms.services.team import assignment_add, assignment_set_responsible

    assignment = assignment_add(access=w.access, member=_member(w))
    w.start()
    with audit_actor(w.accountant):
        assignment_set_responsible(assignment=assignment)
    return [expect("assignment.responsible_changed", w.pena, w.accountant, w.workspace)]


@case("firms.services.team.assignment_remove")
def _(w):
    from firms.services.team import assignment_add, assignment_remove

    assignment = assignment_add(access=w.access, member=_member(w))
    w.start()
    with audit_actor(w.accountant):
        assignment_remove(assignment=assignment)
    return [expect("assignment.removed", w.pena, w.accountant, w.workspace)]


@case("firms.services.team.assignments_add_many")
def _(w):
    from firms.services.team import assignments_add_many

    member = _member(w)
    w.start()
    with audit_actor(w.accountant):
        assignments_add_many(workspace=w.workspace, access_ids=[w.access.pk], member=member)
    return [expect("assignment.added", w.pena, w.accountant, w.workspace)]


@case("invitations.services.team.team_invite")
def _(w):
    from invitations.services.team import team_invite

    w.start()
    team_invite(workspace=w.workspace, email="nueva@example.com", role="assistant", invited_by=w.accountant)
    return [expect("team.member_invited", None, w.accountant, w.workspace)]


def _team_invitation(w):
    from invitations.services.team import team_invite

    return team_invite(
        workspace=w.workspace, email="otra@example.com", role="accountant", invited_by=w.accountant
    )


@case("invitations.services.team.team_invitation_resend")
def _(w):
    from invitations.services.team import team_invitation_resend

    invitation = _team_invitation(w)
    w.start()
    with audit_actor(w.accountant):
        team_invitation_resend(workspace=w.workspace, invitation_id=invitation.pk)
    return [expect("invitation.resent", None, w.accountant, w.workspace)]


@case("invitations.services.team.team_invitation_revoke")
def _(w):
    from invitations.services.team import team_invitation_revoke

    invitation = _team_invitation(w)
    w.start()
    with audit_actor(w.accountant):
        team_invitation_revoke(workspace=w.workspace, invitation_id=invitation.pk)
    return [expect("invitation.revoked", None, w.accountant, w.workspace)]


# indicators.services --------------------------------------------------------------------------------


@case("indicators.services.obligation_mark_filed")
def _(w):
    from indicators.services import obligation_mark_filed

    w.start()
    obligation_mark_filed(company=w.pena, obligation="iva", period="2026-01", user=w.accountant, filed=True)
    obligation_mark_filed(company=w.pena, obligation="iva", period="2026-01", user=w.accountant, filed=True)
    obligation_mark_filed(company=w.pena, obligation="iva", period="2026-01", user=w.accountant, filed=False)
    # Ticking a box already ticked changes nothing and records nothing.
    return [
        expect("obligation.filed", w.pena, w.accountant, w.workspace),
        expect("obligation.unfiled", w.pena, w.accountant, w.workspace),
    ]


# The tests ------------------------------------------------------------------------------------------


def _service_functions() -> list[str]:
    names = []
    for module_name in SERVICE_MODULES:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module_name and not name.startswith("_"):
                names.append(f"{module_name}.{name}")
    return names


def test_the_walk_covers_every_service_module():
    """A new services module (or package module) cannot hide from the walk."""
    root = Path(__file__).resolve().parents[2]
    found = {
        ".".join(path.relative_to(root).with_suffix("").parts)
        for pattern in ("*/services.py", "*/services/*.py", "*/team.py", "*/journal.py")
        for path in root.glob(pattern)
        if path.name != "__init__.py" and not path.parts[len(root.parts)].startswith((".", "tests"))
    }
    # A user's own account (activation, e-mail, preferences) is no workspace's or company's activity.
    assert found - set(SERVICE_MODULES) == {"accounts.services"}


def test_every_service_is_audited_or_explained():
    functions = set(_service_functions())
    missing = sorted(functions - CASES.keys() - NOT_AUDITED.keys())
    assert not missing, f"Services without an audit case or a reason in NOT_AUDITED: {missing}"
    stale = sorted((CASES.keys() | NOT_AUDITED.keys()) - functions)
    assert not stale, f"Entries for functions that no longer exist: {stale}"
    assert not CASES.keys() & NOT_AUDITED.keys()


@pytest.fixture
def world(accountant, workspace, linked_company, company_andes, client_member):
    access = CompanyAccess.objects.get(workspace=workspace, company=linked_company)
    return World(accountant, workspace, access, linked_company, company_andes, client_member)


@pytest.mark.parametrize("service", sorted(CASES))
def test_the_service_records_exactly_its_events(service, world):
    if service.startswith("books."):
        with schema_context(world.pena.schema_name):
            expected = CASES[service](world)
            recorded = world.events()
    else:
        expected = CASES[service](world)
        recorded = world.events()
    assert recorded == expected
    assert all(action in ACTIONS for action, *_rest in recorded)


def test_an_unknown_action_is_refused(workspace):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(action="entry.postd", workspace=workspace)
    assert not AuditEvent.objects.exists()


def test_an_event_rolls_back_with_the_change_it_describes(world):
    from django.db import transaction

    from firms.services.workspaces import workspace_update

    with pytest.raises(RuntimeError), transaction.atomic():
        workspace_update(workspace=world.workspace, name="Efímero", country="CO")
        raise RuntimeError
    assert not AuditEvent.objects.filter(action="workspace.updated").exists()
    connection.set_schema_to_public()


@pytest.mark.parametrize("answer", ["aceptar", "rechazar"])
def test_an_answer_from_the_company_area_names_the_company_only_when_accepted(client, world, answer):
    """Through the client's page (tenant set to the company): a declined request stays without company,
    so the workspace's log never learns which company has the NIT."""
    access, _invitation = _link_invitation(world)
    client.force_login(world.client)
    response = client.post(
        f"{world.andes.get_absolute_url()}contadores/{access.pk}/{answer}/", {"reason": "No"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action__in=["access.accepted", "access.declined"])
    expected = ("access.accepted", world.andes) if answer == "aceptar" else ("access.declined", None)
    assert (event.action, event.company) == expected
    assert (event.actor, event.workspace) == (world.client, world.workspace)
    assert event.company_name == (world.andes.name if answer == "aceptar" else "")
