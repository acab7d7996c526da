#!/bin/sh
# Headless Chromium for the dashboard tests (tests/test_dashboard.py), from Debian's packages.
# Playwright drives it with executable_path=/usr/bin/chromium; no browser is downloaded.
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -eu

CHROMIUM=${WARTA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-browser: $CHROMIUM is missing and this user cannot apt-get install;" \
             "run as root: apt-get install -y chromium fonts-dejavu-core" >&2
        exit 1
    fi
fi

echo "install-browser: installing Debian's chromium (once)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >/dev/null
"$CHROMIUM" --version
