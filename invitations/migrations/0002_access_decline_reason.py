from django.db import migrations


def copy_decline_reasons(apps, schema_editor):
    """The access now keeps its declined link request's reason (the workspace list read it from here)."""
    Invitation = apps.get_model("invitations", "Invitation")
    CompanyAccess = apps.get_model("firms", "CompanyAccess")
    declined = Invitation.objects.filter(status="declined").exclude(decline_reason="").order_by("responded_at")
    for invitation in declined.iterator():
        CompanyAccess.objects.filter(pk=invitation.access_id, invitation_status="declined").update(
            decline_reason=invitation.decline_reason
        )


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0001_initial"),
        ("firms", "0003_companyaccess_decline_reason"),
    ]

    operations = [migrations.RunPython(copy_decline_reasons, migrations.RunPython.noop)]
