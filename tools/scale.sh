#!/usr/bin/env bash
# Scale-out on this machine, the way Odoo itself grows: a PostgreSQL primary and a
# streaming hot standby (PostgreSQL's own replication), one Odoo with several workers
# sending read-only requests to the standby, and a bounded load of simulated users over
# HTTP (tools/scale_load.py). Prints requests per second, p50/p95 latency per kind of
# request, the share of report queries the standby served, and the stage transitions the
# load wrote versus those in crm_360's stage history (must be equal, else exit 1).
# Everything it starts is stopped at the end.
#
#   CRM360_SCALE_SECONDS  duration of the load (default 60)
#   CRM360_SCALE_USERS    concurrent sessions (default 6: salesmen, managers, agents)
#   CRM360_SCALE_WORKERS  Odoo workers (default 3)
#   CRM360_SCALE_DB       database, created with demo data on the first run (default crm360_scale)
#   CRM360_SCALE_PORT     HTTP port (default: a free one)
set -uo pipefail
. "$(dirname "$0")/common.sh"

require_odoo
require_venv

SECONDS_LOAD=${CRM360_SCALE_SECONDS:-60}
USERS=${CRM360_SCALE_USERS:-6}
WORKERS=${CRM360_SCALE_WORKERS:-3}
DB=${CRM360_SCALE_DB:-crm360_scale}
PORT=${CRM360_SCALE_PORT:-$(free_port)}
RUN="$CRM360_STATE/scale"
PRIMARY="$RUN/pg" # write_odoo_conf points db_host at RUN/pg/sock
STANDBY="$RUN/standby"
SLOT=crm360_standby
mkdir -p "$RUN"

ODOO_PID=
cleanup() {
    if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM "$ODOO_PID" 2>/dev/null
        wait "$ODOO_PID" 2>/dev/null
    fi
    pg_stop "$STANDBY"
    pg_stop "$PRIMARY"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql_on() { # psql_on DIR DB SQL
    as_pg "$PG_BIN/psql" -h "$1/sock" -p 5432 -U postgres -d "$2" -qtAX -v ON_ERROR_STOP=1 -c "$3"
}

# 1. Primary: pg_stat_statements on, replication allowed (initdb's pg_hba trusts local
#    replication connections; wal_level=replica is PostgreSQL's default).
if [ ! -f "$PRIMARY/data/PG_VERSION" ]; then
    pg_start "$PRIMARY" && pg_stop "$PRIMARY"
fi
if ! grep -q "crm_360 scale" "$PRIMARY/data/postgresql.conf"; then
    cat >>"$PRIMARY/data/postgresql.conf" <<'CONF'
# crm_360 scale: primary of a streaming hot standby
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
hot_standby_feedback = on
CONF
fi
pg_start "$PRIMARY"
say "primary up ($PRIMARY/sock)"

# 2. The database: crm_360 with its demo data, created once, updated on later runs
#    (one process on the primary, before any replica exists).
write_odoo_conf "$RUN" "$PORT"
odoo=("$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d "$DB" --db-filter="^$DB\$")
if pg_has_db "$PRIMARY" "$DB"; then
    say "updating crm_360 in '$DB'"
    "${odoo[@]}" -u crm_360 --stop-after-init \
        --log-level=warn >"$RUN/install.log" 2>&1 || { tail -n 30 "$RUN/install.log" >&2; die "update failed"; }
else
    say "creating '$DB' with crm_360 and its demo data (about five minutes)"
    "${odoo[@]}" -i crm_360 --stop-after-init \
        --log-level=warn >"$RUN/install.log" 2>&1 || { tail -n 30 "$RUN/install.log" >&2; die "install failed"; }
fi
psql_on "$PRIMARY" "$DB" "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null


# 3. Odoo configuration of the run: the standby as replica, workers, no cron.
sed -i 's/^max_cron_threads = .*/max_cron_threads = 0/' "$RUN/odoo.conf"
cat >>"$RUN/odoo.conf" <<CONF
db_replica_host = $STANDBY/sock
db_replica_port = 5432
workers = $WORKERS
proxy_mode = False
CONF

# 4. Standby: a fresh base backup of the primary (-R: standby.signal + primary_conninfo)
#    through a replication slot, started as a hot standby.
pg_stop "$STANDBY"
rm -rf "$STANDBY"
mkdir -p "$STANDBY/sock"
chown -R postgres: "$STANDBY" 2>/dev/null || true
psql_on "$PRIMARY" postgres \
    "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name='$SLOT'" >/dev/null
as_pg "$PG_BIN/pg_basebackup" -h "$PRIMARY/sock" -p 5432 -U postgres -D "$STANDBY/data" \
    -R -C -S "$SLOT" -X stream -c fast >"$RUN/basebackup.log" 2>&1 ||
    { cat "$RUN/basebackup.log" >&2; die "pg_basebackup failed"; }
pg_start "$STANDBY"
for _ in $(seq 60); do
    state=$(psql_on "$PRIMARY" postgres \
        "SELECT state FROM pg_stat_replication WHERE application_name <> '' LIMIT 1")
    [ "$state" = streaming ] && break
    sleep 1
done
[ "$(psql_on "$STANDBY" postgres 'SELECT pg_is_in_recovery()')" = t ] ||
    die "the standby is not in recovery"
[ "$state" = streaming ] || die "the standby does not stream from the primary"
say "standby streaming ($STANDBY/sock, slot $SLOT)"

# 5. Odoo with workers, the standby as replica.
"${odoo[@]}" --log-level=warn --logfile="$RUN/odoo.log" 2>"$RUN/odoo.stderr" &
ODOO_PID=$!
for _ in $(seq 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    kill -0 "$ODOO_PID" 2>/dev/null || die "Odoo stopped; see $RUN/odoo.log"
    sleep 1
done
say "Odoo up on http://127.0.0.1:$PORT ($WORKERS workers, replica $STANDBY/sock)"

# 6. The load.
"$CRM360_VENV/bin/python" "$CRM360_ROOT/tools/scale_load.py" \
    --url "http://127.0.0.1:$PORT" --db "$DB" --seconds "$SECONDS_LOAD" --users "$USERS" \
    --psql "$PG_BIN/psql" --primary "$PRIMARY/sock" --standby "$STANDBY/sock" \
    --odoo-log "$RUN/odoo.log"
rc=$?
exit $rc
