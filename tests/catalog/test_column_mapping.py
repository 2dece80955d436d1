"""Reading a shop's own CSV columns as ours: plain Python, no Django."""

import pytest

from catalog.column_mapping import columns_read, mapping_parse, mapping_to_remember, normal_name, reading_problems

FASHION_HEADER = [
    "id",
    "gender",
    "masterCategory",
    "subCategory",
    "articleType",
    "baseColour",
    "season",
    "year",
    "usage",
    "productDisplayName",
    "image",
]


def read(header, mapped=None, remembered=None):
    return {r.column: (r.target, r.why) for r in columns_read(header, mapped=mapped or {}, remembered=remembered or {})}


def test_the_fashion_shops_columns_are_guessed_without_a_mapping():
    readings = read(FASHION_HEADER)
    assert readings["id"] == ("sku", "guessed")
    assert readings["productDisplayName"] == ("title", "guessed")
    assert readings["articleType"] == ("category", "guessed")
    assert readings["baseColour"] == ("colour", "guessed")
    assert readings["masterCategory"] == ("master_category", "guessed")  # an attribute, in our spelling
    assert readings["gender"] == ("gender", "as named") and readings["image"] == ("image", "as named")
    assert reading_problems(columns_read(FASHION_HEADER, mapped={}, remembered={})) == []


def test_a_column_named_as_ours_is_never_displaced_by_a_guess():
    readings = read(["sku", "id", "title", "name", "category"])
    assert readings["sku"] == ("sku", "as named") and readings["id"] == ("id", "as named")
    assert readings["name"] == ("name", "as named")  # title is taken: "name" stays an attribute


def test_a_given_mapping_wins_and_a_remembered_one_comes_next():
    readings = read(["Ref", "Name", "Kind", "Year"], mapped={"ref": "sku", "Year": ""}, remembered={"kind": "category"})
    assert readings["Ref"] == ("sku", "mapped") and readings["Year"] == ("", "mapped")
    assert readings["Kind"] == ("category", "remembered") and readings["Name"] == ("title", "guessed")


def test_a_remembered_choice_yields_when_the_csv_names_our_column_itself():
    readings = read(["sku", "id", "title", "category"], remembered={"id": "sku"})
    assert readings["sku"] == ("sku", "as named") and readings["id"] == ("id", "as named")


def test_what_cannot_be_read_is_said():
    with pytest.raises(ValueError, match="'colour_code', which the CSV does not have"):
        columns_read(["sku", "title", "category"], mapped={"colour_code": "colour"}, remembered={})
    both = columns_read(["sku", "ref", "title", "category"], mapped={"ref": "sku"}, remembered={})
    assert reading_problems(both) == ["The columns “sku” and “ref” would both be sku."]
    none = columns_read(["ref", "label"], mapped={}, remembered={})
    assert "no column named sku, title, category, nor one read as it" in reading_problems(none)[0]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [(["id"], "is not COLUMN=TARGET"), (["=sku"], "is not COLUMN=TARGET"), (["id=Sku!"], "neither one of our")],
)
def test_a_bad_mapping_is_refused_with_the_reason(pairs, message):
    with pytest.raises(ValueError, match=message):
        mapping_parse(pairs)


def test_parsing_lower_cases_targets_and_keeps_left_out_columns():
    assert mapping_parse(["productDisplayName=Title", "year=", "Fabric=material"]) == {
        "productDisplayName": "title",
        "year": "",
        "Fabric": "material",
    }


def test_only_choices_are_remembered_not_columns_named_as_ours():
    readings = columns_read(["sku", "productDisplayName", "category", "year"], mapped={"year": ""}, remembered={})
    assert mapping_to_remember(readings) == {"productdisplayname": "title", "year": ""}


@pytest.mark.parametrize(
    ("column", "normal"),
    [("productDisplayName", "product_display_name"), ("Base Colour", "base_colour"), ("sub-category", "sub_category")],
)
def test_normal_names(column, normal):
    assert normal_name(column) == normal
