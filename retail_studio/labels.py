"""The names the admin shows for the studio's models and their fields, in the reader's language.

Django names a model or field from its Python name ("generated item", "created at") unless told otherwise; the
studio's models keep those names in the code and in the migrations, and `translate_model_labels` makes each a lazy
translation when the app is ready (a model's options in its migrations are read from what the class was given, so
no migration changes). `make messages` writes every such name to retail_studio/model_labels.txt, where makemessages finds
it, so the catalog holds them all: third-party apps' names too, where their own catalogs have no Chinese."""

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy

LABELS_FILE = Path(__file__).resolve().parent / "model_labels.txt"


# Django's admin strings its own Chinese catalog lacks (the app list's table headers, added in Django 5).
ADMIN_STRINGS_MISSING = ("Model name", "Add link", "Change or view list link")


def translate_model_labels(app: AppConfig) -> None:
    """Called from the app's ready(): its models' and fields' names through the catalogs."""
    for model in app.get_models():
        options = model._meta
        options.verbose_name = gettext_lazy(str(options.verbose_name))
        options.verbose_name_plural = gettext_lazy(str(options.verbose_name_plural))
        for field in options.get_fields():
            if getattr(field, "verbose_name", None) is not None:
                field.verbose_name = gettext_lazy(str(field.verbose_name))


def model_labels() -> list[str]:
    """Every name of a model the admin shows and of its fields, in English, of the apps that bring no Chinese
    catalog of their own (Django's, DRF's and Celery beat's have one)."""
    from django.contrib import admin

    labels = set(ADMIN_STRINGS_MISSING)
    for model in admin.site._registry:
        options = model._meta
        if (Path(options.app_config.path) / "locale" / "zh_Hans").is_dir():
            continue
        labels |= {str(options.verbose_name), str(options.verbose_name_plural), str(options.app_config.verbose_name)}
        labels |= {str(f.verbose_name) for f in options.get_fields() if getattr(f, "verbose_name", None) is not None}
    return sorted(label for label in labels if label.strip())


def model_labels_write() -> None:
    """retail_studio/model_labels.txt, read by makemessages as a template: one translate tag per name."""
    escaped = (label.replace("\\", "\\\\").replace('"', '\\"') for label in model_labels())
    lines = ["{% load i18n %}{# Written by `make messages` (retail_studio/labels.py): the admin's names. #}"]
    lines += [f'{{% translate "{label}" %}}' for label in escaped]
    LABELS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
