#!/usr/bin/env bash
# Installs the Debian packages stytch-cpp needs to build and test, and any
# named as arguments, skipping those already present. Used by demo.sh, test.sh,
# fuzz.sh and bench.sh; safe to run again.
# Chromium, its WebDriver and Selenium run the stytch-mock console's browser
# tests.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config make
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev
  catch2 libcpp-httplib-dev
  curl ca-certificates
  clang-format clang-tidy doxygen
  clang libclang-rt-14-dev
  nginx-light ccache
  chromium chromium-driver python3-selenium
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    sudo_cmd=(sudo)
  else
    echo "error: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
