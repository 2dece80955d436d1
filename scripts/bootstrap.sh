# Shared set-up for `make run`, `make test` and the benchmarks; sourced, not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)
VENV="$PROJECT_DIR/.venv"
PY="$VENV/bin/python"

need_python() {
  local python=${PYTHON:-python3}
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Retail Studio needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  if [ ! -x "$PY" ]; then
    echo "==> Creating the virtualenv in .venv"
    "$python" -m venv "$VENV" || { echo "Install python3-venv (apt-get install python3-venv) and retry." >&2; exit 1; }
  fi
  # Reinstall only when requirements.txt changed since the last install.
  local stamp="$VENV/.requirements.sha256" want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "==> Installing requirements (first time: a few minutes)"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

# apt_install COMMAND PACKAGE: installs PACKAGE when COMMAND is missing, as root; otherwise says what to run.
apt_install() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return 0
  apt_package "$package" "$command is missing"
}

apt_package() {
  local package=$1 why=${2:-$1 is missing}
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installing $package with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "$why: install it with 'sudo apt-get install $package' and retry." >&2
    exit 1
  fi
}
