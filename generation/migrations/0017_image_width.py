"""Images may be portrait or landscape: a width beside the height (`resolution`); every version and extractor
made before this was square."""

from django.db import migrations, models
from django.db.models import F


def square_until_now(apps, schema_editor):
    for name in ("GenerativeModel", "FeatureExtractor"):
        apps.get_model("generation", name).objects.update(image_width=F("resolution"))


class Migration(migrations.Migration):
    dependencies = [("generation", "0016_storefront_trust")]

    operations = [
        migrations.AddField(
            model_name="featureextractor",
            name="image_width",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="generativemodel",
            name="image_width",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(square_until_now, migrations.RunPython.noop),
    ]
