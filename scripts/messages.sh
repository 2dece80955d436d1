#!/usr/bin/env bash
# `make messages`: the dashboard's message catalogs made anew from the templates and the code, then compiled.
# New entries come untranslated: translate them in locale/zh_Hans/LC_MESSAGES/django.po (the tests refuse an
# empty or fuzzy one). The compiled catalogs are committed, so running the studio needs no gettext.
source "$(dirname "$0")/bootstrap.sh"
need_python
apt_install xgettext gettext
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-messages-only} STUDIO_DEMO=1
"$PY" manage.py shell -c "from retail_studio.labels import model_labels_write; model_labels_write()"
for domain in django djangojs; do
  "$PY" manage.py makemessages -d "$domain" -l zh_Hans --no-location --ignore ".venv/*" --ignore "bench/*" --ignore "tests/*" --ignore "var/*"
done
"$PY" manage.py compilemessages -l zh_Hans --ignore ".venv/*"
