from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS product_search_trigram ON catalog_product USING gin (search_text gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS product_search_trigram"


def forwards(apps, schema_editor):
    """On PostgreSQL, search (`search_text LIKE '%word%'`) uses a trigram index instead of reading every row;
    SQLite keeps scanning its narrow index, which is fast enough in-process."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_catalog_import_jobs")]

    operations = [migrations.RunPython(forwards, backwards)]
