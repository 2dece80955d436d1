from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from generation.recommendations.services import EventsRefused, events_import_csv


class Command(BaseCommand):
    help = "Imports shoppers' events from a CSV (user, sku, event, timestamp in ISO 8601), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            report = events_import_csv(data=file.read_bytes())
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except EventsRefused as exc:
            for problem in exc.report.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{len(exc.report.problems)} problem(s); nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {report.stored:,} events"))
