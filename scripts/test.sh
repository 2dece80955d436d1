#!/usr/bin/env bash
# `make test`: the whole suite; the integration tests start their own Redis and Celery worker.
source "$(dirname "$0")/bootstrap.sh"
need_python
apt_install redis-server redis-server
apt_install chromium chromium
# The Chinese dashboard's browser journey takes its screenshots with a CJK font, as a merchandiser sees it.
fc-list :lang=zh 2>/dev/null | grep -q . || apt_package fonts-noto-cjk "No CJK font"
apt_install pg_ctlcluster postgresql  # the database-restart fault test starts a private cluster
# Tests never touch the development database, media or Redis.
export RETAIL_STUDIO_VAR_DIR=${RETAIL_STUDIO_VAR_DIR:-$PROJECT_DIR/var/test}
export CELERY_BROKER_URL=${TEST_BROKER_URL:-redis://127.0.0.1:${TEST_REDIS_PORT:-6391}/0}
export DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,testserver
# A key for the test run only (the settings refuse to start without one), and the demo logins allowed.
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-test-only-$(date +%s%N)} STUDIO_DEMO=1
exec "$VENV/bin/pytest" "$@"
