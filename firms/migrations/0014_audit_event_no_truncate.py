from django.db import migrations

# Emptying the log at once is refused like changing one event (the app role has no TRUNCATE privilege
# either; this stops the owner's own mistakes).
NO_TRUNCATE = """
CREATE TRIGGER firms_auditevent_no_truncate BEFORE TRUNCATE ON firms_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION firms_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("firms", "0013_snapshot_money_as_wide_as_the_books"),
    ]

    operations = [
        migrations.RunSQL(NO_TRUNCATE, "DROP TRIGGER firms_auditevent_no_truncate ON firms_auditevent;"),
    ]
