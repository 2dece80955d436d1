"""What the fashion shop's catalog (`shared/data/fashion-products/`) says of a product, as attributes: the shop's
own fields as they are, and from its display name only what the name plainly says, by one rule each: a pattern
word (stripes, checks, printed, solid, floral, polka dots) and the brand (the words before the gender word,
"Puma Men Black Net Jersey" -> Puma). Plain Python, without Django."""

import re

# The shop's columns and the attribute each becomes (its article type is the category, its id the SKU).
FIELDS = {
    "gender": "gender", "masterCategory": "master_category", "subCategory": "sub_category",
    "baseColour": "colour", "season": "season", "usage": "usage", "year": "year",
}  # fmt: skip
PATTERNS = {
    "striped": ("stripes", "striped", "stripe"),
    "checked": ("checks", "checked", "check"),
    "printed": ("printed", "print"),
    "solid": ("solid",),
    "floral": ("floral",),
    "polka dot": ("polka",),
}
GENDER_WORDS = {
    "men",
    "women",
    "boys",
    "girls",
    "unisex",
    "kids",
    "men's",
    "women's",
    "boy's",
    "girl's",
    "mens",
    "womens",
}
WORD = re.compile(r"[\w'’-]+")


def title_pattern(title: str) -> str:
    """The one pattern the title names ("" when it names none, or two that disagree)."""
    words = {w.lower() for w in WORD.findall(title)}
    found = {pattern for pattern, cues in PATTERNS.items() if words & set(cues)}
    return found.pop() if len(found) == 1 else ""


def title_brand(title: str) -> str:
    """The words before the gender word, when the title has one and something before it."""
    words = title.split()
    for position, word in enumerate(words):
        if word.lower().replace("’", "'").strip(",") in GENDER_WORDS:
            return " ".join(words[:position]) if position else ""
    return ""


def fashion_attributes(row: dict) -> dict:
    """A products.csv row as the product's attributes: the shop's fields that have a value, the pattern and
    the brand its title names, and where it came from (never said in copy)."""
    attributes = {name: row[column].strip() for column, name in FIELDS.items() if (row.get(column) or "").strip()}
    title = row.get("productDisplayName", "")
    if pattern := title_pattern(title):
        attributes["pattern"] = pattern
    if brand := title_brand(title):
        attributes["brand"] = brand
    return attributes | {"source": "fashion-products", "source_id": row["id"]}
