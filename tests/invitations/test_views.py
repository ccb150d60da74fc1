import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from firms.models import CompanyAccess, CompanyMember, Notice
from invitations.models import Invitation
from invitations.services.answer import invitation_accept, invitation_decline
from invitations.services.create import link_request_dispatch
from tests.factories import CompanyAccessFactory, CompanyMemberFactory, WorkspaceFactory
from tests.outbox import send_outbox
from tests.queries import page_queries

from .conftest import deliver_all

ADD = "/contador/clientes/anadir/"
CREATE = "/contador/clientes/nueva-empresa/"


def test_add_client_answers_the_same_whether_or_not_the_tax_id_exists(
    accountant_client, company_andes, client_member
):
    known = accountant_client.post(ADD, {"name": "Andes", "country": "CO", "tax_id": "860.002.964-4"})
    unknown = accountant_client.post(ADD, {"name": "Andes", "country": "CO", "tax_id": "901.234.567-7"})
    assert known.status_code == unknown.status_code == 200
    assert known.templates[0].name == unknown.templates[0].name == "invitations/client_add_done.html"

    def main(response):  # the page's content, without the per-request CSRF tokens
        body = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode())
        return body.replace("860.002.964-4", "NIT").replace("901.234.567-7", "NIT")

    assert main(known) == main(unknown)
    assert client_member.email not in known.content.decode()


def test_add_client_offers_the_create_flow_with_the_data_filled_in(accountant_client):
    response = accountant_client.post(
        ADD, {"name": "Café Macondo", "country": "CO", "tax_id": "901.234.567-7", "email": "c@example.com"}
    )
    create = accountant_client.get(response.context["create_url"])
    form = create.context["form"]
    assert form["name"].value() == "Café Macondo" and form["tax_id"].value() == "901.234.567-7"
    assert form["email"].value() == "c@example.com"


def test_add_client_refuses_a_bad_nit_in_spanish(accountant_client):
    response = accountant_client.post(ADD, {"name": "X", "country": "CO", "tax_id": "900.123.456-7"})
    assert response.status_code == 200 and "dígito de verificación" in response.content.decode()


def test_add_client_says_when_already_linked_or_waiting(accountant_client, link_request):
    response = accountant_client.post(ADD, {"name": "Andes", "country": "CO", "tax_id": "860002964-4"})
    assert "esperando respuesta" in response.content.decode()
    invitation, _ = link_request
    invitation_accept(invitation=invitation, user=invitation.recipient)
    response = accountant_client.post(ADD, {"name": "Andes", "country": "CO", "tax_id": "860002964-4"})
    assert "ya está vinculada" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_add_client_says_the_same_waiting_message_for_an_unregistered_nit(accountant_client):
    data = {"name": "Macondo", "country": "CO", "tax_id": "901.234.567-7"}
    accountant_client.post(ADD, data)
    assert "esperando respuesta" in accountant_client.post(ADD, data).content.decode()


def test_add_client_after_a_decline_says_when_it_can_ask_again(accountant_client, link_request):
    invitation, _ = link_request
    invitation_decline(invitation=invitation, user=invitation.recipient)
    body = accountant_client.post(
        ADD, {"name": "Andes", "country": "CO", "tax_id": "860002964-4"}
    ).content.decode()
    assert "Esta empresa rechazó tu solicitud el" in body and "Podrás volver a pedir acceso desde el" in body


def _list_row(accountant_client, tax_id_display):
    """The list's row of a NIT as the accountant sees it, without the ids that differ between rows."""
    body = accountant_client.get("/contador/").content.decode()
    row = next(r for r in body.split("<tr>") if tax_id_display in r).split("</tr>")[0]
    row = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", row)
    return re.sub(r"/vinculos/\d+/", "/vinculos/ID/", row).replace(tax_id_display, "NIT")


