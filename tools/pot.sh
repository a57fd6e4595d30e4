#!/usr/bin/env bash
# Regenerate i18n/crm_360.pot: install crm_360 on a throwaway database in a private
# cluster and export its terms.  Then merge them into the .po files with msgmerge
# (gettext), if available.
set -uo pipefail
. "$(dirname "$0")/common.sh"

require_odoo
require_venv

RUN="$CRM360_STATE/pot-$$"
mkdir -p "$RUN"
trap 'pg_stop "$RUN/pg"; rm -rf "$RUN"' EXIT
pg_start "$RUN/pg" fast
write_odoo_conf "$RUN" "$(free_port)"
odoo=("$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d crm360_pot)
"${odoo[@]}" -i crm_360 --without-demo=all --stop-after-init --log-level=warn ||
    die "install failed"
"${odoo[@]}" --i18n-export="$RUN/crm_360.pot" --modules=crm_360 --log-level=warn ||
    die "export failed"
cp "$RUN/crm_360.pot" "$CRM360_ROOT/i18n/crm_360.pot"
say "wrote i18n/crm_360.pot"
if command -v msgmerge >/dev/null; then
    for po in "$CRM360_ROOT"/i18n/*.po; do
        [ -f "$po" ] || continue
        msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" \
            "$CRM360_ROOT/i18n/crm_360.pot" && say "merged $(basename "$po")"
    done
fi
