# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CrmLead(models.Model):
    """Sales funnel on the opportunity: what its append-only stage history
    (``stage.history.mixin``, inherited in ``crm_lead.py``) records of it."""

    _inherit = "crm.lead"

    # ------------------------------------------------------------------
    # Stage history (stage.history.mixin)
    # ------------------------------------------------------------------

    def _stage_history_event(self, old_stage, new_stage):
        return "won" if new_stage.is_won else "stage"

    def _stage_history_values(self, event):
        self.ensure_one()
        return {
            "expected_revenue": self.expected_revenue,
            # A lost deal is worth nothing any more, whatever order Odoo writes it.
            "probability": 0.0 if event == "lost" else self.probability,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "currency_id": self.company_currency.id,
        }

    def _stage_history_init_columns(self):
        return {
            "expected_revenue": SQL("COALESCE(rec.expected_revenue, 0)"),
            "probability": SQL(
                "CASE WHEN ev.event = 'lost' THEN 0 ELSE rec.probability END"
            ),
            "team_id": SQL("rec.team_id"),
            "user_id": SQL("rec.user_id"),
            # Runs while the registry loads: SQL only, no ORM read.
            "currency_id": SQL(
                "(SELECT currency_id FROM res_company"
                " ORDER BY id = rec.company_id DESC, id LIMIT 1)"
            ),
        }

    def _stage_history_init_won_sql(self):
        return SQL("COALESCE(stage.is_won, FALSE)")

    def _stage_history_init_stage_date_sql(self):
        return SQL("rec.date_last_stage_update")

    def _stage_history_init_lost_date_sql(self):
        return SQL("rec.date_closed")

    @api.model
    def _demo_date_creation_messages(self):
        """Demo data only: the first message of each demo opportunity dated when
        the opportunity was (back-dated) created, not when the demo was loaded,
        so that the chatter agrees with the stage history."""
        self.env["mail.message"].flush_model(["date", "model", "res_id"])
        self.env.cr.execute(
            """
            UPDATE mail_message m
               SET date = lead.create_date
              FROM crm_lead lead
              JOIN ir_model_data imd
                ON imd.model = 'crm.lead' AND imd.res_id = lead.id
               AND imd.module = 'crm_360'
             WHERE m.model = 'crm.lead'
               AND m.res_id = lead.id
               AND m.date > lead.create_date
               AND m.id = (SELECT MIN(first.id) FROM mail_message first
                            WHERE first.model = 'crm.lead'
                              AND first.res_id = lead.id)
            """
        )
        self.env["mail.message"].invalidate_model(["date"])
