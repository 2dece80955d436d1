"""Exports a shop's platform imports as they are: Shopify's product CSV (its current and its legacy column
dialect), WooCommerce's product CSV and a Google Merchant Center feed, each written from plain product records and
checked against the platform's own rules by reading the written bytes back. Plain Python, without Django: the
studio's side (generation/publishing/) chooses the products, maps its copy onto these records and stores files."""
