#!/usr/bin/env bash
# Makes sure the browser tests have a chromium: Debian's package (/usr/bin/chromium), installed with
# apt-get (as root, else through sudo) when missing. CHROMIUM_PATH pointing at an existing executable
# skips the install. `.ci/run` and `npm test` (its pretest) run this.
set -euo pipefail

path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; unset it to install Debian's chromium at /usr/bin/chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no chromium at /usr/bin/chromium and no apt-get to install it: install chromium (or chrome) and set CHROMIUM_PATH to it" >&2
  exit 1
fi

echo "installing Debian's chromium for the browser tests (apt-get install chromium)"
install='apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'
if [ "$(id -u)" = 0 ]; then
  sh -c "$install"
elif command -v sudo >/dev/null 2>&1; then
  sudo sh -c "$install"
else
  echo "installing chromium needs root: run this script as root, or install chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
[ -x /usr/bin/chromium ] || { echo "apt-get finished but /usr/bin/chromium is missing" >&2; exit 1; }
/usr/bin/chromium --version
