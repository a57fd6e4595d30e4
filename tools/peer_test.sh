#!/usr/bin/env bash
# Run Odoo's and OCA's own TransactionCase suites of the modules crm_360 extends on a
# FRESH database where crm_360 is installed (without demo data), then print exactly
# one line "peer suites: M failure(s) in N tests of Odoo and OCA" (worded unlike the
# README test command's closing line, which CI reads).  Fails (non-zero) on any failed test,
# Odoo's assertQueryCount budgets included, when no test ran, or when Odoo logged an
# ERROR or CRITICAL line.
#
# How the suites run: crm_360 and its dependencies are installed first, without
# tests.  A second Odoo process (tools/peer_test.py, Odoo's server with one change)
# then loads the complete registry and runs the at_install AND post_install tests of
# the peer modules, filtered by the tags below.  Plain "--test-tags /crm" would run
# crm's at_install tests while the registry is still loading, before crm_360 is
# loaded, and "-u crm" does the same: neither would test crm with crm_360.
# HttpCase tests (tours, portal requests) are left out (CRM360_PEER_HTTP=1 runs them).
#
#   CRM360_PEER_BASELINE=1  install crm_360's dependencies but NOT crm_360 and run
#                           the same suites: proves a failure is not crm_360's
#   CRM360_PEER_TAGS        run these test tags instead of PEER_TAGS + exclusions
#                           (e.g. one failing test, with the baseline)
#   CRM360_KEEP=1           keep the run's cluster and filestore for inspection
set -uo pipefail
. "$(dirname "$0")/common.sh"

require_odoo
require_venv

# The modules crm_360 extends, whose own suites must pass with crm_360 installed.
PEER_MODULES=(crm sale_crm sale_stock mass_mailing_crm helpdesk_mgmt helpdesk_mgmt_rating)

# Tests left out, as "-/module:Class.test_method" tags, each with its reason.  Only
# tests that fail identically on a database WITHOUT crm_360 (same modules, same
# runner: CRM360_PEER_BASELINE=1) belong here.  None today: the failures earlier
# runs saw (crm's multi-company setUpClass, helpdesk_mgmt's user_own/user_team
# subtests, helpdesk_mgmt_rating's portal tests) came from at_install tests run
# on a half-loaded registry, and all pass when run as this script runs them.
EXCLUDED=(
)

PEER_TAGS=$(printf '/%s,' "${PEER_MODULES[@]}")
PEER_TAGS=${PEER_TAGS%,}
if [ ${#EXCLUDED[@]} -gt 0 ]; then
    PEER_TAGS="$PEER_TAGS,$(IFS=,; echo "${EXCLUDED[*]}")"
fi
TAGS=${CRM360_PEER_TAGS:-$PEER_TAGS}

RUN="$CRM360_STATE/peer-$(date +%Y%m%d-%H%M%S)-$$"
LOG="$RUN/odoo.log"
DB=crm360_peer
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

if [ "${CRM360_PEER_BASELINE:-0}" = 1 ]; then
    # crm_360's dependencies, read from its manifest, and the peer modules.
    modules=$("$CRM360_PYTHON" - "$CRM360_ROOT/__manifest__.py" "${PEER_MODULES[@]}" <<'PY'
import ast, sys
manifest = ast.literal_eval(open(sys.argv[1]).read())
print(",".join(dict.fromkeys(manifest["depends"] + sys.argv[2:])))
PY
)
    say "baseline WITHOUT crm_360: installing $modules"
else
    modules=crm_360,$(IFS=,; echo "${PEER_MODULES[*]}")
    say "installing $modules"
fi
say "full Odoo log: $LOG"
start=$(date +%s)
"$CRM360_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN/odoo.conf" -d "$DB" \
    -i "$modules" --without-demo=all --stop-after-init \
    --log-level=warn --logfile "$RUN/install.log" ||
    { tail -n 30 "$RUN/install.log" >&2; die "installation failed (log: $RUN/install.log)"; }
installed=$(( $(date +%s) - start ))

say "running the peer suites '$TAGS'"
ODOO_SRC="$ODOO_SRC" "$CRM360_VENV/bin/python" "$CRM360_ROOT/tools/peer_test.py" \
    -c "$RUN/odoo.conf" -d "$DB" --test-enable --test-tags "$TAGS" --stop-after-init \
    --log-level=info --logfile "$LOG"
rc=$?
elapsed=$(( $(date +%s) - start ))

# --- read the log ---------------------------------------------------------------------
problems=()
read_test_summary "$LOG" || problems+=("Odoo printed no test summary")
log_errors=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG")

[ "$rc" -ne 0 ] && problems+=("Odoo exited with code $rc")
[ "$total" -eq 0 ] && problems+=("no test ran")
[ "$log_errors" -gt 0 ] && problems+=("Odoo logged $log_errors ERROR/CRITICAL line(s)")

if [ ${#problems[@]} -gt 0 ]; then
    grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^(FAIL|ERROR):|AssertionError' "$LOG" | cut -c1-400 | head -n 60 >&2
    for p in "${problems[@]}"; do say "$p"; done
fi
grep -E 'odoo\.tests\.stats: ' "$LOG" | sed -E 's/.*odoo\.tests\.stats: /crm_360: /' >&2
say "$total tests; installed in ${installed}s, ${elapsed}s in all; log: $LOG"
if [ ${#problems[@]} -gt 0 ] && [ "$bad" -eq 0 ]; then
    bad=1
fi
echo "peer suites: $bad failure(s) in $total tests of Odoo and OCA ($passed ok)"
[ ${#problems[@]} -eq 0 ]
