# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmarks, out of the standard run: ``make bench``.

Each prints ratios measured side by side in one run: our implementation, the raw
SQL floor for the same answer, and the path Odoo's ORM would take record by
record. Nothing here passes or fails on time.
"""

import logging
import time

from odoo.tests import tagged

from .common_cute import CuteCommon

_logger = logging.getLogger(__name__)

LEADS = 300


def _best_of(func, runs=3):
    best = None
    for _run in range(runs):
        start = time.perf_counter()
        func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


@tagged("-standard", "crm360_bench", "post_install", "-at_install")
class TestCrm360Bench(CuteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"].create(
            [{"name": f"Bench contact {i}"} for i in range(LEADS)]
        )
        roles = ["economic", "user", "technical", "coach"]
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Bench deal {i}",
                    "type": "opportunity",
                    "stage_id": cls.stage_new.id,
                    "influencer_ids": [
                        (
                            0,
                            0,
                            {"partner_id": partners[(i + k) % LEADS].id, "role": role},
                        )
                        for k, role in enumerate(roles)
                    ],
                }
                for i in range(LEADS)
            ]
        )
        cls.env["mail.message"].create(
            [
                {
                    "model": "crm.lead",
                    "res_id": lead.id,
                    "body": "Call notes",
                    "message_type": "comment",
                    "author_id": lead.influencer_ids[0].partner_id.id,
                }
                for lead in cls.leads
            ]
        )
        cls.influencers = cls.leads.influencer_ids
        cls.partners = partners

    def _report(self, what, ours, floor, orm):
        _logger.info(
            "bench %s (%s records): ours %.1f ms, SQL floor %.1f ms, ORM per record "
            "%.1f ms -> ours/floor %.1fx, ORM/ours %.1fx",
            what,
            len(self.influencers),
            ours * 1000,
            floor * 1000,
            orm * 1000,
            ours / floor if floor else 0,
            orm / ours if ours else 0,
        )

    def test_bench_last_contact_refresh(self):
        influencers = self.influencers

        def ours():
            influencers.write({"activity_contact_date": False})
            influencers._refresh_activity_contact_date()
            self.env.flush_all()

        def floor():
            self.env.cr.execute(
                """
                SELECT inf.id, max(msg.date)::date
                  FROM crm_lead_influencer inf
                  JOIN mail_message msg
                    ON msg.model = 'crm.lead' AND msg.res_id = inf.lead_id
                   AND msg.author_id = inf.partner_id
                 WHERE inf.id = ANY(%s)
                 GROUP BY inf.id
                """,
                [influencers.ids],
            )
            self.env.cr.fetchall()

        def orm():
            Message = self.env["mail.message"]
            for influencer in influencers:
                last = Message.search(
                    [
                        ("model", "=", "crm.lead"),
                        ("res_id", "=", influencer.lead_id.id),
                        ("author_id", "=", influencer.partner_id.id),
                    ],
                    order="date desc",
                    limit=1,
                )
                influencer.activity_contact_date = last.date and last.date.date()
            self.env.flush_all()

        self._report(
            "last contact refresh", _best_of(ours), _best_of(floor), _best_of(orm)
        )
        self.assertTrue(all(influencers.mapped("last_contact_date")[:1]))

    def test_bench_buying_role_count(self):
        partners = self.partners

        def ours():
            partners.invalidate_recordset(["buying_role_count"])
            partners.mapped("buying_role_count")

        def floor():
            self.env.cr.execute(
                "SELECT partner_id, count(*) FROM crm_lead_influencer "
                "WHERE partner_id = ANY(%s) GROUP BY partner_id",
                [partners.ids],
            )
            self.env.cr.fetchall()

        def orm():
            Influencer = self.env["crm.lead.influencer"]
            for partner in partners:
                Influencer.search_count([("partner_id", "=", partner.id)])

        self._report(
            "buying role count", _best_of(ours), _best_of(floor), _best_of(orm)
        )
        self.assertEqual(partners[0].buying_role_count, 4)
