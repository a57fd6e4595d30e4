# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A bounded load of simulated crm_360 users over HTTP (run by tools/scale.sh).

Each session logs in with a demo login (README "Demo logins", password ``demo``)
and calls ``/web/dataset/call_kw`` the way the web client does, for a fixed time:

- salesmen move their opportunities to another stage (``write`` of
  ``stage_id``), post notes and schedule to-dos;
- managers open the funnel, forecast and customer value analyses
  (``web_read_group`` and ``web_search_read``, read-only methods that Odoo sends
  to the replica);
- agents register complaints (``create`` of ``helpdesk.ticket``).

It prints requests per second, p50/p95 latency per kind of request, the share of
report queries the standby served (``pg_stat_statements`` of both servers) and
the stage transitions written versus those found in crm_360's stage history;
it exits 1 when they differ or when a request failed.
"""

import argparse
import collections
import random
import subprocess
import sys
import threading
import time

import requests

PASSWORD = "demo"
SALESMEN = ("zhang.wei@example.com", "emma.laurent@example.com")
MANAGERS = ("li.na@example.com",)
AGENTS = ("wang.fang@example.com",)
# The analysis models' tables, as they appear in the SQL of their reads.
REPORT_TABLES = (
    "crm_funnel_report",
    "crm_forecast_report",
    "res_partner_pareto_report",
)


class Session:
    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.http = requests.Session()
        self.uid = None
        self.calls = 0

    def authenticate(self):
        result = self._json(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": PASSWORD},
        )
        self.uid = result["uid"]

    def _json(self, path, params):
        self.calls += 1
        response = self.http.post(
            self.url + path,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": self.calls,
                "params": params,
            },
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(
                f"{self.login} {path}: {body['error']['data'].get('message')}"
            )
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Load:
    def __init__(self, args):
        self.args = args
        self.latencies = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.error_samples = []
        self.transitions = collections.Counter()  # lead id -> stage changes written
        self.lock = threading.Lock()
        self.deadline = None

    def timed(self, kind, function, *args, **kwargs):
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - counted and reported
            with self.lock:
                self.errors[kind] += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{kind}: {error}")
            return None
        with self.lock:
            self.latencies[kind].append(time.perf_counter() - start)
        return result

    # -- roles ----------------------------------------------------------------

    def salesman(self, session, rng):
        stages = session.call(
            "crm.stage", "search_read", [], ["id"], order="sequence, id"
        )
        stage_ids = [stage["id"] for stage in stages]
        leads = session.call(
            "crm.lead",
            "search_read",
            [("type", "=", "opportunity"), ("user_id", "=", session.uid)],
            ["id", "stage_id"],
        )
        current = {lead["id"]: lead["stage_id"][0] for lead in leads}
        if not current or len(stage_ids) < 2:
            raise RuntimeError(f"{session.login} has no opportunity to move")
        while time.monotonic() < self.deadline:
            lead_id = rng.choice(list(current))
            action = rng.random()
            if action < 0.6:
                stage_id = rng.choice([s for s in stage_ids if s != current[lead_id]])
                done = self.timed(
                    "salesman: move stage",
                    session.call,
                    "crm.lead",
                    "write",
                    [lead_id],
                    {"stage_id": stage_id},
                )
                if done:
                    current[lead_id] = stage_id
                    with self.lock:
                        self.transitions[lead_id] += 1
            elif action < 0.8:
                self.timed(
                    "salesman: note",
                    session.call,
                    "crm.lead",
                    "message_post",
                    [lead_id],
                    body="Called the customer (load test).",
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            else:
                self.timed(
                    "salesman: activity",
                    session.call,
                    "crm.lead",
                    "activity_schedule",
                    [lead_id],
                    act_type_xmlid="mail.mail_activity_data_todo",
                    summary="Follow up (load test)",
                )

    def manager(self, session, rng):
        reads = (
            (
                "manager: funnel",
                "crm.funnel.report",
                ["stage_id"],
                ["nbr:sum", "expected_revenue:sum"],
            ),
            (
                "manager: forecast",
                "crm.forecast.report",
                ["month:month"],
                ["expected_revenue:sum", "prorated_revenue:sum", "won_revenue:sum"],
            ),
            (
                "manager: customer value",
                "res.partner.pareto.report",
                ["value_tier"],
                ["revenue:sum", "customer_count:sum"],
            ),
        )
        while time.monotonic() < self.deadline:
            kind, model, groupby, fields = rng.choice(reads)
            self.timed(
                kind + " (group)",
                session.call,
                model,
                "web_read_group",
                [],
                fields,
                groupby,
                lazy=True,
            )
            self.timed(
                kind + " (list)",
                session.call,
                model,
                "web_search_read",
                [],
                {name.split(":")[0]: {} for name in fields + groupby},
                limit=80,
            )

    def agent(self, session, rng):
        partners = session.call(
            "res.partner", "search_read", [("is_company", "=", True)], ["id"], limit=50
        )
        if not partners:
            raise RuntimeError(f"{session.login} sees no customer")
        while time.monotonic() < self.deadline:
            self.timed(
                "agent: register complaint",
                session.call,
                "helpdesk.ticket",
                "create",
                {
                    "name": f"Load test complaint {rng.randint(1, 10**6)}",
                    "description": "<p>Delivery arrived late (load test).</p>",
                    "is_complaint": True,
                    "partner_id": rng.choice(partners)["id"],
                },
            )

    def run_session(self, role, login, seed):
        rng = random.Random(seed)
        session = Session(self.args.url, self.args.db, login)
        try:
            self.timed("login", session.authenticate)
            if session.uid:
                getattr(self, role)(session, rng)
        except Exception as error:  # noqa: BLE001 - counted and reported
            with self.lock:
                self.errors[f"{role} setup"] += 1
                self.error_samples.append(f"{role} {login}: {error}")


def psql(args, host, sql, db=None):
    command = [args.psql, "-h", host, "-p", "5432", "-U", "crm360", "-d", db or args.db]
    command += ["-qtAX", "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def report_calls(args, host):
    """(report statements, all statements) executed in the database."""
    like = " OR ".join(f"query LIKE '%{table}%'" for table in REPORT_TABLES)
    out = psql(
        args,
        host,
        "SELECT COALESCE(SUM(calls) FILTER (WHERE "
        + like
        + "), 0), COALESCE(SUM(calls), 0) FROM pg_stat_statements s "
        "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() "
        "AND query NOT LIKE '%pg_stat_statements%'",
    )
    reports, total = out.strip().split("|")
    return int(reports), int(total)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--primary", required=True, help="socket folder")
    parser.add_argument("--standby", required=True, help="socket folder")
    parser.add_argument("--odoo-log")
    args = parser.parse_args()

    roles = []
    people = (
        [("salesman", login) for login in SALESMEN]
        + [("manager", login) for login in MANAGERS]
        + [("agent", login) for login in AGENTS]
    )
    # Salesmen first, one session each (a salesman's leads are his session's
    # alone), then managers and agents in turn.
    others = [p for p in people if p[0] != "salesman"]
    for index in range(args.users):
        if index < len(SALESMEN):
            roles.append(people[index])
        else:
            roles.append(others[(index - len(SALESMEN)) % len(others)])

    history_before = int(
        psql(
            args,
            args.primary,
            "SELECT COALESCE(MAX(id), 0) FROM crm_lead_stage_history",
        )
    )
    for host in (args.primary, args.standby):
        psql(args, host, "SELECT pg_stat_statements_reset()")

    load = Load(args)
    load.deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    threads = [
        threading.Thread(target=load.run_session, args=(role, login, index))
        for index, (role, login) in enumerate(roles)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    # The standby has replayed the primary before we compare.
    lsn = psql(args, args.primary, "SELECT pg_current_wal_lsn()").strip()
    for _ in range(60):
        caught_up = psql(
            args,
            args.standby,
            f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn",
        ).strip()
        if caught_up == "t":
            break
        time.sleep(0.5)

    primary_reports, primary_total = report_calls(args, args.primary)
    standby_reports, standby_total = report_calls(args, args.standby)
    moved = sorted(load.transitions)
    written = sum(load.transitions.values())
    found = 0
    if moved:
        found = int(
            psql(
                args,
                args.primary,
                "SELECT COUNT(*) FROM crm_lead_stage_history "
                f"WHERE id > {history_before} "
                f"AND lead_id IN ({','.join(map(str, moved))})",
            )
        )

    requests_done = sum(len(v) for v in load.latencies.values())
    sessions = collections.Counter(role for role, _login in roles)
    print()
    print(
        f"crm_360 scale run: {args.users} sessions "
        f"({', '.join(f'{n} {r}' for r, n in sessions.items())}), {elapsed:.0f} s"
    )
    print(
        f"requests: {requests_done} ok, {sum(load.errors.values())} failed, "
        f"{requests_done / elapsed:.1f} requests/s"
    )
    print(f"{'kind of request':<40} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in sorted(load.latencies):
        values = load.latencies[kind]
        print(
            f"{kind:<40} {len(values):>6} {percentile(values, 0.5) * 1000:>8.0f} "
            f"{percentile(values, 0.95) * 1000:>8.0f}"
        )
    report_total = primary_reports + standby_reports
    share = standby_reports / report_total if report_total else 0.0
    print(
        f"report queries (pg_stat_statements calls on {', '.join(REPORT_TABLES)}): "
        f"standby {standby_reports}, primary {primary_reports}: "
        f"{share:.0%} served by the standby"
    )
    all_total = primary_total + standby_total
    print(
        f"all statements: standby {standby_total}, primary {primary_total} "
        f"({standby_total / all_total if all_total else 0:.0%} on the standby)"
    )
    print(f"stage transitions: written {written}, in the stage history {found}")
    failed = False
    for kind, count in sorted(load.errors.items()):
        print(f"FAILED {kind}: {count}")
        failed = True
    for sample in load.error_samples:
        print(f"  e.g. {sample}")
    if written != found:
        print("FAILED: the stage history does not hold every transition written")
        failed = True
    if not written:
        print("FAILED: no stage transition was written")
        failed = True
    if args.odoo_log:
        with open(args.odoo_log, encoding="utf-8", errors="replace") as log:
            lines = log.read().splitlines()
        errors = [line for line in lines if " ERROR " in line or " CRITICAL " in line]
        retried = [
            line for line in lines if "retrying with a read/write cursor" in line
        ]
        print(
            f"Odoo log: {len(errors)} ERROR lines, {len(retried)} read-only requests "
            "replayed on the primary"
        )
        for line in (errors + retried)[:5]:
            print("  " + line[:240])
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
