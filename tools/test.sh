#!/usr/bin/env bash
# Run crm_360's tests on a FRESH database in a private PostgreSQL cluster, then print
# exactly one line "N passed, M failed".  Fails (non-zero) when a test fails or errors,
# when no test ran, when a test was skipped (e.g. a browser tour without Chromium),
# when a browser tour did not report success, when Odoo logged an ERROR or CRITICAL
# line, or when Odoo is missing.
#
#   CRM360_TEST_TAGS  Odoo --test-tags (default /crm_360; benchmarks: crm360_bench/crm_360)
#   CRM360_KEEP=1     keep the run's cluster and filestore for inspection
set -uo pipefail
. "$(dirname "$0")/common.sh"

require_odoo
require_venv

TAGS=${CRM360_TEST_TAGS:-/crm_360}
RUN="$CRM360_STATE/test-$(date +%Y%m%d-%H%M%S)-$$"
LOG="$RUN/odoo.log"
DB=crm360_test
mkdir -p "$RUN"

cleanup() {
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

say "installing crm_360 on a fresh database and running tests '$TAGS'"
say "full Odoo log: $LOG"
start=$(date +%s)
"$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d "$DB" \
    -i crm_360 --test-enable --test-tags "$TAGS" --stop-after-init \
    --log-level=info --logfile "$LOG"
rc=$?
elapsed=$(( $(date +%s) - start ))

# --- read the log ---------------------------------------------------------------------
problems=()
summary=$(grep -E "odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$LOG" | tail -n 1)
if [ -z "$summary" ]; then
    failed=0 errors=0 total=0
    problems+=("Odoo printed no test summary (did the module install?)")
else
    read -r failed errors total < <(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$summary")
fi
bad=$((failed + errors))
passed=$((total - bad))

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
