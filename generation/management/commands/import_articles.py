from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from generation.storefront.services import DEMO_ARTICLES, articles_import, demo_articles_ensure
from retail_studio.errors import StudioError


class Command(BaseCommand):
    help = (
        "Imports the store's articles from a folder of .md files (the slug is the file's name, the title its first "
        "heading, the language its -zh / -en suffix or its text); all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, nargs="?", help="the folder of .md files")
        parser.add_argument("--draft", action="store_true", help="new articles stay unpublished")
        parser.add_argument(
            "--demo", action="store_true", help=f"the shipped demo articles ({DEMO_ARTICLES}), when the store has none"
        )

    def handle(self, *args, folder, draft, demo, **options):
        if demo:
            created = demo_articles_ensure()
            if created:
                self.stdout.write(self.style.SUCCESS(f"Imported {created} demo store articles"))
            return
        if folder is None or not folder.is_dir():
            raise CommandError("Name a folder of .md files (or --demo).")
        try:
            created, changed = articles_import(folder=folder, publish=not draft)
        except StudioError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{created} article(s) created, {changed} changed"))
