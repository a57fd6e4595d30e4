# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Funnel benchmark, out of the standard run: ``make bench`` (or
``CRM360_TEST_TAGS=crm360_bench/crm_360:TestCrmFunnelBench bash tools/test.sh``).

Generates leads with about four stage transitions each by set-based SQL (fixed
pseudo-random pattern; won, lost and open deals; four teams in two companies),
growing to each size of ``CRM360_BENCH_SIZES`` (default 10000,16000,100000,1000000),
and times side by side, in one run:

- ours: the funnel per stage (``crm.funnel.report`` read_group) plus every row of
  the time in stage analysis (``crm.stage.time.report``), read as a sales manager
  through the ORM (record rules applied);
- the raw SQL floor computing the same figures directly from the tables;
- Odoo's own path: ``crm.lead`` read_group per stage (counts and amounts, the only
  funnel figure Odoo has) and ``duration_tracking`` (time in stage from the mail
  tracking, then mean/median/p75 in Python), the latter on at most
  ``CRM360_BENCH_TRACKING_CAP`` leads (default 16000);
- a naive ORM loop (history read lead by lead, figures in Python) on at most
  ``CRM360_BENCH_NAIVE_CAP`` leads (default 2000).

It prints leads per second, the ratios, our number of queries and the per-lead
cost drift between the smallest and the largest size; ``CRM360_BENCH_EXPLAIN=1``
adds the EXPLAIN ANALYZE of our two slowest queries at each size. It checks that
ours and the floor give the same figures and that our number of queries is the
same at every size; nothing passes or fails on time.
"""

import logging
import os
import statistics
import threading
import time
from collections import defaultdict
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..models.stage_history_entry_mixin import STAGE_ENTERING_EVENTS
from .common import Crm360UserFactory

_logger = logging.getLogger(__name__)

SIZES = [
    int(size)
    for size in os.environ.get(
        "CRM360_BENCH_SIZES", "10000,16000,100000,1000000"
    ).split(",")
]
TRACKING_CAP = int(os.environ.get("CRM360_BENCH_TRACKING_CAP", "16000"))
NAIVE_CAP = int(os.environ.get("CRM360_BENCH_NAIVE_CAP", "2000"))
# Set to 1 to log the EXPLAIN ANALYZE of the queries of our path at each size.
EXPLAIN = os.environ.get("CRM360_BENCH_EXPLAIN") == "1"
TIME_FIELDS = [
    "scope",
    "stage_id",
    "team_id",
    "user_id",
    "nbr_stays",
    "mean_days",
    "median_days",
    "p75_days",
    "max_days",
    "nbr_current",
    "current_mean_days",
]
FUNNEL_MEASURES = [
    "nbr:sum",
    "nbr_next:sum",
    "nbr_won:sum",
    "nbr_lost_here:sum",
    "nbr_open_here:sum",
    "expected_revenue:sum",
]


def _best_of(func, runs):
    best, result = None, None
    for _run in range(runs):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


@tagged("-standard", "crm360_bench", "post_install", "-at_install")
class TestCrmFunnelBench(Crm360UserFactory, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Bench Branch"})
        companies = cls.company_a | cls.company_b
        cls.manager = cls._new_user(
            "bench_manager",
            "base.group_user,sales_team.group_sale_manager",
            company=cls.company_a,
            company_ids=[(6, 0, companies.ids)],
        )
        cls.sellers = cls.env["res.users"]
        for index in range(4):
            cls.sellers |= cls._new_user(
                f"bench_seller_{index}",
                "base.group_user,sales_team.group_sale_salesman",
                company=companies[index % 2],
                company_ids=[(6, 0, companies.ids)],
            )
        cls.teams = cls.env["crm.team"].create(
            [
                {"name": f"Bench team {index}", "company_id": companies[index % 2].id}
                for index in range(4)
            ]
        )
        Stage = cls.env["crm.stage"]
        # Sequences above the other stages': no other deal reaches ours.
        cls.stages = Stage.create(
            [
                {"name": f"Bench S{index}", "sequence": 5000 + index}
                for index in range(1, 5)
            ]
        )
        cls.stage_won = Stage.create(
            {"name": "Bench Won", "sequence": 5009, "is_won": True}
        )
        cls.bench_stages = cls.stages | cls.stage_won
        cls.field_stage = cls.env["ir.model.fields"]._get("crm.lead", "stage_id")

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------

    def _generate(self, first, last):
        """Leads ``first``..``last`` (1-based), their history and, up to the
        tracking cap, Odoo's stage tracking messages. One statement each."""
        cr = self.env.cr
        stages = self.stages.ids
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE IF NOT EXISTS bench_plan (
                    g int, lead_id int, team_idx int, depth int, outcome text,
                    t0 timestamp, base int, step int) ON COMMIT DROP;
                TRUNCATE bench_plan;
                INSERT INTO bench_plan
                SELECT g, nextval('crm_lead_id_seq'), MOD(g, 4),
                       1 + MOD(g * 7 + g / 5, 4),
                       CASE WHEN MOD(g, 20) < 5 THEN 'won'
                            WHEN MOD(g, 20) < 9 THEN 'lost' ELSE 'open' END,
                       %(now)s - MAKE_INTERVAL(days => 140 + MOD(g, 200),
                                               hours => MOD(g, 24)),
                       1 + MOD(g, 13), 1 + MOD(g, 7)
                  FROM generate_series(%(first)s, %(last)s) g;
                """,
                now=fields.Datetime.now(),
                first=first,
                last=last,
            )
        )

        def stage_at(depth):
            return SQL("(%s::int[])[%s]", stages, depth)

        def day(k):
            # end of the k-th stay: stays last base + j * step days
            return SQL(
                "p.t0 + MAKE_INTERVAL(days => %(k)s * p.base + p.step * %(k)s "
                "* (%(k)s + 1) / 2)",
                k=k,
            )

        cr.execute(
            SQL(
                """
                INSERT INTO crm_lead (
                    id, name, type, active, team_id, company_id, user_id, stage_id,
                    probability, expected_revenue, create_date, write_date,
                    date_closed, stage_entered_date, create_uid, write_uid, referred)
                SELECT p.lead_id, 'Bench deal ' || p.g, 'opportunity',
                       p.outcome != 'lost', team.id, team.company_id, seller.id,
                       CASE WHEN p.outcome = 'won' THEN %(won)s
                            ELSE %(stage_depth)s END,
                       CASE p.outcome WHEN 'won' THEN 100 WHEN 'lost' THEN 0
                            ELSE 10 * p.depth END,
                       1000 + MOD(p.g, 97) * 100, p.t0, p.t0,
                       CASE WHEN p.outcome != 'open' THEN %(end_depth)s END,
                       CASE WHEN p.outcome = 'won' THEN %(end_depth)s
                            ELSE %(end_before)s END,
                       %(uid)s, %(uid)s, 'crm360-bench'
                  FROM bench_plan p
                  JOIN (SELECT id, company_id,
                               ROW_NUMBER() OVER (ORDER BY id) - 1 AS idx
                          FROM crm_team WHERE id IN %(teams)s) team
                    ON team.idx = p.team_idx
                  JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS idx
                          FROM res_users WHERE id IN %(sellers)s) seller
                    ON seller.idx = p.team_idx
                """,
                won=self.stage_won.id,
                stage_depth=stage_at(SQL("p.depth")),
                end_depth=day(SQL("p.depth")),
                end_before=day(SQL("p.depth - 1")),
                uid=self.env.uid,
                teams=tuple(self.teams.ids),
                sellers=tuple(self.sellers.ids),
            )
        )
        # History: created in S1, moves up to S<depth>, then won or lost.
        cr.execute(
            SQL(
                """
                INSERT INTO crm_lead_stage_history (
                    lead_id, date, event, stage_from_id, stage_to_id, team_id,
                    user_id, company_id, currency_id, expected_revenue,
                    probability, changed_by_id, imported, create_uid, create_date,
                    write_uid, write_date)
                SELECT lead.id, ev.date, ev.event, ev.stage_from, ev.stage_to,
                       lead.team_id, lead.user_id, lead.company_id, %(currency)s,
                       lead.expected_revenue, lead.probability, %(uid)s, FALSE,
                       %(uid)s, ev.date, %(uid)s, ev.date
                  FROM bench_plan p
                  JOIN crm_lead lead ON lead.id = p.lead_id
                 CROSS JOIN LATERAL (
                       SELECT CASE WHEN k = 1 THEN 'create' ELSE 'stage' END AS event,
                              CASE WHEN k > 1 THEN %(stage_before)s END AS stage_from,
                              %(stage_k)s AS stage_to,
                              %(start_k)s AS date
                         FROM generate_series(1, p.depth) k
                       UNION ALL
                       SELECT p.outcome, %(stage_depth)s,
                              CASE WHEN p.outcome = 'won' THEN %(won)s
                                   ELSE %(stage_depth)s END,
                              %(end_depth)s
                        WHERE p.outcome != 'open') ev
                """,
                currency=self.company_a.currency_id.id,
                uid=self.env.uid,
                stage_before=stage_at(SQL("k - 1")),
                stage_k=stage_at(SQL("k")),
                start_k=day(SQL("k - 1")),
                stage_depth=stage_at(SQL("p.depth")),
                end_depth=day(SQL("p.depth")),
                won=self.stage_won.id,
            )
        )
        # Odoo's stage tracking of the moves, for duration_tracking.
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE IF NOT EXISTS bench_track (
                    message_id int, lead_id int, date timestamp,
                    old_stage int, new_stage int) ON COMMIT DROP;
                TRUNCATE bench_track;
                INSERT INTO bench_track
                SELECT nextval('mail_message_id_seq'), hist.lead_id, hist.date,
                       hist.stage_from_id, hist.stage_to_id
                  FROM crm_lead_stage_history hist
                  JOIN bench_plan p ON p.lead_id = hist.lead_id
                 WHERE p.g <= %(cap)s AND hist.event IN ('stage', 'won');
                INSERT INTO mail_message (
                    id, model, res_id, message_type, date, author_id, create_uid,
                    create_date, write_uid, write_date)
                SELECT message_id, 'crm.lead', lead_id, 'notification', date,
                       %(partner)s, %(uid)s, date, %(uid)s, date
                  FROM bench_track;
                INSERT INTO mail_tracking_value (
                    field_id, old_value_integer, new_value_integer,
                    mail_message_id, create_uid, create_date, write_uid, write_date)
                SELECT %(field)s, old_stage, new_stage, message_id, %(uid)s, date,
                       %(uid)s, date
                  FROM bench_track;
                """,
                cap=TRACKING_CAP,
                partner=self.env.user.partner_id.id,
                uid=self.env.uid,
                field=self.field_stage.id,
            )
        )
        cr.execute(
            "ANALYZE crm_lead, crm_lead_stage_history, mail_message, "
            "mail_tracking_value"
        )
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # The paths compared
    # ------------------------------------------------------------------

    def _ours(self):
        env = self.env(
            user=self.manager,
            context=dict(
                self.env.context,
                allowed_company_ids=(self.company_a | self.company_b).ids,
            ),
        )
        env.invalidate_all()
        domain = [("stage_id", "in", self.bench_stages.ids)]
        funnel = env["crm.funnel.report"]._read_group(
            domain, ["stage_id"], FUNNEL_MEASURES
        )
        times = env["crm.stage.time.report"].search_read(domain, TIME_FIELDS)
        return (
            {stage.id: tuple(values) for stage, *values in funnel},
            {
                (
                    row["scope"],
                    row["stage_id"][0],
                    row["team_id"] and row["team_id"][0],
                    row["user_id"] and row["user_id"][0],
                ): tuple(round(row[name] or 0, 6) for name in TIME_FIELDS[4:])
                for row in times
            },
        )

    def _ours_traced(self):
        """Our path once, with every query it sends: (seconds, query, params)."""
        queries = []
        thread = threading.current_thread()
        hooks = getattr(thread, "query_hooks", ())

        def hook(cr, query, params, start, delay):
            queries.append((delay, query, params))

        thread.query_hooks = (*hooks, hook)
        try:
            self._ours()
        finally:
            thread.query_hooks = hooks
        return queries

    def _explain(self, queries, size):
        """Log the plan of the slowest queries of our path."""
        for delay, query, params in sorted(queries, key=lambda q: -q[0])[:2]:
            self.env.cr.execute(
                "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + query, params
            )
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
            _logger.info(
                "bench funnel N=%s query %.3fs:\n%s\n%s", size, delay, query, plan
            )

    def _floor(self):
        cr = self.env.cr
        stages = tuple(self.bench_stages.ids)
        cr.execute(
            SQL(
                """
                WITH reach AS (
                    SELECT h.lead_id, MAX(s.sequence) AS max_seq,
                           ARRAY_AGG(h.stage_to_id) AS ids
                      FROM crm_lead_stage_history h
                      JOIN crm_stage s ON s.id = h.stage_to_id
                     WHERE h.event IN %(entering)s
                  GROUP BY h.lead_id
                )
                SELECT st.id, COUNT(*),
                       SUM((st.sequence < r.max_seq)::int),
                       SUM((l.active AND COALESCE(ls.is_won, FALSE))::int),
                       SUM((NOT l.active AND l.probability = 0
                            AND st.sequence = r.max_seq)::int),
                       SUM((l.active AND NOT COALESCE(ls.is_won, FALSE)
                            AND l.stage_id = st.id)::int),
                       SUM(l.expected_revenue)
                  FROM reach r
                  JOIN crm_lead l ON l.id = r.lead_id
             LEFT JOIN crm_stage ls ON ls.id = l.stage_id
                  JOIN crm_stage st
                    ON st.sequence <= r.max_seq
                   AND (st.team_id IS NULL OR st.team_id = l.team_id
                        OR st.id = ANY(r.ids))
                   AND (st.is_won IS NOT TRUE OR st.id = ANY(r.ids))
                 WHERE st.id IN %(stages)s
              GROUP BY st.id
                """,
                entering=STAGE_ENTERING_EVENTS,
                stages=stages,
            )
        )
        funnel = {row[0]: tuple(row[1:]) for row in cr.fetchall()}
        cr.execute(
            SQL(
                """
                WITH ordered AS (
                    SELECT lead_id, event, stage_to_id, date, team_id, user_id,
                           LEAD(date) OVER (PARTITION BY lead_id
                                            ORDER BY date, id) AS next_date
                      FROM crm_lead_stage_history
                ),
                stays AS (
                    SELECT o.stage_to_id AS stage_id, o.team_id, o.user_id,
                           EXTRACT(EPOCH FROM (COALESCE(o.next_date, %(now)s)
                                               - o.date)) / 86400.0 AS days,
                           o.next_date IS NULL AS cur
                      FROM ordered o
                      JOIN crm_lead l ON l.id = o.lead_id
                      JOIN crm_stage s ON s.id = o.stage_to_id
                     WHERE o.event IN %(entering)s AND s.is_won IS NOT TRUE
                       AND o.stage_to_id IN %(stages)s
                       AND (o.next_date IS NOT NULL
                            OR (l.active AND l.stage_id = o.stage_to_id))
                )
                SELECT CASE WHEN GROUPING(team_id) = 0 THEN 'team'
                            WHEN GROUPING(user_id) = 0 THEN 'user'
                            ELSE 'stage' END,
                       stage_id, team_id, user_id,
                       COUNT(*) FILTER (WHERE NOT cur),
                       AVG(days) FILTER (WHERE NOT cur),
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY days)
                           FILTER (WHERE NOT cur),
                       PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY days)
                           FILTER (WHERE NOT cur),
                       MAX(days) FILTER (WHERE NOT cur),
                       COUNT(*) FILTER (WHERE cur),
                       AVG(days) FILTER (WHERE cur)
                  FROM stays
              GROUP BY GROUPING SETS ((stage_id), (stage_id, team_id),
                                      (stage_id, user_id))
                """,
                now=fields.Datetime.now(),
                entering=STAGE_ENTERING_EVENTS,
                stages=stages,
            )
        )
        times = {
            (scope, stage, team or False, user or False): tuple(
                round(float(value or 0), 6) for value in values
            )
            for scope, stage, team, user, *values in cr.fetchall()
        }
        return funnel, times

    def _odoo_read_group(self):
        self.env.invalidate_all()
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("stage_id", "in", self.bench_stages.ids)],
                ["stage_id"],
                ["__count", "expected_revenue:sum"],
            )
        )

    def _bench_lead_ids(self, limit):
        self.env.cr.execute(
            "SELECT id FROM crm_lead WHERE referred = 'crm360-bench' "
            "ORDER BY id LIMIT %s",
            (limit,),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _odoo_duration_tracking(self, lead_ids):
        """Time in stage the Odoo way: each lead's duration_tracking (computed by
        prefetch batches, as a list or kanban reads it), then per stage."""
        self.env.invalidate_all()
        leads = self.env["crm.lead"].with_context(active_test=False).browse(lead_ids)
        per_stage = defaultdict(list)
        for lead in leads:
            for stage_id, seconds in (lead.duration_tracking or {}).items():
                per_stage[int(stage_id)].append(seconds / 86400.0)
        return {
            stage: (
                len(days),
                statistics.fmean(days),
                statistics.median(days),
                statistics.quantiles(days, n=4)[2] if len(days) > 1 else days[0],
            )
            for stage, days in per_stage.items()
        }

    def _naive_orm(self, lead_ids):
        """The figures record by record through the ORM."""
        self.env.invalidate_all()
        History = self.env["crm.lead.stage.history"]
        reached = defaultdict(int)
        stays = defaultdict(list)
        now = fields.Datetime.now()
        for lead in (
            self.env["crm.lead"].with_context(active_test=False).browse(lead_ids)
        ):
            entries = History.search([("lead_id", "=", lead.id)], order="date, id")
            top = max(
                (
                    entry.stage_to_id.sequence
                    for entry in entries
                    if entry.event in STAGE_ENTERING_EVENTS
                ),
                default=0,
            )
            for stage in self.stages:
                if stage.sequence <= top:
                    reached[stage.id] += 1
            for entry, following in zip(
                entries, list(entries[1:]) + [None], strict=True
            ):
                if entry.event in STAGE_ENTERING_EVENTS:
                    end = following.date if following else now
                    stays[entry.stage_to_id.id].append(
                        (end - entry.date).total_seconds() / 86400.0
                    )
        return reached, {
            stage: statistics.median(days) for stage, days in stays.items()
        }

    # ------------------------------------------------------------------

    def test_funnel_bench(self):
        # One "now" for every path: current stays are measured up to it.
        now = fields.Datetime.now()
        with patch.object(fields.Datetime, "now", return_value=now):
            self._run_sizes()

    def _run_sizes(self):
        done = 0
        lines = []
        query_counts = {}
        tracking_done = set()
        for size in SIZES:
            start = time.perf_counter()
            self._generate(done + 1, size)
            generated = time.perf_counter() - start
            done = size
            runs = 3 if size <= 100000 else 2
            ours_time, ours = _best_of(self._ours, runs)
            floor_time, floor = _best_of(self._floor, runs)
            queries = self._ours_traced()
            query_counts[size] = len(queries)
            if EXPLAIN:
                self._explain(queries, size)
            self.assertEqual(ours[0], floor[0], "funnel: ours and the floor agree")
            self.assertEqual(ours[1], floor[1], "time in stage: they agree")
            read_group_time, _groups = _best_of(self._odoo_read_group, runs)
            tracked = min(size, TRACKING_CAP)
            tracking_time = None
            if tracked not in tracking_done:
                tracking_done.add(tracked)
                tracking_time, _durations = _best_of(
                    lambda tracked=tracked: self._odoo_duration_tracking(
                        self._bench_lead_ids(tracked)
                    ),
                    1,
                )
            naive_time = None
            if size == SIZES[0]:
                naive = min(size, NAIVE_CAP)
                naive_time, _figures = _best_of(
                    lambda naive=naive: self._naive_orm(self._bench_lead_ids(naive)),
                    1,
                )
            lines.append(
                {
                    "size": size,
                    "generated": generated,
                    "ours": ours_time,
                    "floor": floor_time,
                    "read_group": read_group_time,
                    "tracking": tracking_time,
                    "tracked": tracked,
                    "naive": naive_time,
                    "naive_n": min(size, NAIVE_CAP),
                    "queries": len(queries),
                    "sql": sum(query[0] for query in queries),
                }
            )
            self._report(lines[-1], lines[0])
        self.assertEqual(
            len(set(query_counts.values())),
            1,
            f"the queries of the funnel and time in stage do not grow with the "
            f"pipeline: {query_counts}",
        )

    def _report(self, line, first):
        size = line["size"]
        ours, floor = line["ours"], line["floor"]
        per_lead = ours / size
        message = (
            f"bench funnel N={size} leads: generated in {line['generated']:.1f}s; "
            f"ours {ours:.3f}s ({size / ours:.0f} leads/s), floor {floor:.3f}s "
            f"({size / floor:.0f} leads/s), ours/floor {ours / floor:.2f}x; "
            f"Odoo read_group (counts only) {line['read_group']:.3f}s; "
            f"ours in {line['queries']} queries, {line['sql']:.3f}s in SQL"
        )
        if line["tracking"] is not None and line["tracked"]:
            odoo_per_lead = line["tracking"] / line["tracked"]
            message += (
                f"; duration_tracking on {line['tracked']} leads "
                f"{line['tracking']:.2f}s, per lead Odoo/ours "
                f"{odoo_per_lead / per_lead:.0f}x"
            )
        if line["naive"] is not None and line["naive_n"]:
            naive_per_lead = line["naive"] / line["naive_n"]
            message += (
                f"; naive ORM loop on {line['naive_n']} leads {line['naive']:.2f}s, "
                f"per lead naive/ours {naive_per_lead / per_lead:.0f}x"
            )
        if size != first["size"]:
            drift = per_lead / (first["ours"] / first["size"])
            message += f"; per-lead cost drift {first['size']}->{size}: {drift:.2f}x"
        _logger.info(message)
