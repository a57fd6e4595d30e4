#!/usr/bin/env bash
# Prepare this machine for crm_360: Debian packages, a virtualenv with Odoo's Python
# requirements, the project's own requirements and the OCA add-ons it depends on.
# Odoo itself is never downloaded: it is expected at ODOO_SRC.
# A second run only checks: nothing is reinstalled while its inputs are unchanged.
set -euo pipefail
. "$(dirname "$0")/common.sh"

require_odoo

# --- Debian packages ----------------------------------------------------------------
DEB_PACKAGES=(
    postgresql            # a private cluster per run
    chromium              # browser tours
    wkhtmltopdf           # PDF reports
    fonts-noto-cjk        # Chinese text in PDF reports and screenshots
    fonts-dejavu-core
    fonts-lato            # Odoo's report font, for PDF headers and footers
    libpq-dev             # psycopg2 builds from source
    libldap2-dev          # python-ldap builds from source
    libsasl2-dev
    gcc
    python3-dev
)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
# Node.js and npm run the JavaScript lint tools (prettier, eslint). Debian's nodejs 18 is
# enough; a Node.js installed otherwise (with its own npm) is used as it is.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "missing Debian packages (install them as root): ${missing[*]}"
    fi
fi

# --- JavaScript lint tools -----------------------------------------------------------
# prettier with its XML plugin and eslint, at the versions of package-lock.json, in
# ./node_modules (git-ignored); reinstalled only when package*.json change.
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "Node.js 18 or later is needed for the lint tools (found $(node --version))."
npm_stamp=$(cat "$CRM360_ROOT/package.json" "$CRM360_ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$CRM360_ROOT/node_modules/.crm360-stamp" 2>/dev/null)" != "$npm_stamp" ]; then
    say "installing the JavaScript lint tools (npm ci)"
    (cd "$CRM360_ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$npm_stamp" >"$CRM360_ROOT/node_modules/.crm360-stamp"
fi

# --- virtualenv -----------------------------------------------------------------------
stamp_inputs() {
    "$CRM360_PYTHON" --version
    cat "$ODOO_SRC/requirements.txt" "$CRM360_ROOT/requirements-dev.txt" "$CRM360_ROOT/requirements-oca.txt"
    grep -F 'setuptools' "$CRM360_ROOT/tools/setup.sh"
}
stamp=$(stamp_inputs | sha256sum | cut -d' ' -f1)
if [ -f "$CRM360_VENV/.crm360-stamp" ] && [ "$(cat "$CRM360_VENV/.crm360-stamp")" = "$stamp" ]; then
    say "virtualenv $CRM360_VENV is up to date"
    exit 0
fi

say "preparing virtualenv $CRM360_VENV (first run takes a few minutes)"
[ -x "$CRM360_VENV/bin/python" ] || "$CRM360_PYTHON" -m venv "$CRM360_VENV"
pip=("$CRM360_VENV/bin/python" -m pip --disable-pip-version-check -q)
# Odoo 18's pinned cbor2 needs pkg_resources at build time: keep setuptools below 81;
# 75 or newer, whose pkg_resources finds distributions by their normalised names (the
# gevent process of Odoo's workers looks up zope.interface that way).
constraint=$(mktemp)
trap 'rm -f "$constraint"' EXIT
echo "setuptools<81" >"$constraint"
export PIP_CONSTRAINT=$constraint
"${pip[@]}" install "setuptools>=75,<81" wheel
"${pip[@]}" install -r "$ODOO_SRC/requirements.txt"
"${pip[@]}" install -r "$CRM360_ROOT/requirements-dev.txt"
# OCA wheels declare a dependency on a distribution named 'odoo', which we run from source.
if grep -qv '^\s*\(#\|$\)' "$CRM360_ROOT/requirements-oca.txt"; then
    "${pip[@]}" install --no-deps -r "$CRM360_ROOT/requirements-oca.txt"
fi
echo "$stamp" >"$CRM360_VENV/.crm360-stamp"
say "virtualenv ready"
