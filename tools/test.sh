#!/usr/bin/env bash
# Run crm_360's tests on a FRESH database in a private PostgreSQL cluster, then print
# exactly one line "N passed, M failed".  Fails (non-zero) when a test fails or errors,
# when no test ran, when a test was skipped (e.g. a browser tour without Chromium),
# when a browser tour did not report success, when Odoo logged an ERROR or CRITICAL
# line, when the demo data did not install cleanly, or when Odoo is missing.
#
# The tests run on a database WITHOUT demo data (no test relies on it).  While they run,
# a second Odoo installs crm_360 WITH its demo data into a second database of the same
# cluster; that install fails the run when it exits non-zero, logs a WARNING, ERROR or
# CRITICAL line (Odoo only warns when a module's demo data fails to load) or leaves
# crm_360 not installed with demo data.
#
#   CRM360_TEST_TAGS  Odoo --test-tags (default /crm_360; benchmarks: crm360_bench/crm_360)
#   CRM360_DEMO_CHECK 1: install the demo database alongside (default with the default
#                     tags), 0: skip it (default with other tags, e.g. benchmarks)
#   CRM360_KEEP=1     keep the run's cluster and filestore for inspection
set -uo pipefail
. "$(dirname "$0")/common.sh"

require_odoo
require_venv

TAGS=${CRM360_TEST_TAGS:-/crm_360}
RUN="$CRM360_STATE/test-$(date +%Y%m%d-%H%M%S)-$$"
LOG="$RUN/odoo.log"
DEMO_LOG="$RUN/demo.log"
DB=crm360_test
DEMO_DB=crm360_demo
if [ "$TAGS" = /crm_360 ]; then
    DEMO_CHECK=${CRM360_DEMO_CHECK:-1}
else
    DEMO_CHECK=${CRM360_DEMO_CHECK:-0}
fi
demo_pid=
mkdir -p "$RUN"

cleanup() {
    [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null && wait "$demo_pid" 2>/dev/null
    pg_stop "$RUN/pg"
    if [ "${CRM360_KEEP:-0}" != 1 ]; then
        rm -rf "$RUN/pg" "$RUN/data"
    fi
}
trap cleanup EXIT

pg_start "$RUN/pg" fast
write_odoo_conf "$RUN" "$(free_port)"

# Start Chromium once before Odoo does: its first start from a cold disk cache can
# exceed the time Odoo's tours wait for it.
if command -v chromium >/dev/null; then
    timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank \
        >/dev/null 2>&1 || true
fi

start=$(date +%s)
if [ "$DEMO_CHECK" = 1 ]; then
    say "installing crm_360 with its demo data into '$DEMO_DB' alongside; log: $DEMO_LOG"
    "$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d "$DEMO_DB" \
        -i crm_360 --stop-after-init --log-level=info --logfile "$DEMO_LOG" 2>"$RUN/demo.stderr" &
    demo_pid=$!
fi
say "installing crm_360 on a fresh database without demo data and running tests '$TAGS'"
say "full Odoo log: $LOG"
"$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d "$DB" \
    -i crm_360 --without-demo=all --test-enable --test-tags "$TAGS" --stop-after-init \
    --log-level=info --logfile "$LOG"
rc=$?
if [ -n "$demo_pid" ]; then
    wait "$demo_pid"
    demo_rc=$?
    demo_pid=
fi
elapsed=$(( $(date +%s) - start ))

# --- read the log ---------------------------------------------------------------------
problems=()
read_test_summary "$LOG" || problems+=("Odoo printed no test summary (did the module install?)")

log_errors=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG")
skipped=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$LOG")
tours_expected=$(grep -ho 'start_tour(' "$CRM360_ROOT"/tests/*.py 2>/dev/null | wc -l)
tours_ok=$(grep -c 'tour succeeded' "$LOG")

[ "$rc" -ne 0 ] && problems+=("Odoo exited with code $rc")
[ "$total" -eq 0 ] && problems+=("no test ran")
[ "$log_errors" -gt 0 ] && problems+=("Odoo logged $log_errors ERROR/CRITICAL line(s)")
[ "$skipped" -gt 0 ] && problems+=("$skipped test(s) skipped")
if [ "$TAGS" = /crm_360 ] && [ "$tours_ok" -lt "$tours_expected" ]; then
    problems+=("$tours_ok of $tours_expected browser tour(s) reported success")
fi

if [ "$DEMO_CHECK" = 1 ]; then
    demo_bad=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$DEMO_LOG" 2>/dev/null)
    demo_bad=${demo_bad:-0}
    demo_state=$(as_pg "$PG_BIN/psql" -h "$RUN/pg/sock" -p 5432 -U postgres -d "$DEMO_DB" -qtAc \
        "SELECT state || '/' || demo FROM ir_module_module WHERE name = 'crm_360'" 2>/dev/null)
    [ "$demo_rc" -ne 0 ] && problems+=("the demo install exited with code $demo_rc")
    if [ "$demo_bad" -gt 0 ]; then
        grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$DEMO_LOG" | cut -c1-400 | head -n 20 >&2
        problems+=("the demo install logged $demo_bad WARNING/ERROR/CRITICAL line(s) (log: $DEMO_LOG)")
    fi
    [ "$demo_state" != installed/true ] &&
        problems+=("crm_360 is not installed with demo data in '$DEMO_DB' (${demo_state:-no database})")
fi

if [ ${#problems[@]} -gt 0 ]; then
    grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |: skipped |^(FAIL|ERROR):' "$LOG" | cut -c1-400 | head -n 40 >&2
    for p in "${problems[@]}"; do say "$p"; done
fi
grep -oE 'bench .*' "$LOG" | sed 's/^/crm_360: /' >&2
say "$total tests, $skipped skipped, $tours_ok tour(s) succeeded, ${elapsed}s; log: $LOG"
# A failed run always counts at least one failure in the closing line.
if [ ${#problems[@]} -gt 0 ] && [ "$bad" -eq 0 ]; then
    bad=1
fi
echo "$passed passed, $bad failed"
[ ${#problems[@]} -eq 0 ]
