# shellcheck shell=bash
# Shared settings and helpers for the crm_360 developer scripts (sourced, not run).
#
# Everything the scripts create lives under CRM360_STATE (default /var/tmp/crm_360),
# never inside the repository: the virtualenv, the demo cluster, one folder per test run.

CRM360_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo18}
CRM360_STATE=${CRM360_STATE:-/var/tmp/crm_360}
CRM360_VENV=${CRM360_VENV:-$CRM360_STATE/venv}
CRM360_PYTHON=${CRM360_PYTHON:-$(command -v python3.11 || command -v python3)}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
DB_ROLE=crm360

say() { printf 'crm_360: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

require_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "Odoo 18.0 source not found at ODOO_SRC=$ODOO_SRC; put a checkout of Odoo 18.0 there or set ODOO_SRC to one."
    fi
    if ! grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py"; then
        die "ODOO_SRC=$ODOO_SRC is not Odoo 18.0 (see its odoo/release.py)."
    fi
}

require_venv() {
    [ -x "$CRM360_VENV/bin/python" ] || die "no virtualenv at $CRM360_VENV: run 'make setup' first."
}

# Addons folder of the OCA wheels installed in the virtualenv (site-packages/odoo/addons).
oca_addons_dir() {
    "$CRM360_VENV/bin/python" - <<'PY'
import sysconfig, os
print(os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons"))
PY
}

# Run a command as the PostgreSQL OS user when we are root (initdb/pg_ctl refuse root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_start DIR [fast]: start (creating if needed) a private cluster in DIR, reachable only
# through the socket folder DIR/sock; "fast" turns durability, JIT and frequent
# checkpoints off for throwaway test runs.
pg_start() {
    local dir=$1 mode=${2:-} opts
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found (PG_BIN=$PG_BIN): run 'make setup'."
    mkdir -p "$dir/sock"
    if [ "$(id -u)" = 0 ]; then
        chmod 755 "$(dirname "$dir")"
        chown -R postgres: "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir"; }
    fi
    opts="-k $dir/sock -c listen_addresses='' -p 5432 -c unix_socket_permissions=0777"
    if [ "$mode" = fast ]; then
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        # No JIT compilation of the tests' short queries; fewer checkpoints.
        opts="$opts -c jit=off -c max_wal_size=4GB -c checkpoint_timeout=30min"
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -o "$opts" -w -t 60 start \
        >/dev/null || { tail -n 20 "$dir/postgresql.log" >&2; die "PostgreSQL did not start in $dir"; }
    # Odoo refuses the 'postgres' role: give it a dedicated superuser.
    as_pg "$PG_BIN/psql" -h "$dir/sock" -p 5432 -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$DB_ROLE'" | grep -q 1 ||
        as_pg "$PG_BIN/psql" -h "$dir/sock" -p 5432 -U postgres -d postgres -qc \
            "CREATE ROLE $DB_ROLE SUPERUSER LOGIN" >/dev/null
}

pg_stop() {
    local dir=$1
    [ -f "$dir/data/postmaster.pid" ] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

pg_has_db() {
    local dir=$1 db=$2
    as_pg "$PG_BIN/psql" -h "$dir/sock" -p 5432 -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1
}

free_port() {
    "$CRM360_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# write_odoo_conf RUNDIR HTTP_PORT: an Odoo configuration for a run living in RUNDIR, with
# this repository linked as RUNDIR/addons/crm_360 (the clone's folder may have any name).
write_odoo_conf() {
    local run=$1 port=$2 oca
    oca=$(oca_addons_dir)
    mkdir -p "$run/addons" "$run/data"
    ln -sfn "$CRM360_ROOT" "$run/addons/crm_360"
    local paths="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons"
    [ -d "$oca" ] && paths="$paths,$oca"
    paths="$paths,$run/addons"
    cat >"$run/odoo.conf" <<CONF
[options]
addons_path = $paths
data_dir = $run/data
db_host = $run/pg/sock
db_port = 5432
db_user = $DB_ROLE
db_password = False
http_interface = 127.0.0.1
http_port = $port
gevent_port = $(free_port)
admin_passwd = admin
list_db = True
max_cron_threads = 1
CONF
}

# Read Odoo's test summary of a log: sets failed, errors, total, bad (= failed + errors)
# and passed; returns 1 (all zero) when the log has no summary.
read_test_summary() {
    local summary
    summary=$(grep -E "odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$1" | tail -n 1)
    failed=0 errors=0 total=0
    if [ -n "$summary" ]; then
        read -r failed errors total < <(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$summary")
    fi
    bad=$((failed + errors))
    passed=$((total - bad))
    [ -n "$summary" ]
}
