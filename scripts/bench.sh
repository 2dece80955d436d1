#!/usr/bin/env bash
# scripts/bench.sh NAME [ARGS]: runs bench/NAME_bench.py in the project's virtualenv.
source "$(dirname "$0")/bootstrap.sh"
need_python
name=$1
shift
if [ "$name" = web ]; then
  apt_install redis-server redis-server
  apt_install pg_ctlcluster postgresql
fi
if [ "$name" = recs ] && [ "${BENCH_RECS_DATABASE:-}" = postgres ]; then
  apt_install pg_ctlcluster postgresql
fi
if [ "$name" = jobs ] || [ "$name" = review ]; then
  apt_install redis-server redis-server
  apt_install chromium chromium
fi
exec "$PY" -u "bench/${name}_bench.py" "$@"
