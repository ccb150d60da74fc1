"""Invitations are e-mailed once each, whatever dies: the worker killed in the middle of a batch, the mail
server down for a while (real workers, SIGKILL, a real SMTP server process of the test's own)."""

from datetime import timedelta

import pytest
from django.test import Client

from bulk_import.services import import_confirm, import_preview
from firms.models import CompanyAccess
from invitations.models import Invitation, InvitationToken
from invitations.services.create import company_client_invite
from invitations.services.deliver import invitations_requeue
from tests.bulk_import.files import csv_bytes
from tests.factories import CompanyFactory, CompanyMemberFactory, WorkspaceMemberFactory, valid_nits
from tests.outages import kill_worker, wait_for

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_queue"),
]


def sent_to(smtp_server) -> list[str]:
    return sorted(address for message in smtp_server.messages() for address in message["To"].split(", "))


def test_an_invitation_batch_whose_worker_died_reaches_each_admin_exactly_once(
    smtp_server, workers, settings
):
    """A spreadsheet of 12 clients that already have an account: the import sends a link request to each
    company's owner. The worker dies while the mail server is taking the 6th e-mail."""
    nits = valid_nits(907_100_000, 12)
    owners = []
    for nit in nits:
        company = CompanyFactory(tax_id=nit[:9], check_digit=nit[-1])
        owners.append(CompanyMemberFactory(company=company, role="owner").user.email)
    accountant = WorkspaceMemberFactory().user
    job = import_preview(
        workspace=accountant.workspace_memberships.get().workspace,
        user=accountant,
        file_name="clientes.csv",
        data=csv_bytes([[f"Cliente {n}", nit, "", ""] for n, nit in enumerate(nits)]),
    )
    smtp_server.start(hold=5)
    import_confirm(job=job)
    worker = workers.start(TEST_EMAIL_URL=smtp_server.url)
    assert wait_for(smtp_server.is_holding, 60), workers.log()
    kill_worker(worker)  # mid-conversation: the 6th e-mail was never accepted
    assert len(smtp_server.messages()) == 5
    assert Invitation.objects.filter(status="sent").count() == 5
    assert Invitation.objects.filter(status="queued").count() == 7  # the 6th's sending rolled back

    # The killed worker's task comes back from Redis only after an hour: the beat job queues the e-mails
    # pending sending again, including the six still waiting in the queue (sending twice must not send twice).
    settings.WORK_STALLED_AFTER = timedelta(0)
    assert invitations_requeue() == 7
    workers.start(TEST_EMAIL_URL=smtp_server.url)
    assert wait_for(lambda: Invitation.objects.filter(status="sent").count() == 12, 60), workers.log()
    assert sent_to(smtp_server) == sorted(owners)  # each once
    job.refresh_from_db()
    assert (job.status, job.linked_count, job.processed_rows) == ("done", 12, 12)
    invitations = Invitation.objects.all()
    assert [(i.status, i.attempts) for i in invitations] == [("sent", 1)] * 12
    assert InvitationToken.objects.count() == 12  # one working link each, the one e-mailed
    assert all([e.kind for e in i.events.all()] == ["queued", "sent"] for i in invitations)


def test_invitations_stay_pending_while_the_mail_server_is_down_then_go_out_once(
    smtp_server, workers, accountant, workspace
):
    companies = [CompanyFactory(name=f"Cliente Sin Dueño {n} S.A.S.") for n in range(3)]
    emails = [f"duena{n}@example.com" for n in range(3)]
    for company in companies:
        CompanyAccess.objects.create(workspace=workspace, company=company, status="active")
    workers.start(TEST_EMAIL_URL=smtp_server.url)  # nothing listens on the mail server's port yet
    for company, email in zip(companies, emails, strict=True):
        company_client_invite(company=company, workspace=workspace, email=email, invited_by=accountant)

    def tried() -> bool:
        return Invitation.objects.filter(attempts__gte=1).count() == 3

    assert wait_for(tried, 60), workers.log()
    assert set(Invitation.objects.values_list("status", flat=True)) == {"queued"}
    assert all("ConnectionRefusedError" in i.last_error for i in Invitation.objects.all())
    browser = Client()
    browser.force_login(accountant)
    listing = browser.get("/contador/").content.decode()
    assert listing.count("badge-inv-queued") == 3 and "Pendiente de envío" in listing
    assert "badge-inv-failed" not in listing

    smtp_server.start()
    assert wait_for(lambda: Invitation.objects.filter(status="sent").count() == 3, 60), workers.log()
    assert sent_to(smtp_server) == emails
    for invitation in Invitation.objects.all():
        kinds = [event.kind for event in invitation.events.all()]
        assert kinds[0] == "queued" and kinds[-1] == "sent" and set(kinds[1:-1]) == {"failed"}
        assert invitation.attempts == len(kinds) - 1 and invitation.last_error == ""
    assert InvitationToken.objects.count() == 3  # the refused attempts left no link behind
    listing = browser.get("/contador/").content.decode()
    assert listing.count("badge-inv-sent") == 3 and "badge-inv-queued" not in listing
