"""The fashion shop's rules, one test each, without Django: what a display name plainly says and nothing more."""

import pytest

from catalog.fashion_attributes import fashion_attributes, title_brand, title_pattern


@pytest.mark.parametrize(
    ("title", "pattern"),
    [
        ("Locomotive Men Stripes Navy Blue Shirt", "striped"),
        ("Indian Terrain Men Striped Shirt", "striped"),
        ("Basics Men Check Red Shirt", "checked"),
        ("Scullers Men Checked Shirt", "checked"),
        ("Fabindia Women Printed Kurta", "printed"),
        ("Puma Men Solid Black Polo", "solid"),
        ("Gini and Jony Girls Floral Dress", "floral"),
        ("Jealous 21 Women Polka Dots Top", "polka dot"),
        ("Puma Men Black Net Jersey", ""),  # says no pattern
        ("Wrangler Men Printed Checked Shirt", ""),  # two that disagree: neither is plain
    ],
)
def test_a_pattern_word_in_the_title_is_the_pattern(title, pattern):
    assert title_pattern(title) == pattern


@pytest.mark.parametrize(
    ("title", "brand"),
    [
        ("Puma Men Black Net Jersey", "Puma"),
        ("Puma Men's Speed Cat Shoe", "Puma"),
        ("United Colors of Benetton Women Blue Jeans", "United Colors of Benetton"),
        ("Nabaiji Unisex Black Silicone Swimming Cap", "Nabaiji"),
        ("Gini and Jony Girls Floral Dress", "Gini and Jony"),
        ("Puma Deck Navy Blue Backpack", ""),  # no gender word: the brand is not plain
        ("Men Black Watch", ""),  # nothing before it
    ],
)
def test_the_words_before_the_gender_word_are_the_brand(title, brand):
    assert title_brand(title) == brand


def test_a_row_keeps_the_shops_fields_with_a_value_and_says_where_it_came_from():
    row = {
        "id": "1538", "gender": "Men", "masterCategory": "Apparel", "subCategory": "Topwear", "articleType": "Tshirts",
        "baseColour": "Navy Blue", "season": "Fall", "year": "", "usage": "Casual",
        "productDisplayName": "Puma Men Striped Navy Blue T-shirt", "image": "images/1538.jpg",
    }  # fmt: skip
    assert fashion_attributes(row) == {
        "gender": "Men", "master_category": "Apparel", "sub_category": "Topwear", "colour": "Navy Blue",
        "season": "Fall", "usage": "Casual", "pattern": "striped", "brand": "Puma", "source": "fashion-products",
        "source_id": "1538",
    }  # fmt: skip
