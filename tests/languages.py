"""What the tests of the dashboard's languages share: finding English a person would read on a page that should
speak Chinese."""

import re
from html import unescape

ALLOWED_ENGLISH = {
    "Retail Studio",
    "Shopify",
    "WooCommerce",
    "Google Merchant Center",
    "CSV",
    "SEO",
    "API",
    "SKU",
    "IPTC",
    "DigitalSourceType",
    "trainedAlgorithmicMedia",
    "ISO",
    "USD",
    "make run",
}


def english_runs(page: str, data: set[str]) -> list[str]:
    """Runs of two or more English words a person reads on the page (text and the attributes shown to them),
    once the page's data (product titles, SKUs, file names, names) and the allowed names are taken out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    shown = re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    text = unescape(" \n ".join([*re.sub(r"<[^>]+>", "\n", page).split("\n"), *shown]))
    for known in sorted(data | ALLOWED_ENGLISH, key=len, reverse=True):
        text = text.replace(known, " ")
    text = re.sub(r"\S*[/@#.:_=]\S*", " ", text)  # addresses, file names, emails, numbers, key=value
    return [run.strip() for run in re.findall(r"(?:\b[A-Za-z][A-Za-z'’-]+\b[ ,]+){1,}\b[A-Za-z][A-Za-z'’-]+\b", text)]
