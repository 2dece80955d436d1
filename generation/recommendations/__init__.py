"""Recommendations' Django side: shoppers' events (views, carts, purchases) as they arrive from the storefront,
the staff API and files, stored compactly and erasable per shopper. (The ranking engine, its training job and
the placements are still to come: see the README.)"""
