#!/usr/bin/env bash
source "$(dirname "$0")/bootstrap.sh"
need_python
exec "$PY" bench/catalog_bench.py "$@"
