# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from .common import Crm360SalesCommon

DAY0 = datetime(2026, 3, 2, 9, 0)


def at(days):
    """Freeze the clock ``days`` after DAY0: pipelines are built day by day."""
    return freeze_time(DAY0 + timedelta(days=days))


class FunnelCommon(Crm360SalesCommon):
    """Sales funnel, stage history, time in stage and aging: the sales pipeline,
    whose stage changes each test replays day by day with :func:`at`."""

    @classmethod
    def _stage_history(cls, lead):
        """The stage history of ``lead``, oldest first."""
        return (
            cls.env["crm.lead.stage.history"]
            .sudo()
            .search([("lead_id", "=", lead.id)], order="id")
        )
