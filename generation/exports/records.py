"""What every format is written from: a product as the shop will show it, with its copy already chosen for one
language, and its images as the file names and addresses the shop will fetch them by."""

import html
import re
import unicodedata
from dataclasses import dataclass, field

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PRICE = re.compile(r"^\d+(\.\d{1,2})?$")


@dataclass(frozen=True)
class ExportImage:
    name: str  # the file's name in the images zip
    url: str  # where the shop fetches it: a public URL, or the zip's name when the shop has none
    alt: str
    generated: bool


@dataclass(frozen=True)
class ExportProduct:
    sku: str
    handle: str
    status: str  # active, draft or archived, as the catalog has it
    category: str
    title: str
    description: str
    # Which of the texts are generated (approved copy): a feed that asks says so of them.
    title_generated: bool = False
    description_generated: bool = False
    seo_title: str = ""
    seo_description: str = ""
    short_description: str = ""
    price: str = ""  # a decimal as the catalog holds it, "" when it holds none
    currency: str = ""
    vendor: str = ""
    link: str = ""  # the product's page on the shop
    colour: str = ""  # in the file's language
    gender: str = ""  # as the catalog says it (Men, Women, Boys, Girls, Unisex): feeds map it to their codes
    audience: str = ""  # the gender as the file's language shows it to shoppers
    language: str = "en"
    tags: tuple[str, ...] = ()
    # The category's place in the shop's tree, broadest first, ending with `category` (Apparel > Topwear > Tshirts).
    category_tree: tuple[str, ...] = ()
    images: tuple[ExportImage, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Problem:
    """One broken rule, where the file breaks it: its line (the header is line 1) and column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.row}, {self.column}: {self.message}" if self.column else f"line {self.row}: {self.message}"


def category_path(product: ExportProduct) -> str:
    """The category as a path the platforms read with ">" (its name alone when the catalog holds no tree)."""
    return " > ".join(part.replace(">", " ") for part in (product.category_tree or (product.category,)))


def handle_of(text: str) -> str:
    """A URL handle: lower-case ASCII letters and digits in runs joined by single hyphens ("" when none are left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def html_paragraphs(text: str) -> str:
    """Plain copy as the HTML a shop's description field holds: each blank-line-separated paragraph escaped in <p>."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def length_problem(row: int, column: str, value: str, limit: int) -> list[Problem]:
    if len(value) > limit:
        return [Problem(row, column, f"is {len(value):,} characters; the platform takes at most {limit:,}")]
    return []


def image_reference_problem(row: int, column: str, value: str) -> list[Problem]:
    """An image is fetched from a public http(s) URL, or is a file of the images zip named plainly."""
    if URL.match(value) or FILE_NAME.match(value):
        return []
    return [Problem(row, column, f"{value!r} is neither an http(s) URL nor a plain file name of the images zip")]


def choice_problem(row: int, column: str, value: str, allowed: tuple[str, ...]) -> list[Problem]:
    if value in allowed:
        return []
    return [Problem(row, column, f"{value!r} is not one of {', '.join(repr(a) for a in allowed)}")]
