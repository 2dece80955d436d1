from generation.management.image_training import ImageTrainingCommand
from generation.models import Engine


class Command(ImageTrainingCommand):
    help = "Trains a class-conditional GAN on the catalog's training photos and registers it with its metrics."
    engine = Engine.GAN
