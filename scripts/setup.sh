#!/bin/sh
# Set up everything compliance needs on a fresh Debian machine (run as root for the system libraries):
# WeasyPrint's libraries and a font (apt), poppler-utils and git for the tests, then a virtual environment
# in .venv with the package installed editable and the test tools.
set -eu
cd "$(dirname "$0")/.."

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils git"
if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    packages="$packages python3-venv"
fi
if command -v apt-get >/dev/null 2>&1; then
    missing=""
    for pkg in $packages; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
    done
    if [ -n "$missing" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "setup: run as root to install:$missing" >&2
            exit 2
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "setup: ready (.venv/bin/compliance)"