def test_the_list_shows_a_request_the_same_whether_or_not_the_nit_is_registered(
    accountant_client, workspace, accountant, company_andes, client_member
):
    """Privacy of "Añadir cliente": list, filters, counts, switcher and messages say nothing more for a
    registered NIT than for an unregistered one, until the company accepts."""
    accountant_client.post(ADD, {"name": "Cliente Uno", "country": "CO", "tax_id": "860.002.964-4"})
    accountant_client.post(ADD, {"name": "Cliente Uno", "country": "CO", "tax_id": "901.234.567-7"})
    for access in CompanyAccess.objects.filter(workspace=workspace):
        link_request_dispatch(access_id=access.pk)  # the worker: only the registered NIT gets e-mails
    deliver_all()
    assert len(mail.outbox) == 1
    known, unknown = (
        _list_row(accountant_client, "860.002.964-4"),
        _list_row(accountant_client, "901.234.567-7"),
    )
    assert known == unknown
    assert "Solicitud enviada" in known and "Cliente Uno" in known
    body = accountant_client.get("/contador/").content.decode()
    assert company_andes.name not in body and client_member.email not in body
    for filters in (
        {"status": "pending"},
        {"q": "cliente uno"},
        {"country": "CO"},
        {"provisioning": "ready"},
        {"invitation": "sent"},
        {"invitation": "queued"},
        {"sort": "-name"},
    ):
        page = accountant_client.get("/contador/", filters).context["page"]
        assert {a.tax_id for a in page} in ({"860002964", "901234567"}, set()), filters
    assert not accountant_client.get("/contador/", {"q": "andes"}).context["page"].object_list
    switcher = accountant_client.get(
        "/contador/cambiar-empresa/", {"q": "andes"}, headers={"HX-Request": "true"}
    )
    assert company_andes.name not in switcher.content.decode()


def test_withdrawing_a_request_from_the_list(accountant_client, workspace):
    accountant_client.post(ADD, {"name": "Café Macondo", "country": "CO", "tax_id": "901.234.567-7"})
    access = CompanyAccess.objects.get(workspace=workspace)
    response = accountant_client.post(f"/contador/clientes/vinculos/{access.pk}/revocar/", follow=True)
    body = response.content.decode()
    assert "Retiraste tu solicitud para Café Macondo." in body and "Solicitud retirada" in body
    access.refresh_from_db()
    assert access.status == "withdrawn"


def test_a_message_never_doubles_the_period_after_a_name_ending_in_sas(accountant_client, workspace):
    accountant_client.post(ADD, {"name": "Café Macondo S.A.S.", "country": "CO", "tax_id": "901.234.567-7"})
    access = CompanyAccess.objects.get(workspace=workspace)
    body = accountant_client.post(f"/contador/clientes/vinculos/{access.pk}/revocar/", follow=True).content
    assert "Café Macondo S.A.S.." not in body.decode() and "Café Macondo S.A.S." in body.decode()


def test_create_company_for_a_client_lands_in_the_company(accountant_client, workspace):
    data = {
        "email": "nuevo@example.com",
        "password": "Clave-Temporal-9",
        "name": "Café Macondo S.A.S.",
        "country": "CO",
        "tax_id": "901234567-7",
        "sector": "I",
        "tax_responsibilities": ["05", "48"],
    }
    response = accountant_client.post(CREATE, data, follow=True)
    assert response.status_code == 200 and "Café Macondo S.A.S." in response.content.decode()
    assert response.request["PATH_INFO"].startswith("/c/")
    assert Invitation.objects.get().kind == "activation"


def test_create_company_refuses_an_existing_tax_id_and_rut_codes_outside_colombia(
    accountant_client, company_andes
):
    data = {
        "email": "n@example.com",
        "password": "Clave-Temporal-9",
        "name": "X",
        "country": "CO",
        "tax_id": "860002964-4",
    }
    assert "Ya existe una empresa" in accountant_client.post(CREATE, data).content.decode()
    data = {**data, "country": "PE", "tax_id": "20131312955", "tax_responsibilities": ["48"]}
    assert "solo aplican a empresas colombianas" in accountant_client.post(CREATE, data).content.decode()


