#!/usr/bin/env bash
# Start Odoo with crm_360 and its demo data on http://127.0.0.1:8069 (admin / admin).
# The demo database lives in a private cluster under CRM360_STATE/demo and is reused
# (and updated to the current code) on later runs.  Ctrl-C stops Odoo and the cluster.
#
#   CRM360_PORT      HTTP port (default 8069)
#   CRM360_DEMO_DB   database name (default crm360_demo)
#   CRM360_LANG      language of every demo user, e.g. zh_CN (default: keep theirs).
#                    Simplified Chinese is always installed in the demo database.
set -uo pipefail
. "$(dirname "$0")/common.sh"

require_odoo
require_venv

PORT=${CRM360_PORT:-8069}
DB=${CRM360_DEMO_DB:-crm360_demo}
RUN="$CRM360_STATE/demo"
mkdir -p "$RUN"

trap 'pg_stop "$RUN/pg"' EXIT
trap ':' INT TERM   # let Odoo shut down gracefully, then stop the cluster

pg_start "$RUN/pg"
write_odoo_conf "$RUN" "$PORT"

odoo=("$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d "$DB" --db-filter="^$DB\$")
if pg_has_db "$RUN/pg" "$DB"; then
    say "updating crm_360 in the demo database '$DB'"
    "${odoo[@]}" -u crm_360 --stop-after-init --log-level=warn || die "update failed"
else
    say "creating the demo database '$DB' with crm_360 and demo data (about five minutes)"
    "${odoo[@]}" -i crm_360 --load-language=zh_CN --stop-after-init --log-level=warn ||
        die "install failed"
fi
if [ -n "${CRM360_LANG:-}" ]; then
    say "demo users now work in $CRM360_LANG"
    "$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$RUN/odoo.conf" -d "$DB" \
        --log-level=warn --no-http <<PY || die "could not set the language"
env["res.lang"]._activate_lang("$CRM360_LANG")
env["res.users"].with_context(active_test=False).search([("share", "=", False)]).write({"lang": "$CRM360_LANG"})
env.cr.commit()
PY
fi
echo
echo "  crm_360 demo:  http://127.0.0.1:$PORT/odoo   login: admin   password: admin"
echo "  other roles (password demo): zhang.wei@example.com (salesman), li.na@example.com"
echo "  (sales manager), wang.fang@example.com (service agent), chen.jing@example.com"
echo "  (finance), zhao.min@example.com (customer care manager); see README \"Demo logins\""
echo "  (Ctrl-C to stop)"
echo
"${odoo[@]}" --log-level=info
