from django.db import migrations, models

import generation.models.jobs


class Migration(migrations.Migration):
    """Every job keeps the dashboard language of whoever asked (the export kept it already, as `language`), apart
    from the language of what it writes (a copy job's `language`)."""

    dependencies = [("generation", "0027_labels_in_the_dashboards_language")]

    operations = [
        migrations.RenameField("catalogexport", "language", "dashboard_language"),
        migrations.AlterField(
            "catalogexport",
            "dashboard_language",
            models.CharField(blank=True, default=generation.models.jobs.language_in_use, max_length=8),
        ),
    ] + [
        migrations.AddField(
            model,
            "dashboard_language",
            models.CharField(blank=True, default=generation.models.jobs.language_in_use, max_length=8),
        )
        for model in ("copyjob", "samplingjob", "trainingjob")
    ]