def test_create_company_refuses_a_weak_temporary_password(accountant_client):
    data = {
        "email": "n@example.com",
        "password": "12345678",
        "name": "X",
        "country": "CO",
        "tax_id": "901234567-7",
    }
    response = accountant_client.post(CREATE, data)
    assert response.status_code == 200 and not Invitation.objects.exists()


# The link ---------------------------------------------------------------------------------------


@pytest.fixture
def recipient_client():
    """A second browser session, beside the accountant's."""
    from django.test import Client

    return Client()


def _url(token):
    return f"/invitaciones/{token}/"


def test_tampered_link_says_invalid_not_500(client, link_request):
    _invitation, token = link_request
    response = client.get(_url(token[:-1] + ("A" if token[-1] != "A" else "B")))
    assert response.status_code == 404 and "no es válido" in response.content.decode()


def test_expired_link_says_so_and_lets_the_recipient_ask_for_a_new_one(client, link_request, accountant):
    invitation, token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(_url(token))
    assert response.status_code == 410 and "venció" in response.content.decode()
    client.post(_url(token) + "nuevo-enlace/")
    client.post(_url(token) + "nuevo-enlace/")  # once a day at most
    requests = [m for m in mail.outbox if m.to == [accountant.email]]
    assert len(requests) == 0  # queued on commit: sent by the worker
    assert len(send_outbox()) == 1
    message = mail.outbox[-1]
    assert message.to == [accountant.email] and "Distribuidora Los Andes (860.002.964-4)" in message.body
    # who administers the company is never shown to an accountant it has not accepted
    assert invitation.email not in message.body and invitation.company.name not in message.body
    invitation.refresh_from_db()
    assert invitation.events.filter(kind="renewal").count() == 1


def test_used_link_says_it_was_used(client, link_request):
    invitation, token = link_request
    client.force_login(invitation.recipient)
    client.post(_url(token), {"action": "accept"})
    response = client.get(_url(token))
    assert response.status_code == 410 and "ya se usó" in response.content.decode()


def test_anonymous_recipient_is_asked_to_log_in(client, link_request):
    invitation, token = link_request
    response = client.get(_url(token))
    body = response.content.decode()
    assert response.status_code == 200 and "/cuentas/login/?next=" in body and invitation.company.name in body


def test_logged_in_as_another_user_is_refused_with_a_way_to_switch(client, link_request, outsider):
    invitation, token = link_request
    client.force_login(outsider)
    response = client.post(_url(token), {"action": "accept"})
    body = response.content.decode()
    assert response.status_code == 403 and outsider.email in body and invitation.email in body
    assert "Cerrar sesión y cambiar de cuenta" in body
    assert CompanyAccess.objects.get(pk=invitation.access_id).status == "pending"


def test_recipient_accepts_and_the_accountant_enters(recipient_client, link_request, accountant_client):
    invitation, token = link_request
    recipient_client.force_login(invitation.recipient)
    response = recipient_client.post(_url(token), {"action": "accept"})
    assert response.status_code == 302 and response.url.endswith("/contadores/")
    assert accountant_client.get(invitation.company.get_absolute_url()).status_code == 200


def test_recipient_declines_with_a_reason_shown_to_the_accountant(
    recipient_client, link_request, accountant_client
):
    invitation, token = link_request
    recipient_client.force_login(invitation.recipient)
    recipient_client.post(_url(token), {"action": "decline", "reason": "Ya tenemos contador"})
    body = accountant_client.get("/contador/", {"status": "declined"}).content.decode()
    assert "Distribuidora Los Andes" in body and "Ya tenemos contador" in body and "Rechazado" in body
    assert invitation.company.name not in body  # the name the accountant typed, still not the company's


