from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BooksConfig(AppConfig):
    name = "books"
    verbose_name = _("Books")

    def ready(self):
        from core.database import app_role_limit
        from core.work import stalled_work_register
        from firms.access import plan_guard_namespaces
        from firms.services.provisioning import SchemaSeeder, schema_seeder_register
        from firms.services.snapshots import snapshot_contributor_register

        from .services.chart import chart_copy, chart_seed_template
        from .services.journal import journal_imports_resume
        from .snapshots import books_snapshot_contributor

        # New company schemas start with the chart of accounts of their country.
        schema_seeder_register(SchemaSeeder(seed_template=chart_seed_template, copy=chart_copy))
        # The portfolio board shows each company's figures from a snapshot that books computes.
        snapshot_contributor_register(books_snapshot_contributor)
        # Comprobante imports whose queueing was lost or whose worker died are queued again.
        stalled_work_register(journal_imports_resume)
        # The books are the company's data: plan consulta refuses their writes.
        plan_guard_namespaces("books")
        # The kept balances change only inside the posting trigger (a SECURITY DEFINER function).
        for table in ("books_balance", "books_accountbalance", "books_accountdaybalance"):
            app_role_limit(table, "SELECT")
