# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date


class CrmSalesTarget(models.Model):
    """What a salesperson should win in a month (销售目标), optionally within one
    sales team; the forecast compares won and weighted revenue against it.

    Amounts are in the company's currency, like Odoo's expected and prorated
    revenue of the opportunities they are compared with.
    """

    _name = "crm.sales.target"
    _description = "Sales Target"
    _order = "month desc, user_id, team_id, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        help="Leave empty for a target over all the salesperson's opportunities, "
        "whatever their team.",
    )
    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The month of the target; any day picked is saved as the first day "
        "of its month.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
        readonly=False,
        help="Always the company's currency, the currency of the opportunities' "
        "expected revenue.",
    )
    target_amount = fields.Monetary(
        bounds=(0, 1_000_000_000_000),
        string="Target",
        required=True,
        help="Revenue to win in the month, in the company's currency.",
    )

    _sql_constraints = [
        (
            "target_uniq",
            "UNIQUE (company_id, user_id, team_id, month)",
            "A salesperson has one target per month and sales team.",
        ),
    ]

    @api.depends("company_id.currency_id")
    def _compute_currency_id(self):
        for target in self:
            target.currency_id = target.company_id.currency_id

    @api.depends("user_id", "team_id", "month")
    def _compute_display_name(self):
        for target in self:
            parts = [target.user_id.name or "", target.team_id.name or ""]
            if target.month:
                parts.append(format_date(self.env, target.month, date_format="MMMM y"))
            target.display_name = " · ".join(part for part in parts if part)

    @api.constrains("target_amount")
    def _check_target_amount(self):
        for target in self:
            if target.target_amount <= 0:
                raise ValidationError(
                    self.env._(
                        "The target of %(user)s must be a positive amount.",
                        user=target.user_id.name,
                    )
                )

    @api.constrains("currency_id", "company_id")
    def _check_currency_id(self):
        for target in self:
            if target.currency_id != target.company_id.currency_id:
                raise ValidationError(
                    self.env._(
                        "A sales target is in its company's currency "
                        "(%(company)s: %(currency)s), not in %(wrong)s: opportunities "
                        "are forecast in the company's currency.",
                        company=target.company_id.name,
                        currency=target.company_id.currency_id.name,
                        wrong=target.currency_id.name or "-",
                    )
                )

    @api.constrains("company_id", "user_id", "team_id", "month")
    def _check_one_target_without_team(self):
        # UNIQUE lets several NULL teams through: one target "whatever the team"
        # per salesperson and month is checked here (those with a team, by SQL).
        without_team = self.filtered(lambda target: not target.team_id)
        if not without_team:
            return
        groups = self.sudo()._read_group(
            [
                ("team_id", "=", False),
                ("company_id", "in", without_team.company_id.ids),
                ("user_id", "in", without_team.user_id.ids),
                ("month", "in", without_team.mapped("month")),
            ],
            ["company_id", "user_id", "month:day"],
            having=[("__count", ">", 1)],
            limit=1,
        )
        if groups:
            __, user, month = groups[0]
            raise ValidationError(
                self.env._(
                    "%(user)s already has a target for %(month)s without a sales team.",
                    user=user.name,
                    month=format_date(self.env, month, date_format="MMMM y"),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalise_month(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalise_month(vals)
        return super().write(vals)

    @api.model
    def _normalise_month(self, vals):
        """A target is for a whole month: keep the first day of the month given."""
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
