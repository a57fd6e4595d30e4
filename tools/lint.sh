#!/usr/bin/env bash
# Lint crm_360: ruff (lint + format check) and pylint-odoo's mandatory checks.
set -euo pipefail
. "$(dirname "$0")/common.sh"
require_venv
cd "$CRM360_ROOT"
"$CRM360_VENV/bin/ruff" check .
"$CRM360_VENV/bin/ruff" format --check .
"$CRM360_VENV/bin/pylint" --rcfile=.pylintrc-mandatory --load-plugins=pylint_odoo \
    --score=n --reports=n "$CRM360_ROOT"
say "lint clean"
