"""What the invitation e-mails say, in the recipient's language."""

from django.core import mail

from accounts.models import User
from firms.tax_ids import TaxId
from invitations.services.create import client_account_create
from tests.factories import UserFactory

from .conftest import deliver_all, request_link


def _html(message):
    return (
        message.alternatives[0][0]
        if hasattr(message.alternatives[0], "__getitem__")
        else message.alternatives[0].content
    )


def _company_for_client(workspace, accountant, *, email, name):
    """The accountant creates a company for a client (temporary password "Temporal-123-x")."""
    client_account_create(
        workspace=workspace,
        invited_by=accountant,
        email=email,
        password="Temporal-123-x",
        name=name,
        country="CO",
        tax_id=TaxId("901234567", "7"),
    )


def test_link_request_email_in_spanish_names_who_what_and_until_when(link_request, accountant, workspace):
    invitation, token = link_request
    message = mail.outbox[-1]
    assert message.to == [invitation.email]
    assert (
        message.subject
        == f"{accountant.full_name} pide acceso a la contabilidad de Distribuidora Los Andes Ltda."
    )
    for part in (message.body, _html(message)):
        assert accountant.full_name in part and workspace.name in part
        assert "Distribuidora Los Andes Ltda." in part
        assert "contabilidad" in part  # what the access grants
        assert f"http://testserver/invitaciones/{token}/" in part
        assert invitation.expires_at.astimezone().strftime("%Y") in part
    assert "válido hasta" in message.body


def test_link_request_email_in_english_for_an_english_speaking_admin(
    workspace, accountant, company_andes, client_member
):
    User.objects.filter(pk=client_member.pk).update(language="en")
    request_link(workspace, accountant)
    deliver_all()
    message = mail.outbox[-1]
    assert (
        message.subject
        == f"{accountant.full_name} asks for access to the books of Distribuidora Los Andes Ltda."
    )
    assert "The link is valid until" in message.body and "válido" not in message.body


def test_activation_email_asks_the_new_client_to_choose_a_password_and_never_shows_one(workspace, accountant):
    _company_for_client(workspace, accountant, email="nuevo@example.com", name="Café Macondo S.A.S.")
    deliver_all()
    message = mail.outbox[-1]
    assert message.to == ["nuevo@example.com"]
    assert (
        message.subject == f"{accountant.full_name} creó la cuenta de Café Macondo S.A.S. en Portal Contador"
    )
    assert "elige tu propia contraseña" in message.body and "propietario" in message.body
    assert "Temporal-123-x" not in message.body and "Temporal-123-x" not in _html(message)


def test_ownership_offer_to_an_existing_english_speaking_user(workspace, accountant):
    UserFactory(email="owner@example.com", language="en")
    _company_for_client(workspace, accountant, email="owner@example.com", name="Café Macondo S.A.S.")
    deliver_all()
    message = mail.outbox[-1]
    assert (
        message.subject
        == f"{accountant.full_name} created the account of Café Macondo S.A.S. in Portal Contador"
    )
    assert "Accept here to be the owner of the company" in message.body and "password" not in message.body


def test_invitation_links_follow_site_url(workspace, accountant, company_andes, client_member, settings):
    settings.SITE_URL = "http://localhost:8111"
    request_link(workspace, accountant)
    deliver_all()
    assert "http://localhost:8111/invitaciones/" in mail.outbox[-1].body
    assert "localhost:8000" not in mail.outbox[-1].body


def test_make_run_gives_the_worker_the_same_port_as_the_web_server():
    """The worker builds the links of the e-mails it sends: it must see the PORT that `make run` serves on."""
    from pathlib import Path

    run = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert 'export PORT="${PORT:-8000}"' in run
    assert run.index("export PORT") < run.index("celery -A accountant_portal worker")


def test_subjects_and_text_bodies_keep_ampersands_and_quotes_unescaped(workspace, accountant):
    accountant.full_name = "Ana O'Neil"
    accountant.save(update_fields=["full_name"])
    _company_for_client(
        workspace, accountant, email="nuevo@example.com", name='Pérez & Cía "La Esquina" S.A.S.'
    )
    deliver_all()
    message = mail.outbox[-1]
    assert (
        message.subject == 'Ana O\'Neil creó la cuenta de Pérez & Cía "La Esquina" S.A.S. en Portal Contador'
    )
    assert 'Pérez & Cía "La Esquina" S.A.S.' in message.body and "&amp;" not in message.body
    assert "Pérez &amp; Cía &quot;La Esquina&quot; S.A.S." in _html(message)  # HTML stays escaped


def test_the_decline_email_ends_its_sentence_once_after_a_name_ending_in_a_period(
    workspace, accountant, company_andes, client_member
):
    from invitations.models import Invitation
    from invitations.services.answer import invitation_decline

    from .conftest import deliver_notices

    request_link(workspace, accountant, name="Distribuidora Los Andes Ltda.")
    deliver_all()
    invitation = Invitation.objects.get(company=company_andes, workspace=workspace)
    invitation_decline(invitation=invitation, user=client_member)
    (message,) = deliver_notices()
    sentence = f"La solicitud de acceso de {workspace.name} a Distribuidora Los Andes Ltda. fue rechazada."
    assert sentence in message.body and "Ltda.." not in message.body
    assert "Ltda.</strong> fue rechazada." in _html(message) and "</strong>." not in _html(message)
