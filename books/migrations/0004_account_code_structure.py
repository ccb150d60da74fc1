from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("books", "0003_puc_cleanup")]

    operations = [
        migrations.AddConstraint(
            model_name="account",
            constraint=models.CheckConstraint(
                condition=models.Q(("code__regex", "^([0-9]|([0-9]{2})+)$"), models.Q(models.Q(("code__regex", "^[0-9]$"), ("parent__isnull", True)), ("parent__isnull", False), _connector="OR")),
                name="account_code_puc_structure",
            ),
        ),
    ]
