#!/usr/bin/env bash
source "$(dirname "$0")/bootstrap.sh"
need_python
export PYTHONUNBUFFERED=1
exec "$PY" bench/gan_bench.py "$@"
