#!/usr/bin/env bash
# Installs, from Debian's packages, whatever ChanScope needs that this machine lacks.
# Sourced by run.sh and test.sh; safe to run again (installs only what is missing).
set -euo pipefail

# libqt6opengl6-dev: Qt6Charts' CMake package needs Qt6OpenGL, and Debian's qt6-charts-dev does
# not pull it in.
CHANSCOPE_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl1-mesa-dev fonts-dejavu-core
  libhiredis-dev libsqlite3-dev nlohmann-json3-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  redis-server xvfb xauth python3
)

chanscope_install_deps() {
  local missing=()
  for p in "${CHANSCOPE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "chanscope: installing missing packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "chanscope: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}
