"""Attributes of a demo product measured from its own photo, so copy grounded in them is grounded in the photo.

Fashion-MNIST's photos are grey and negated (0 is the background; a bright pixel is a dark part of the
product), so they support a tone and a surface, not a colour or a material: those are left out.
"""

import numpy as np

ITEM_PIXEL = 20  # above this a pixel belongs to the product, below it is background
# Mean brightness of the product's pixels (negated: high means a dark product).
DARK_FROM, LIGHT_BELOW = 175, 140
# Mean absolute Laplacian inside the product (its edges excluded): above this the surface is patterned
# or textured (about the top quarter of the demo photos), below it plain.
PATTERNED_FROM = 90

# What each demo category implies, and only that.
CATEGORY_FACTS = {
    "T-shirt/top": {"group": "tops", "sleeves": "short"},
    "Trouser": {"group": "bottoms"},
    "Pullover": {"group": "knitwear", "sleeves": "long"},
    "Dress": {"group": "dresses"},
    "Coat": {"group": "outerwear", "season": "cold weather", "sleeves": "long"},
    "Sandal": {"group": "footwear", "season": "warm weather"},
    "Shirt": {"group": "tops"},
    "Sneaker": {"group": "footwear"},
    "Bag": {"group": "bags"},
    "Ankle boot": {"group": "footwear", "season": "cold weather"},
}


def measured_attributes(pixels: np.ndarray, category: str) -> dict:
    """Tone (light, mid, dark) and surface (plain, patterned) of one 28x28 negated grey photo, and the facts
    its category implies."""
    image = pixels.astype(np.float32)
    item = image > ITEM_PIXEL
    brightness = float(image[item].mean()) if item.any() else 0.0
    tone = "dark" if brightness >= DARK_FROM else "light" if brightness < LIGHT_BELOW else "mid"
    inner = np.zeros_like(item)
    inner[1:-1, 1:-1] = item[1:-1, 1:-1] & item[:-2, 1:-1] & item[2:, 1:-1] & item[1:-1, :-2] & item[1:-1, 2:]
    laplacian = np.zeros_like(image)
    laplacian[1:-1, 1:-1] = np.abs(
        4 * image[1:-1, 1:-1] - image[:-2, 1:-1] - image[2:, 1:-1] - image[1:-1, :-2] - image[1:-1, 2:]
    )
    texture = float(laplacian[inner].mean()) if inner.any() else 0.0
    surface = "patterned" if texture >= PATTERNED_FROM else "plain"
    return {"tone": tone, "surface": surface, **CATEGORY_FACTS.get(category, {})}


# Ways to say the same facts, so a copywriter that learns from the demo catalog learns phrasing, not one
# template. Each product takes one, by its index; every one says only the tone, the surface and the category.
TITLE_PHRASES = (
    "{Tone} {surface} {noun}",
    "{Surface} {noun} in a {tone} tone",
    "{Tone}-toned {noun}, {surface}",
    "The {surface} {tone} {noun}",
    "{Noun}, {tone} and {surface}",
)
DESCRIPTION_PHRASES = (
    "A {tone}-toned {noun} with a {surface} surface; {facts}.",
    "This {noun} is {tone} in tone and {surface} in finish; {facts}.",
    "{Surface} and {tone}: a {noun} for the everyday; {facts}.",
)


def demo_copy(attributes: dict, category: str, index: int) -> tuple[str, str]:
    """A title and a description that say only what the photo and the category support. Where the photo came
    from stays in the attributes (source, source_index): copy learnt from these must never say it."""
    facts = [attributes["group"]]
    if "sleeves" in attributes:
        facts.append(f"{attributes['sleeves']} sleeves")
    if "season" in attributes:
        facts.append(f"for {attributes['season']}")
    words = {
        "tone": attributes["tone"], "Tone": attributes["tone"].title(), "surface": attributes["surface"],
        "Surface": attributes["surface"].title(), "noun": category.lower(), "Noun": category, "facts": ", ".join(facts),
    }  # fmt: skip
    title = TITLE_PHRASES[index % len(TITLE_PHRASES)].format(**words)
    description = DESCRIPTION_PHRASES[index % len(DESCRIPTION_PHRASES)].format(**words)
    return title, description
