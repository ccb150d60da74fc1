"""The ledger's rules now live in books/sql/ledger.sql (functions and triggers, as 0006, 0009, 0010, 0014 and
0015 left them): applied here, it changes nothing in a schema those migrations made."""

from django.db import migrations

from books.sql import LedgerRules


class Migration(migrations.Migration):
    dependencies = [
        ("books", "0016_background_work"),
    ]

    operations = [
        LedgerRules(sha256="81459d53d0650d30893789f3f0a04dc506121a59ff933d311958baf8138e0391"),
    ]
