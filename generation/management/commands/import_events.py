from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from generation.recommendations.services import EventsRefused, events_import_csv
from generation.storefront.models import StorefrontKey


class Command(BaseCommand):
    help = (
        "Imports shoppers' events from a CSV (user, sku, event, timestamp in ISO 8601), all or nothing; with "
        "--storefront NAME, as that storefront's shoppers (their for-you rows then answer its shopper tokens)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--storefront", default="", help="the storefront's name, as in the admin")

    def handle(self, *args, file, storefront, **options):
        key = None
        if storefront:
            key = StorefrontKey.objects.filter(name=storefront, revoked_at__isnull=True).first()
            if key is None:
                raise CommandError(f"No storefront named {storefront!r} that is not revoked.")
        try:
            report = events_import_csv(path=file, storefront=key)
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except EventsRefused as exc:
            for problem in exc.report.problems:
                self.stderr.write(f"  {problem}")
            if exc.report.problems_not_listed:
                self.stderr.write(f"  ... and {exc.report.problems_not_listed:,} more")
            raise CommandError(f"{exc.report.problem_count:,} problem(s); nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {report.stored:,} events"))
