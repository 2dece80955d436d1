"""What the catalog tells the rest of the studio, without knowing who listens."""

from django.dispatch import Signal

# Sent once the rows are committed, with `image_ids`: photos (or approved generated images) new to products.
product_images_added = Signal()
