# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common_cute import CuteCommon


class CompetitorCommon(CuteCommon):
    """Two competitors, one with a general SWOT, and the seeded factors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.factor_price = cls.env.ref("crm_360.crm_swot_factor_price")
        cls.factor_delivery = cls.env.ref("crm_360.crm_swot_factor_delivery")
        cls.factor_service = cls.env.ref("crm_360.crm_swot_factor_service")
        Partner = cls.env["res.partner"]
        Competitor = cls.env["crm.competitor"]
        cls.competitor_a = Competitor.create(
            {
                "partner_id": Partner.create(
                    {"name": "龙峰软件 Dragon Peak", "is_company": True}
                ).id,
                "price_position": "lower",
                "swot_item_ids": [
                    (
                        0,
                        0,
                        {
                            "quadrant": "strength",
                            "factor_id": cls.factor_price.id,
                            "description": "Always 15% cheaper",
                            "score": 4,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "quadrant": "weakness",
                            "factor_id": cls.factor_service.id,
                            "description": "服务网点少",
                            "score": 2,
                        },
                    ),
                ],
            }
        )
        cls.competitor_b = Competitor.create(
            {
                "partner_id": Partner.create(
                    {"name": "Norland Automation", "is_company": True}
                ).id,
                "price_position": "higher",
            }
        )

    @classmethod
    def _add_competitor(cls, lead, competitor, **vals):
        return cls.env["crm.lead.competitor"].create(
            dict({"lead_id": lead.id, "competitor_id": competitor.id}, **vals)
        )

    @classmethod
    def _mark_lost(cls, leads, **vals):
        wizard = cls.env["crm.lead.lost"].create(
            dict({"lead_ids": [(6, 0, leads.ids)]}, **vals)
        )
        return wizard.action_lost_reason_apply()
