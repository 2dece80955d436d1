"""Creates the three role groups with the model permissions each role's work needs."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "merchandiser": {
        "catalog": ["add_category", "change_category", "view_category", "add_product", "change_product",
                    "view_product", "add_productimage", "change_productimage", "view_productimage"],
        "generation": ["view_generativemodel", "view_generateditem"],
    },
    "reviewer": {
        "catalog": ["view_category", "view_product", "view_productimage"],
        "generation": ["view_generativemodel", "view_generateditem", "change_generateditem"],
    },
    "admin": None,  # every permission
}  # fmt: skip


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if grants is None:
            group.permissions.set(Permission.objects.all())
            continue
        for app_label, codenames in grants.items():
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_initial"),
        ("generation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
