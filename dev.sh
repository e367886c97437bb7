#!/usr/bin/env bash
# kfunc-explorer's one entry point for a fresh machine.
#   ./dev.sh            open the TUI (installs what it needs first)
#   ./dev.sh test       run the whole test suite (lint, types, layering, tests, notebooks)
#   ./dev.sh browser    optional: install Debian's Chromium for the JupyterLab browser test
#   ./dev.sh lab        open the Jupyter lessons in JupyterLab
#   ./dev.sh lite       build the lessons as a static JupyterLite site in build/lite (offline after)
#   ./dev.sh lite-serve serve build/lite on 127.0.0.1 (--port N, default 8000)
#   ./dev.sh <args>     anything else goes to the `kfunc-explorer` CLI (e.g. ./dev.sh run module_race)
set -euo pipefail
cd "$(dirname "$0")"
VENV=${KX_VENV:-.venv}
PY=${PYTHON:-python3}

say() { printf '[dev.sh] %s\n' "$*" >&2; }

need_python() {
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1 || echo none))."; exit 1
  fi
}

apt_install() {  # apt_install PKG... : only as root with apt-get; otherwise a hint and go on
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ ! -f /tmp/.kx-apt-updated ]; then apt-get update -qq >/dev/null 2>&1 && touch /tmp/.kx-apt-updated || true; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || say "apt-get install $* failed; continuing without it."
  else
    say "Please install $* with your package manager (not root or no apt-get here)."
  fi
}

ensure_dot() {
  command -v dot >/dev/null 2>&1 && return 0
  say "Graphviz 'dot' is missing: installing Debian's graphviz (diagrams fall back to DOT text without it)."
  apt_install graphviz
}

ensure_venv() {  # ensure_venv EXTRAS
  local extras=$1 stamp
  need_python
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PY" -m venv "$VENV"; }
  stamp="$VENV/.kx-$(cat pyproject.toml | sha1sum | cut -c1-12)-${extras//,/_}"
  if [ ! -f "$stamp" ]; then
    say "installing kfunc-explorer${extras:+[$extras]} into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install -q -e ".${extras:+[$extras]}"
    touch "$stamp"
  fi
}

LITE_VENV=build/lite-tools
ensure_lite_tools() {  # the pinned build tools of the static site, in their own venv
  local stamp
  need_python
  stamp="$LITE_VENV/.kx-$(cat lite/requirements.txt | sha1sum | cut -c1-12)"
  [ -f "$stamp" ] && return 0
  say "installing the static site's build tools (lite/requirements.txt) into $LITE_VENV"
  rm -rf "$LITE_VENV"
  "$PY" -m venv "$LITE_VENV"
  if ! "$LITE_VENV/bin/python" -m pip install -q --disable-pip-version-check \
       -r lite/requirements.txt >"$LITE_VENV.log" 2>&1; then
    say "lite: the build tools could not be installed from the package index: $(grep -v "^ *$" "$LITE_VENV.log" | tail -1)"
    exit 3
  fi
  touch "$stamp"
}

cmd=${1:-tui}
case "$cmd" in
  tui|"")
    [ $# -gt 0 ] && shift
    ensure_venv ""
    exec "$VENV/bin/kfunc-explorer" tui "$@" ;;
  test)
    shift
    ensure_venv "test,notebook"
    ensure_dot
    export PATH="$PWD/$VENV/bin:$PATH"
    say "ruff";        ruff check explorer tests benchmarks lite
    say "mypy";        mypy explorer
    say "lint-imports"; lint-imports
    say "pytest";      exec python -m pytest "$@" ;;
  browser)
    ensure_venv "test,notebook"
    command -v chromium >/dev/null 2>&1 || { say "installing Debian's chromium"; apt_install chromium; } ;;
  lite)
    shift
    ensure_lite_tools
    exec "$LITE_VENV/bin/python" lite/build.py "$@" ;;
  lite-serve)
    shift
    need_python
    exec "$PY" lite/serve.py "$@" ;;
  lab)
    shift
    ensure_venv "notebook"
    ensure_dot
    exec "$VENV/bin/jupyter" lab notebooks "$@" ;;
  *)
    ensure_venv ""
    exec "$VENV/bin/kfunc-explorer" "$@" ;;
esac
