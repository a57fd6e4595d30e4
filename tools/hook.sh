#!/usr/bin/env bash
# Run one lint tool for a hook of .pre-commit-config.yaml: the JavaScript tools from
# ./node_modules, the Python ones from the virtualenv (both installed by tools/setup.sh).
#   tools/hook.sh <tool> [args...]     e.g. tools/hook.sh prettier --check security/*.xml
set -euo pipefail
. "$(dirname "$0")/common.sh"
tool=$1
shift
if [ -x "$CRM360_ROOT/node_modules/.bin/$tool" ]; then
    exec "$CRM360_ROOT/node_modules/.bin/$tool" "$@"
fi
require_venv
[ -x "$CRM360_VENV/bin/$tool" ] || die "lint tool '$tool' not found: run 'make setup'."
exec "$CRM360_VENV/bin/$tool" "$@"
