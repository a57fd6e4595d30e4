#!/usr/bin/env bash
# Start Odoo with crm_360 and its demo data on http://127.0.0.1:8069 (admin / admin).
# The demo database lives in a private cluster under CRM360_STATE/demo and is reused
# (and updated to the current code) on later runs.  Ctrl-C stops Odoo and the cluster.
#
#   CRM360_PORT      HTTP port (default 8069)
#   CRM360_DEMO_DB   database name (default crm360_demo)
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
    say "creating the demo database '$DB' with crm_360 and demo data (about two minutes)"
    "${odoo[@]}" -i crm_360 --stop-after-init --log-level=warn || die "install failed"
fi
echo
echo "  crm_360 demo:  http://127.0.0.1:$PORT/odoo   login: admin   password: admin"
echo "  (Ctrl-C to stop)"
echo
"${odoo[@]}" --log-level=info
