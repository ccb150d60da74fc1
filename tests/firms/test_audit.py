import pytest
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from firms.models import AuditEvent
from firms.services.audit import audit_actor, audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_names_the_actor_of_the_surrounding_request(rf, accountant, workspace):
    request = rf.get("/")
    request.user = accountant
    with audit_actor(request):
        event = audit_record(action="workspace.updated", workspace=workspace, target=workspace, summary="x")
    event.refresh_from_db()
    assert (event.actor, event.actor_email, event.workspace, event.object_type, event.object_id) == (
        accountant,
        accountant.email,
        workspace,
        "workspace",
        str(workspace.pk),
    )


def test_audit_record_takes_the_company_from_the_tenant(company_pena):
    with schema_context(company_pena.schema_name):
        connection.set_tenant(company_pena)
        event = audit_record(action="entry.posted", object_label="CC-1")
    assert (event.company, event.company_name, event.actor) == (company_pena, company_pena.name, None)


@pytest.mark.parametrize(
    "statement", ["UPDATE firms_auditevent SET summary = 'x'", "DELETE FROM firms_auditevent"]
)
def test_postgresql_refuses_to_change_or_delete_an_event(statement, workspace):
    event = audit_record(action="workspace.updated", workspace=workspace, summary="antes")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"{statement} WHERE id = %s", [event.pk])  # noqa: S608 (fixed statements)
    assert AuditEvent.objects.get(pk=event.pk).summary == "antes"


def test_admin_shows_the_log_read_only(admin_client, workspace):
    event = audit_record(action="workspace.updated", workspace=workspace, summary="visible")
    listing = admin_client.get("/admin/firms/auditevent/")
    assert listing.status_code == 200 and "visible" in listing.content.decode()
    assert (
        admin_client.post(f"/admin/firms/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_summary_read_in_any_language_ends_once_after_a_name_ending_in_a_period(workspace):
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from firms.services.audit import AuditText

    audit_record(
        action="company.updated",
        workspace=workspace,
        summary=AuditText(gettext_noop("%(name)s."), name="Peña S.A.S."),
    )
    event = AuditEvent.objects.get(action="company.updated")
    assert event.summary == "Peña S.A.S."
    for language in ("es", "en"):
        with translation.override(language):
            assert event.display_summary == "Peña S.A.S."
