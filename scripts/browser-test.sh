#!/usr/bin/env bash
# Runs the browser tests (./e2e: chromedp driving Debian's chromium, its
# headless shell when installed, against the site on 127.0.0.1). Installs
# both with apt-get first when chromium is missing and either CI=true or
# ERRORCANON_INSTALL_CHROMIUM=1; otherwise a missing chromium makes the
# tests skip (or fail under CI=true).
# Screenshots go to $ERRORCANON_ARTIFACTS/screenshots when that is set.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${ERRORCANON_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && { [ "${CI:-}" = true ] || [ "${ERRORCANON_INSTALL_CHROMIUM:-}" = 1 ]; }; then
  echo "browser-test: installing Debian's chromium"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # fonts-noto-cjk: the Chinese pages' screenshots show characters, not boxes.
  $sudo apt-get install -y -qq --no-install-recommends chromium chromium-headless-shell fonts-noto-cjk >/dev/null
fi

go test ./e2e/ -count=1 -v "$@"
