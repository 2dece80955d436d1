from django.core.management.base import BaseCommand

from generation.services.labels import generated_images_label


class Command(BaseCommand):
    help = (
        "Labels generated images stored before the studio labelled them (IPTC DigitalSourceType "
        "trainedAlgorithmicMedia and their provenance, in their XMP). Safe to run again: labelled files are skipped."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Labelled {generated_images_label():,} generated image(s).")