def test_new_client_activates_with_a_new_password_and_lands_in_the_company(client, activation):
    invitation, token = activation
    page = client.get(_url(token))
    assert "Activa tu cuenta" in page.content.decode()
    same = client.post(
        _url(token), {"password1": "Clave-Del-Contador-1", "password2": "Clave-Del-Contador-1"}
    )
    assert same.status_code == 200 and "diferente" in same.content.decode()
    mismatch = client.post(_url(token), {"password1": "Mi-Clave-Nueva-1", "password2": "Mi-Clave-Nueva-2"})
    assert mismatch.status_code == 200
    response = client.post(_url(token), {"password1": "Mi-Clave-Nueva-1", "password2": "Mi-Clave-Nueva-1"})
    assert response.status_code == 302 and response.url == invitation.company.get_absolute_url()
    assert client.get(response.url).status_code == 200  # logged in, in the company
    assert CompanyMember.objects.get(company=invitation.company).role == "owner"


# The workspace list ----------------------------------------------------------------------------


def test_list_shows_the_activation_invitation_status_with_its_date(accountant_client, activation):
    body = accountant_client.get("/contador/").content.decode()
    assert "Enviada" in body and "Café Macondo S.A.S." in body


@pytest.mark.parametrize("status", ["queued", "sent", "failed", "accepted", "declined", "expired", "revoked"])
def test_list_filters_by_invitation_status(accountant_client, activation, status):
    invitation, _ = activation
    CompanyAccess.objects.filter(pk=invitation.access_id).update(invitation_status=status)
    response = accountant_client.get("/contador/", {"invitation": status})
    assert [a.company.name for a in response.context["page"]] == [invitation.company.name]
    other = "sent" if status != "sent" else "failed"
    assert not list(accountant_client.get("/contador/", {"invitation": other}).context["page"])


def test_invitation_filter_names_agree_with_invitación_in_spanish(accountant_client):
    body = accountant_client.get("/contador/").content.decode()
    for label in ("Aceptada", "Rechazada", "Vencida", "Revocada", "Enviada"):
        assert f">{label}</option>" in body


def test_resend_is_hidden_while_refused_and_says_from_when(accountant_client, activation):
    invitation, _ = activation
    body = accountant_client.get("/contador/").content.decode()
    assert "Podrás reenviarla desde las" in body and "/reenviar/" not in body
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    body = accountant_client.get("/contador/").content.decode()
    assert "Podrás reenviarla desde las" not in body and "/reenviar/" in body


def test_list_resend_and_revoke_actions(accountant_client, activation):
    invitation, _ = activation
    response = accountant_client.post(
        f"/contador/clientes/vinculos/{invitation.access_id}/reenviar/", follow=True
    )
    assert "10 minutos" in response.content.decode()
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    accountant_client.post(f"/contador/clientes/vinculos/{invitation.access_id}/reenviar/")
    assert len(deliver_all()) == 1
    accountant_client.post(f"/contador/clientes/vinculos/{invitation.access_id}/revocar/")
    assert Invitation.objects.get(pk=invitation.pk).status == "revoked"
    body = accountant_client.get("/contador/").content.decode()
    assert "Revocada" in body


# The client's side -----------------------------------------------------------------------------


def test_company_admin_sees_and_revokes_accountants(
    recipient_client, link_request, accountant_client, workspace
):
    invitation, _ = link_request
    recipient_client.force_login(invitation.recipient)
    recipient_client.post(_url(link_request[1]), {"action": "accept"})
    page = recipient_client.get(f"/c/{invitation.company.slug}/contadores/")
    assert workspace.name in page.content.decode()
    recipient_client.post(f"/c/{invitation.company.slug}/contadores/{invitation.access_id}/revocar/")
    assert accountant_client.get(invitation.company.get_absolute_url()).status_code == 403
    assert "Revocado" in accountant_client.get("/contador/").content.decode()


def test_company_admin_accepts_a_pending_request_from_accountants_with_access(
    recipient_client, link_request, accountant_client, accountant, workspace
):
    invitation, _token = link_request
    recipient_client.force_login(invitation.recipient)
    page = recipient_client.get(f"/c/{invitation.company.slug}/contadores/").content.decode()
    assert "Solicitudes que esperan tu respuesta" in page and workspace.name in page
    response = recipient_client.post(
        f"/c/{invitation.company.slug}/contadores/{invitation.access_id}/aceptar/", follow=True
    )
    assert "ahora tiene acceso" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_by == invitation.recipient
    assert accountant_client.get(invitation.company.get_absolute_url()).status_code == 200
    assert Notice.objects.filter(user=accountant, kind="accepted").exists()
    notices = accountant_client.get("/contador/avisos/").content.decode()
    assert "aceptó tu solicitud" in notices


