"""Writes to the catalog, by idea: products and their images, the CSV import, the demo catalog."""
