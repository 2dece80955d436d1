"""The shop's glossary: its categories' and attribute values' names in other languages, kept as GlossaryTerm
rows beside the glossary the studio ships (generation/copy/vocab/<language>/glossary.json)."""

from django.utils.translation import gettext

from catalog.models import GlossaryTerm
from retail_studio.errors import StudioError

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


def glossary_term_set(*, language: str, field: str, value: str, text: str) -> GlossaryTerm:
    """A person's term for a value (from Copy health or a copy job's missing terms): it replaces an import's or an
    earlier one, and no later import replaces it."""
    language, field, text = language.strip(), field.strip().lower(), text.strip()
    value = value.strip() if field == "category" else value.strip().lower()
    if not text or len(text) > 100:
        raise StudioError(gettext("Say how the language writes it, in 100 characters at most."))
    if not field or len(field) > 40 or not value or len(value) > 100 or language not in ("en", "zh"):
        raise StudioError(
            gettext("A term names a language (en or zh), a field and a value as the catalog writes them.")
        )
    term, _ = GlossaryTerm.objects.update_or_create(
        language=language, field=field, value=value, defaults={"text": text, "source": GlossaryTerm.Source.ADMIN}
    )
    return term