def test_company_admin_declines_a_pending_request_with_a_reason(
    recipient_client, link_request, accountant_client
):
    invitation, _token = link_request
    recipient_client.force_login(invitation.recipient)
    recipient_client.post(
        f"/c/{invitation.company.slug}/contadores/{invitation.access_id}/rechazar/",
        {"reason": "Preferimos otra firma"},
    )
    access = CompanyAccess.objects.get(pk=invitation.access_id)
    assert access.status == "declined" and access.decline_reason == "Preferimos otra firma"
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert "Preferimos otra firma" in accountant_client.get("/contador/avisos/").content.decode()
    # the e-mail link no longer works
    assert recipient_client.get(_url(link_request[1])).status_code == 410


def test_another_companys_admin_cannot_answer_a_request(client, link_request, company_pena):
    invitation, _token = link_request
    other = CompanyMemberFactory(company=company_pena).user
    client.force_login(other)
    url = f"/c/{company_pena.slug}/contadores/{invitation.access_id}/aceptar/"
    assert client.post(url).status_code == 404
    assert CompanyAccess.objects.get(pk=invitation.access_id).status == "pending"


def test_accountants_page_is_404_for_the_accountant_and_for_outsiders(
    accountant_client, recipient_client, outsider, link_request
):
    invitation, token = link_request
    recipient_client.force_login(invitation.recipient)
    recipient_client.post(_url(token), {"action": "accept"})
    assert accountant_client.get(f"/c/{invitation.company.slug}/contadores/").status_code == 404
    recipient_client.force_login(outsider)
    assert recipient_client.get(f"/c/{invitation.company.slug}/contadores/").status_code == 404


def test_list_actions_never_redirect_to_another_site(accountant_client, link_request):
    invitation, _ = link_request
    response = accountant_client.post(
        f"/contador/clientes/vinculos/{invitation.access_id}/revocar/", {"next": "https://evil.example.com/"}
    )
    assert response.url == "/contador/"


def test_a_link_does_not_switch_a_deactivated_account_back_on(recipient_client, link_request):
    invitation, token = link_request
    type(invitation.recipient).objects.filter(pk=invitation.recipient_id).update(is_active=False)
    response = recipient_client.post(
        _url(token), {"password1": "Nueva-Clave-123", "password2": "Nueva-Clave-123"}
    )
    assert response.status_code == 404 and "no es válido" in response.content.decode()
    invitation.recipient.refresh_from_db()
    assert not invitation.recipient.is_active
    assert CompanyAccess.objects.get(pk=invitation.access_id).status == "pending"


def test_an_admin_removed_from_the_company_cannot_accept(recipient_client, link_request):
    invitation, token = link_request
    CompanyMember.objects.filter(company=invitation.company, user=invitation.recipient).delete()
    recipient_client.force_login(invitation.recipient)
    response = recipient_client.post(_url(token), {"action": "accept"}, follow=True)
    assert "administradores" in response.content.decode()
    assert CompanyAccess.objects.get(pk=invitation.access_id).status == "pending"


def test_accountants_page_query_count_is_the_same_for_1_and_6_workspaces(
    client, client_member, company_andes
):
    client.force_login(client_member)
    url = f"/c/{company_andes.slug}/contadores/"
    CompanyAccessFactory(company=company_andes)
    small = page_queries(client, url)
    for _ in range(5):
        CompanyAccessFactory(company=company_andes, workspace=WorkspaceFactory())
    assert len(client.get(url).context["accesses"]) == 6
    assert page_queries(client, url) == small


