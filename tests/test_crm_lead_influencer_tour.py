# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import Crm360TourCase
from .common_cute import CuteCommon


@tagged("post_install", "-at_install")
class TestCrmLeadInfluencerTour(Crm360TourCase, CuteCommon):
    def test_cute_tab_tour(self):
        lead = self._new_lead("CUTE Tour Deal")
        self.assertEqual(lead.cute_state, "not_assessed")
        self.assertEqual(lead.cute_flag_count, 0)
        self.start_tour(
            f"/odoo/crm/{lead.id}", "crm_360_cute_tab_tour", login="c360_own"
        )
        self.assertEqual(set(lead.influencer_ids.mapped("role")), {"economic", "coach"})
        self.assertEqual(lead.cute_flags, "economic_weak")
        self.assertEqual(lead.cute_score, 60)
