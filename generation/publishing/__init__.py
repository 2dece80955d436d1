"""Publishing to the shop: the studio's side of exports (generation/exports/ writes and checks the files). It
chooses the products, maps the approved copy onto each platform's fields, runs the export as a job and keeps its
history and files."""
