"""Which of a product's copy goes to which field of a platform: the choices a merchandiser has, and the defaults
a channel starts from. The same mapping serves every language: a field mapped to the title takes the English
title in the main file and the Chinese title in the Chinese one."""

# Where copy comes from on a product: its title and description (approved copy, or the catalog's own), or the
# newest approved copy of a kind (a short and a long description both write the one description; here each can go
# to a field of its own).
SOURCES = ("title", "description", "description_short", "description_long", "ad_headline", "ad_description", "")
# Each platform's fields that take copy, with their default source.
TARGETS = {
    "shopify": {
        "title": ("Title", "title"),
        "description": ("Description", "description"),
        "seo_title": ("SEO title", "ad_headline"),
        "seo_description": ("SEO description", "ad_description"),
        "image_alt": ("Image alt text", "title"),
    },
    "woocommerce": {
        "title": ("Name", "title"),
        "short_description": ("Short description", "ad_description"),
        "description": ("Description", "description"),
    },
    "merchant": {
        "title": ("title", "title"),
        "description": ("description", "description"),
    },
}
# The fields a platform refuses empty: when the chosen source is empty for a product, its own title or description.
REQUIRED = {"shopify": ("title",), "woocommerce": ("title",), "merchant": ("title", "description")}
FALLBACK = {"title": "title", "description": "description"}
# The kind of copy an approved-copy source reads.
APPROVED_KIND = {"description_short": "description", "description_long": "description_long"}


def mapping_complete(platform: str, saved: dict[str, str]) -> dict[str, str]:
    """The saved mapping over the platform's defaults: every field of the platform, each with a known source."""
    return {
        field: saved[field] if saved.get(field) in SOURCES else default
        for field, (_label, default) in TARGETS[platform].items()
    }


def mapping_problems(platform: str, mapping: dict[str, str]) -> list[str]:
    problems = [f"{field!r} is not a field of {platform}" for field in mapping if field not in TARGETS[platform]]
    problems += [
        f"{TARGETS[platform][field][0]} can't take {source!r}; one of {', '.join(repr(s) for s in SOURCES)}"
        for field, source in mapping.items()
        if field in TARGETS[platform] and source not in SOURCES
    ]
    return problems
