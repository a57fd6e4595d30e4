# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import Crm360SalesCommon


class CuteCommon(Crm360SalesCommon):
    """Buying influencers (CUTE): the economic buyer of the customer recorded on
    the opportunities of each owner and company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Influencer = cls.env["crm.lead.influencer"]
        cls.inf_own = Influencer.create(
            {
                "lead_id": cls.lead_own.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.inf_other = Influencer.create(
            {
                "lead_id": cls.lead_other.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.inf_unassigned = Influencer.create(
            {
                "lead_id": cls.lead_unassigned.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.inf_company_b = Influencer.create(
            {
                "lead_id": cls.lead_company_b.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
