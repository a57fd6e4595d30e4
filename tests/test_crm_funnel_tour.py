# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import Crm360TourCase
from .common_funnel import FunnelCommon


@tagged("post_install", "-at_install")
class TestCrmFunnelTour(Crm360TourCase, FunnelCommon):
    """The sales funnel in the browser, as a sales manager: CRM › Reporting › Sales
    Funnel, the deals reaching each stage, and a drill into one stage.

    The tour's stages belong to its own team, so that no other deal (demo data
    included) reaches them:

    A: Lead In -> Proposal -> Contract -> Won
    B: Lead In -> Proposal, open
    C: Lead In -> Contract, open (skipped Proposal: reached it all the same)
    D: Lead In, lost
    E: Lead In -> Proposal, lost
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tour_team = cls.env["crm.team"].create(
            {"name": "Funnel Tour Team", "user_id": cls.user_manager.id}
        )
        Stage = cls.env["crm.stage"]

        def stage(name, sequence, **vals):
            return Stage.create(
                dict(name=name, sequence=sequence, team_id=cls.tour_team.id, **vals)
            )

        cls.lead_in = stage("Tour Lead In", 101)
        cls.proposal = stage("Tour Proposal", 102)
        cls.contract = stage("Tour Contract", 103)
        cls.won = stage("Tour Won", 109, is_won=True)
        cls.deals = {}
        for key in "ABCDE":
            cls.deals[key] = cls._new_lead(
                f"Tour Deal {key}",
                team_id=cls.tour_team.id,
                stage_id=cls.lead_in.id,
                user_id=cls.user_own.id,
            )
        (cls.deals["A"] | cls.deals["B"] | cls.deals["E"]).stage_id = cls.proposal
        (cls.deals["A"] | cls.deals["C"]).stage_id = cls.contract
        cls.deals["A"].stage_id = cls.won
        (cls.deals["D"] | cls.deals["E"]).action_set_lost()

    def test_funnel_tour(self):
        # The figures the tour reads, as the manager gets them from the ORM.
        funnel = dict(
            self.env["crm.funnel.report"]
            .with_user(self.user_manager)
            ._read_group(
                [("stage_id.team_id", "=", self.tour_team.id)],
                ["stage_id"],
                ["nbr:sum"],
            )
        )
        self.assertEqual(
            funnel,
            {self.lead_in: 5, self.proposal: 4, self.contract: 2, self.won: 1},
        )
        self.start_tour("/odoo", "crm_360_funnel_tour", login="c360_manager")
