import json
import sys

from django.core.management.base import BaseCommand, CommandError

from generation.storefront.answering import active_product, answer_for


class Command(BaseCommand):
    help = (
        "Answers questions with the built-in answerer against this database's catalog and articles: one JSON object "
        'a line in ({"id", "question", "sku"?, "language"?}), one out ({"id", "action", "answer", "citations", '
        '"products"}).'
    )

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", required=True, help="a file of JSON lines, or - for standard input")

    def handle(self, *args, jsonl, **options):
        try:
            lines = sys.stdin if jsonl == "-" else open(jsonl, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(str(exc)) from None
        failed = False
        with lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    product = active_product(str(entry.get("sku") or ""))
                    answer = answer_for(str(entry["question"]), product=product, language=entry.get("language"))
                except (ValueError, KeyError, TypeError) as exc:
                    failed = True
                    self.stdout.write(json.dumps({"line": number, "error": f"{type(exc).__name__}: {exc}"}))
                    continue
                self.stdout.write(json.dumps({
                    "id": entry.get("id"), "action": answer.action, "answer": answer.text,
                    "citations": [c.as_dict() for c in answer.citations], "products": answer.products,
                }, ensure_ascii=False))  # fmt: skip
        if failed:
            raise CommandError("Some lines could not be read; see their errors.")
