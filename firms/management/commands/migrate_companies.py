import sys

from django.core.management.base import BaseCommand, CommandError

from firms.schema_migrations import companies_migrate, default_processes


class Command(BaseCommand):
    help = (
        "Apply pending tenant migrations to every company whose schema is ready, N schemas at a time, with a "
        "progress line. Schemas already at the latest migration are skipped, so a run after a failure "
        "finishes the rest. Exit status 1 when a schema failed (listed on stderr). Companies still pending "
        "get the current migrations when provisioned."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=default_processes(),
            help="Worker processes, each migrating one schema at a time (default: the CPU count, at most 8).",
        )
        parser.add_argument(
            "--schema", action="append", dest="schemas", help="Only this schema (repeatable)."
        )

    def handle(self, *args, processes, schemas, **options):
        if processes < 1:
            raise CommandError("--processes must be at least 1.")
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(run):
            line = f"migrate_companies: {run.progress_line()}"
            if interactive and len(run.outcomes) < run.total:
                self.stdout.write(f"\r{line}", ending="")
            else:
                self.stdout.write(f"\r{line}" if interactive else line)

        run = companies_migrate(schema_names=schemas, processes=processes, progress=progress)
        for failure in run.failures:
            self.stderr.write(f"{failure.schema_name}: {failure.error}")
        if run.failures:
            self.stderr.write(
                f"{len(run.failures)} company schemas failed; fix the cause and run migrate_companies again "
                "(the schemas already migrated are skipped)."
            )
            sys.exit(1)
        self.stdout.write(f"{run.total} company schemas up to date.")
