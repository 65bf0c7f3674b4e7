#!/usr/bin/env bash
# Installs what is missing, builds the Release app and starts the ChanScope GUI.
# Extra arguments go to the app (see `chanscope --help`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/deps.sh
chanscope_install_deps

cmake --preset release >/dev/null
cmake --build --preset release --target chanscope

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "chanscope: no display (DISPLAY/WAYLAND_DISPLAY unset). Run it on a desktop, or try:" >&2
  echo "  xvfb-run -a build/release/app/chanscope --screenshot shot.png --quit-after 5s" >&2
  exit 1
fi
exec build/release/app/chanscope "$@"
