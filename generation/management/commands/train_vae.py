from generation.management.image_training import ImageTrainingCommand
from generation.models import Engine


class Command(ImageTrainingCommand):
    help = (
        "Trains a class-conditional VAE on the catalog's training photos and registers it with its metrics, "
        "measured as the GAN's are (the same frozen reference), so the two stand side by side."
    )
    engine = Engine.VAE
