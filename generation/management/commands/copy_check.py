import json
import sys

from django.core.management.base import BaseCommand, CommandError

from generation.services.copy_grounding import copy_check_one, copy_vocabulary

REQUIRED = ("id", "kind", "category", "text")


class Command(BaseCommand):
    help = (
        "Checks copy against the grounding rules. Reads one JSON object per line (id, kind, category, attributes, "
        "text, optional keywords and banned) and prints one JSON line per input: id and flags ([] when it passes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", required=True, help="the file to read, or - for standard input")

    def handle(self, *args, jsonl, **options):
        vocabulary = copy_vocabulary()
        bad = 0
        try:
            source = sys.stdin if jsonl == "-" else open(jsonl, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {jsonl}: {exc.strerror}") from exc
        with source:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                entry = None
                try:
                    entry = json.loads(line)
                    missing = [key for key in REQUIRED if key not in entry]
                    if missing:
                        raise ValueError(f"missing {', '.join(missing)}")
                    result = {"id": entry["id"], "flags": copy_check_one(entry=entry, vocabulary=vocabulary)}
                except (ValueError, TypeError, AttributeError) as exc:  # one bad line is reported, the rest go on
                    bad += 1
                    result = {"id": entry.get("id") if isinstance(entry, dict) else None, "line": number,
                              "error": str(exc)}  # fmt: skip
                self.stdout.write(json.dumps(result, ensure_ascii=False))
        if bad:
            raise CommandError(f'{bad} line(s) could not be checked; see their "error".')
