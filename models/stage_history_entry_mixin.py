# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# What moved a record, as recorded in its stage history. Entering events start a stay
# in a stage (time in stage is measured from them); "lost" ends the current stay.
STAGE_HISTORY_EVENTS = [
    ("create", "Created"),
    ("stage", "Stage Change"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("restore", "Restored"),
]
STAGE_ENTERING_EVENTS = ("create", "stage", "won", "restore")


class StageHistoryEntryMixin(models.AbstractModel):
    """One transition in the append-only stage history of a record.

    A concrete history model adds the many2one to its record (declared as the
    tracked model's ``_stage_history_link``), ``stage_from_id`` and ``stage_to_id`` on
    the record's stage model, and whatever it snapshots at the moment of the
    transition. Entries are written by :class:`StageHistoryMixin` only: nobody edits
    them, and only the superuser may delete them (they go with their record).
    """

    _name = "stage.history.entry.mixin"
    _description = "Stage History Entry"
    _order = "date desc, id desc"

    date = fields.Datetime(
        required=True,
        readonly=True,
        index=True,
        default=fields.Datetime.now,
        help="When the transition happened.",
    )
    event = fields.Selection(
        STAGE_HISTORY_EVENTS,
        required=True,
        readonly=True,
        help="Created: the record was created directly in its stage. Stage Change: "
        "moved to another stage. Won: moved to a won stage. Lost: marked as lost "
        "(archived) in its stage. Restored: brought back from lost.",
    )
    changed_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        ondelete="set null",
        help="Who made the transition.",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    imported = fields.Boolean(
        string="Rebuilt at Installation",
        readonly=True,
        help="Rebuilt from Odoo's own stage tracking when crm_360 was installed: "
        "the moment and the stages come from the tracking, the amounts and people "
        "are those of the record at installation.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("stage_history_append"):
            raise UserError(
                self.env._(
                    "The stage history is written by the application when a record "
                    "changes stage; it cannot be entered by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "The stage history is append-only: its entries cannot be edited."
                )
            )
        return super().write(vals)

    def unlink(self):
        if not self.env.is_superuser():
            raise UserError(
                self.env._(
                    "The stage history is append-only: its entries are deleted only "
                    "with their record."
                )
            )
        return super().unlink()
