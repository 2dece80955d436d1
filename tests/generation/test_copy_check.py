import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from generation.models import CopyTerm
from tests.factories import make_product

pytestmark = pytest.mark.django_db

ENTRIES = [
    {"id": "a", "kind": "title", "category": "Sneaker", "attributes": {"colour": "black"}, "text": "Red sneaker"},
    {"id": "b", "kind": "title", "category": "Sneaker", "attributes": {"colour": "black"}, "text": "Jet-black sneaker"},
    {"id": "c", "kind": "ad_headline", "category": "Bag", "attributes": {}, "text": "A bag", "keywords": ["tote"],
     "banned": ["bag"]},
]  # fmt: skip


def run_copy_check(tmp_path, lines: list[str], capsys) -> list[dict]:
    path = tmp_path / "copy.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("copy_check", "--jsonl", str(path))
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_copy_check_prints_one_json_line_per_input(tmp_path, capsys):
    results = run_copy_check(tmp_path, [json.dumps(e) for e in ENTRIES], capsys)
    assert results == [
        {"id": "a", "flags": [{"rule": "colour", "words": ["Red"]}]},
        {"id": "b", "flags": []},
        {"id": "c", "flags": [{"rule": "banned", "words": ["bag"]}, {"rule": "missing_keyword", "words": ["tote"]}]},
    ]


def test_copy_check_uses_the_terms_admins_added(tmp_path, capsys):
    CopyTerm.objects.create(term="oxblood", field="colour", value="red")
    entry = {"id": 1, "kind": "title", "category": "Bag", "attributes": {"colour": "black"}, "text": "Oxblood bag"}
    assert run_copy_check(tmp_path, [json.dumps(entry)], capsys)[0]["flags"] == [
        {"rule": "colour", "words": ["Oxblood"]}
    ]


def test_a_bad_line_is_reported_and_the_others_are_checked(tmp_path, capsys):
    path = tmp_path / "copy.jsonl"
    path.write_text(
        '{"id": 1, "kind": "poem", "category": "Bag", "text": "x"}\nnot json\n' + json.dumps(ENTRIES[1]) + "\n"
    )
    with pytest.raises(CommandError, match="2 line"):
        call_command("copy_check", "--jsonl", str(path))
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "Unknown kind" in results[0]["error"] and results[1]["line"] == 2 and results[2] == {"id": "b", "flags": []}


def test_the_copy_health_page_lists_products_whose_copy_contradicts_them(reviewer_client):
    bad = make_product(category="Sneaker", title="Red sneaker", attributes={"colour": "black"})
    make_product(category="Sneaker", title="Black sneaker", attributes={"colour": "black"})
    page = reviewer_client.get(reverse("generation:copy_health")).content.decode()
    assert page.count('href="/products/') == 1 and bad.sku in page and "colour: Red" in page
