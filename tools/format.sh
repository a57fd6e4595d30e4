#!/usr/bin/env bash
# Format crm_360 in place: Python with ruff format, and the files the prettier hook of
# .pre-commit-config.yaml checks (XML, JavaScript, SCSS, YAML, JSON) with prettier.
# Review the result with 'git diff', then run 'make lint'.
set -euo pipefail
. "$(dirname "$0")/common.sh"
require_venv
cd "$CRM360_ROOT"
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$CRM360_STATE/pre-commit}
"$CRM360_VENV/bin/ruff" format .
# pre-commit exits 1 when the hook rewrote files: that is what we asked for.
"$CRM360_VENV/bin/pre-commit" run prettier-write --all-files --hook-stage manual || true
say "formatted; review with 'git diff', then run 'make lint'"
