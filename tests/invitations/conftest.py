import re

import pytest
from django.core import mail

from firms.tax_ids import TaxId
from invitations.models import Invitation
from invitations.services.create import client_account_create, client_link_request, link_request_dispatch
from invitations.services.deliver import invitation_deliver

TOKEN_IN_URL = re.compile(r"/invitaciones/([A-Za-z0-9_\-]+)/")


def deliver_all() -> list[str]:
    """What the worker does: send every queued invitation. Returns the raw tokens e-mailed."""
    before = len(mail.outbox)
    for invitation in Invitation.objects.filter(status=Invitation.Status.QUEUED).order_by("pk"):
        invitation_deliver(invitation_id=invitation.pk)
    return [TOKEN_IN_URL.search(message.body).group(1) for message in mail.outbox[before:]]


ANDES_NIT = TaxId("860002964", "4")


def request_link(workspace, accountant, tax_id=ANDES_NIT, name="Distribuidora Los Andes"):
    """What "Añadir cliente" and then its worker do: the request, then the invitations of the company's
    admins if a company has the tax ID. Returns the request (the workspace's access)."""
    access = client_link_request(
        workspace=workspace, name=name, country="CO", tax_id=tax_id, invited_by=accountant
    )
    link_request_dispatch(access_id=access.pk)
    return access


@pytest.fixture
def link_request(workspace, accountant, company_andes, client_member):
    """The accountant asked company_andes (owned by client_member) for access; the e-mail went out."""
    request_link(workspace, accountant)
    (token,) = deliver_all()
    return Invitation.objects.get(company=company_andes, workspace=workspace), token


@pytest.fixture
def activation(workspace, accountant):
    """The accountant created a company for a new client; the activation e-mail went out."""
    company = client_account_create(
        workspace=workspace,
        invited_by=accountant,
        email="cliente.nuevo@example.com",
        password="Clave-Del-Contador-1",
        name="Café Macondo S.A.S.",
        country="CO",
        tax_id=TaxId("901234567", "7"),
        sector="I",
        tax_responsibilities=["05", "48"],
    )
    (token,) = deliver_all()
    return Invitation.objects.get(company=company), token


def deliver_notices() -> list:
    """What the worker does with the notices' e-mails (in the outbox). Returns the e-mails sent."""
    from tests.outbox import send_outbox

    return send_outbox()
