#!/usr/bin/env bash
# `make run`: sets everything up and runs web, worker, beat and Redis until Ctrl-C.
source "$(dirname "$0")/bootstrap.sh"
need_python
apt_install redis-server redis-server

VAR_DIR=${RETAIL_STUDIO_VAR_DIR:-$PROJECT_DIR/var}
# Root was needed only to install packages: the stack itself runs as an unprivileged user, when that user can
# run this project's Python (not when Python lives in root's home, as pyenv's does; then it says so).
if [ "$(id -u)" = 0 ] && [ -z "${STUDIO_RUN_AS_ROOT:-}" ]; then
  id -u studio >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin studio
  if runuser -u studio -- "$PY" -c 'import django' >/dev/null 2>&1 && runuser -u studio -- test -r manage.py; then
    mkdir -p "$VAR_DIR" && chown -R studio: "$VAR_DIR"
    echo "==> Running the stack as the unprivileged user 'studio' (STUDIO_RUN_AS_ROOT=1 keeps root)"
    exec runuser -u studio -- env HOME="$VAR_DIR" PYTHONDONTWRITEBYTECODE=1 bash "$0" "$@"
  fi
  echo "==> Running as root: the user 'studio' cannot run $PY (its Python lives where only root can read);" \
    "install Python outside root's home to run the stack unprivileged" >&2
fi

PORT=${PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6379}
# Redis listens on loopback; REDIS_BIND=0.0.0.0 (workers on other machines) makes it require a password, made
# once and kept in var/redis_password.
REDIS_BIND=${REDIS_BIND:-127.0.0.1}
mkdir -p "$VAR_DIR/redis" "$VAR_DIR/log"
REDIS_AUTH=()
if [ "$REDIS_BIND" != 127.0.0.1 ]; then
  [ -s "$VAR_DIR/redis_password" ] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$VAR_DIR/redis_password")
  REDIS_AUTH=(--requirepass "$(cat "$VAR_DIR/redis_password")")
  export REDISCLI_AUTH
  REDISCLI_AUTH=$(cat "$VAR_DIR/redis_password")
  export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://:$REDISCLI_AUTH@127.0.0.1:$REDIS_PORT/0}
fi
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
# The storefront's throttle counters in the same Redis (database 1), so every web process counts together.
export THROTTLE_REDIS_URL=${THROTTLE_REDIS_URL:-${CELERY_BROKER_URL%/*}/1}
# A random secret key, made once for this machine and kept in var/ (never the repository); demo logins on.
if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ ! -s "$VAR_DIR/secret_key" ]; then
  (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$VAR_DIR/secret_key")
fi
export STUDIO_DEMO=${STUDIO_DEMO:-1}

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
# The fashion shop's catalog where ../shared/data/fashion-products is (DEMO=fashion-mnist: the grey benchmark set).
"$PY" manage.py load_demo_catalog --dataset "${DEMO:-auto}" --if-empty
"$PY" manage.py import_articles --demo

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "==> Stopping Retail Studio"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit 0
}
trap stop_all INT TERM EXIT

if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "==> Reusing the Redis already on port $REDIS_PORT"
else
  # Append-only persistence: a Redis restart keeps queued jobs.
  redis-server --bind "$REDIS_BIND" --port "$REDIS_PORT" --dir "$VAR_DIR/redis" --appendonly yes \
    --logfile "$VAR_DIR/log/redis.log" "${REDIS_AUTH[@]}" &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
"$VENV/bin/celery" -A retail_studio worker -Q celery,gpu --concurrency 1 -n "worker@%h" -l info \
  >>"$VAR_DIR/log/worker.log" 2>&1 &
pids+=($!)
# Image features for "similar items" on their own queue, at a lower priority than the jobs people wait for.
nice -n 10 "$VENV/bin/celery" -A retail_studio worker -Q features --concurrency 1 -n "features@%h" -l info \
  >>"$VAR_DIR/log/features.log" 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A retail_studio beat -l info --schedule "$VAR_DIR/celerybeat-schedule" --pidfile= \
  >>"$VAR_DIR/log/beat.log" 2>&1 &
pids+=($!)
"$VENV/bin/gunicorn" retail_studio.wsgi --config python:retail_studio.gunicorn_conf --bind "127.0.0.1:$PORT" \
  --access-logfile "$VAR_DIR/log/access.log" --error-logfile "$VAR_DIR/log/web.log" &
pids+=($!)

# "Running" only once the worker is ready, so the first pages do not say that no worker is connected.
for _ in $(seq 120); do grep -q "ready\." "$VAR_DIR/log/worker.log" 2>/dev/null && break; sleep 0.5; done
echo
"$PY" manage.py create_demo_users
echo
"$PY" manage.py prepare_recommendations --demo
"$PY" manage.py start_first_jobs
echo
echo "Retail Studio is running at http://127.0.0.1:$PORT/  (logs in $VAR_DIR/log; Ctrl-C stops everything)"
wait -n "${pids[@]}" || true
echo "A process stopped; see $VAR_DIR/log" >&2
stop_all