def test_add_client_does_the_same_work_for_a_registered_and_an_unregistered_nit(
    accountant_client, company_andes, client_member, django_capture_on_commit_callbacks
):
    """Timing: the page runs the same queries and queues the same task whether or not a company has
    the NIT; looking for the company is the worker's job, after the page answered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def work(tax_id):
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            response = accountant_client.post(ADD, {"name": "Cliente", "country": "CO", "tax_id": tax_id})
        assert response.status_code == 200
        shapes = [re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'S'", query["sql"])) for query in captured]
        return shapes, len(callbacks)

    accountant_client.get(ADD)  # the session is written on the first visit
    assert work("860.002.964-4") == work("901.234.567-7")
    assert not Invitation.objects.exists()


def test_create_a_persona_natural_by_cedula_for_a_client(accountant_client, workspace):
    data = {
        "email": "maria@example.com",
        "password": "Clave-Temporal-9",
        "person_type": "natural",
        "given_names": "María Fernanda",
        "surnames": "Peña Rodríguez",
        "country": "CO",
        "document_type": "cc",
        "tax_id": "79.123.456",
        "tax_responsibilities": ["05", "48"],
    }
    response = accountant_client.post(CREATE, data, follow=True)
    body = response.content.decode()
    assert "María Fernanda Peña Rodríguez" in body and "CC 79.123.456" in body
    company = CompanyAccess.objects.get(workspace=workspace).company
    assert (company.person_type, company.document_type, company.tax_id, company.check_digit) == (
        "natural",
        "cc",
        "79123456",
        "",
    )


def test_a_persona_natural_needs_names_and_a_cedula_has_no_check_digit(accountant_client):
    data = {
        "email": "m@example.com",
        "password": "Clave-Temporal-9",
        "person_type": "natural",
        "country": "CO",
    }
    body = accountant_client.post(CREATE, {**data, "document_type": "cc", "tax_id": "79123456-1"}).content
    body = body.decode()
    assert "Obligatorio para una persona natural" in body and "sin dígito de verificación" in body


def test_an_old_link_after_resend_says_it_was_replaced_and_accepts_nothing(
    recipient_client, link_request, accountant_client
):
    invitation, old_token = link_request
    CompanyAccess.objects.filter(pk=invitation.access_id).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    accountant_client.post(f"/contador/clientes/vinculos/{invitation.access_id}/reenviar/")
    link_request_dispatch(access_id=invitation.access_id, resend=True)  # what the worker does
    (new_token,) = deliver_all()
    recipient_client.force_login(invitation.recipient)
    response = recipient_client.post(_url(old_token), {"action": "accept"})
    assert response.status_code == 410 and "reemplazado por uno más reciente" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "sent"
    recipient_client.post(_url(new_token), {"action": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert "ya se usó" in recipient_client.get(_url(old_token)).content.decode()  # answered beats replaced


def test_new_link_page_on_an_answered_invitation_says_so_and_sends_nothing(client, link_request):
    invitation, token = link_request
    client.force_login(invitation.recipient)
    client.post(_url(token), {"action": "accept"})
    client.logout()
    sent_before = len(mail.outbox)
    response = client.post(_url(token) + "nuevo-enlace/")
    body = response.content.decode()
    assert response.status_code == 410 and "ya se usó" in body and "Pedimos un nuevo enlace" not in body
    assert not invitation.events.filter(kind="renewal").exists() and len(mail.outbox) == sent_before


def test_new_link_page_on_a_valid_link_goes_back_to_the_link(client, link_request):
    invitation, token = link_request
    response = client.post(_url(token) + "nuevo-enlace/")
    assert response.status_code == 302 and response.url == _url(token)
    assert not invitation.events.filter(kind="renewal").exists()


def test_new_link_asked_twice_says_it_was_already_asked(client, link_request):
    invitation, token = link_request
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    first = client.post(_url(token) + "nuevo-enlace/").content.decode()
    assert "Pedimos un nuevo enlace" in first
    second = client.post(_url(token) + "nuevo-enlace/").content.decode()
    assert "Ya pediste un enlace nuevo" in second and "no se envió nada más" in second
    assert invitation.events.filter(kind="renewal").count() == 1
