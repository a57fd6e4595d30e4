#!/usr/bin/env bash
# Lint crm_360: every hook of .pre-commit-config.yaml on every file of the repository
# (ruff, pylint-odoo's mandatory checks, prettier with its XML plugin, eslint, and
# pre-commit-hooks' checks), with the tools tools/setup.sh installed.
set -euo pipefail
. "$(dirname "$0")/common.sh"
require_venv
cd "$CRM360_ROOT"
[ -x "$CRM360_VENV/bin/pre-commit" ] || die "pre-commit is not in $CRM360_VENV: run 'make setup'."
[ -x node_modules/.bin/prettier ] && [ -x node_modules/.bin/eslint ] ||
    die "prettier/eslint are not in ./node_modules: run 'make setup'."
# pre-commit keeps its cache with the project's other state, outside the repository.
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$CRM360_STATE/pre-commit}
"$CRM360_VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color="${PRE_COMMIT_COLOR:-auto}"
say "lint clean"
