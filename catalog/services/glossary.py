"""The shop's glossary: its categories' and attribute values' names in other languages, kept as GlossaryTerm
rows beside the glossary the studio ships (generation/copy/vocab/<language>/glossary.json)."""

from catalog.models import GlossaryTerm

# A column `<column>_zh` holds, row by row, how Chinese says that row's `<column>` (category_zh, colour_zh).
TRANSLATION_SUFFIXES = {"_zh": "zh"}


def translation_of(target: str, translatable: set[str]) -> tuple[str, str] | None:
    """(field, language) when a column read as `target` translates one of `translatable` (category and the
    attributes), else None: `colour_zh` translates colour; `title_zh` beside no `title` attribute is an attribute."""
    for suffix, language in TRANSLATION_SUFFIXES.items():
        if target.endswith(suffix) and target[: -len(suffix)] in translatable:
            return target[: -len(suffix)], language
    return None


def glossary_terms_import(terms: dict[tuple[str, str, str], str]) -> None:
    """Keeps an import's terms, {(language, field, value): text}; an admin's own term for a value stays as it is."""
    admins = set(
        GlossaryTerm.objects.filter(source=GlossaryTerm.Source.ADMIN).values_list("language", "field", "value")
    )
    normal = {
        (lang, name, value if name == "category" else value.lower()): text
        for (lang, name, value), text in terms.items()
    }
    for (language, name, value), text in normal.items():
        if (language, name, value) not in admins:
            GlossaryTerm.objects.update_or_create(
                language=language,
                field=name,
                value=value,
                defaults={"text": text, "source": GlossaryTerm.Source.IMPORT},
            )
