import secrets

import django.db.models.deletion
from django.db import migrations, models

import generation.storefront.models
from generation.storefront.origins import origin_normalised
from generation.storefront.plain_text import plain_text
from retail_studio.errors import StudioError


def _origins(value) -> list[str]:
    """What was stored (a list, or by mistake a string of them) as normalised origins; what is no origin goes."""
    raw = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    kept = []
    for origin in raw:
        try:
            kept.append(origin_normalised(str(origin)))
        except StudioError:
            continue
    return list(dict.fromkeys(kept))


def keys_and_articles_forwards(apps, schema_editor):
    """Each key gets its secret; an empty list of origins meant "any origin" and says so now (the demo's key
    excepted: it is for the studio's own origin, added at its page's next visit); articles lose their HTML."""
    StorefrontKey = apps.get_model("generation", "StorefrontKey")
    for key in StorefrontKey.objects.all():
        key.secret_key = "sk_" + secrets.token_urlsafe(32)
        key.demo = key.name == "Demo storefront"
        key.allowed_origins = _origins(key.allowed_origins)
        key.any_origin = not key.allowed_origins and not key.demo
        key.save(update_fields=["secret_key", "demo", "allowed_origins", "any_origin"])
    for model in ("StoreArticle", "StoreArticleRevision"):
        for article in apps.get_model("generation", model).objects.all():
            title, body = plain_text(article.title), plain_text(article.body)
            if (title, body) != (article.title, article.body):
                article.title, article.body = title, body
                article.save(update_fields=["title", "body"])


class Migration(migrations.Migration):
    dependencies = [
        ("generation", "0015_recommendations"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="shopper",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="shopperevent",
            name="storefront",
            field=models.ForeignKey(
                blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                related_name="events", to="generation.storefrontkey",
            ),
        ),
        migrations.AddField(
            model_name="storefrontkey",
            name="any_origin",
            field=models.BooleanField(
                default=False, help_text="any web page may use the publishable key (allowed origins are then ignored)"
            ),
        ),
        migrations.AddField(
            model_name="storefrontkey",
            name="demo",
            field=models.BooleanField(default=False, editable=False, help_text="the studio's own demo storefront"),
        ),
        migrations.AddField(
            model_name="storefrontkey",
            name="secret_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="storefrontkey",
            name="allowed_origins",
            field=models.JSONField(blank=True, default=list, help_text='a list of origins, e.g. ["https://shop.example.com"]'),
        ),
        migrations.RunPython(keys_and_articles_forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="storefrontkey",
            name="secret_key",
            field=models.CharField(
                default=generation.storefront.models._secret_key, editable=False, max_length=64, unique=True
            ),
        ),
    ]
