# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

from .crm_lead_influencer import INFLUENCER_ROLES
from .crm_stage import AGING_MIN_STAYS
from .interval_limits import MAX_INTERVAL_DAYS, clamp_days
from .stage_history_entry_mixin import STAGE_ENTERING_EVENTS

# Coverage settings: ir.config_parameter key suffix -> default value.
CUTE_SETTINGS = {
    "cute_weight_economic": 30,
    "cute_weight_user": 10,
    "cute_weight_technical": 15,
    "cute_weight_coach": 20,
    "cute_weight_economic_engaged": 15,
    "cute_weight_multi_thread": 10,
    "cute_penalty_opponent": 20,
    "cute_penalty_stale": 15,
    "cute_stale_days": 30,
    "cute_at_risk_below": 50,
}

# Red flags, in display order. The stored field keeps their codes; the labels are
# translated when shown.
CUTE_FLAGS = [
    "no_economic",
    "economic_weak",
    "no_coach",
    "high_opponent",
    "single_thread",
    "stale",
]

# Coverage state: an opportunity nobody assessed yet is not at risk.
CUTE_STATES = [
    ("not_assessed", "Not Assessed"),
    ("at_risk", "At Risk"),
    ("covered", "Covered"),
]


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "stage.history.mixin"]
    _stage_history_model = "crm.lead.stage.history"
    _stage_history_link = "lead_id"

    influencer_ids = fields.One2many(
        "crm.lead.influencer", "lead_id", string="Buying Influencers"
    )
    influencer_count = fields.Integer(
        compute="_compute_influencer_count", string="Influencers"
    )
    competitor_ids = fields.One2many(
        "crm.lead.competitor", "lead_id", string="Competitors"
    )
    competitor_count = fields.Integer(compute="_compute_competitor_count")
    complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_complaint_open_count",
        help="Open complaints of the customer that you can open.",
    )
    stage_aging_state = fields.Selection(
        [("overdue", "Stuck"), ("escalated", "Stuck, Escalated")],
        string="Stage Aging",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Stuck: the deal stayed in its stage longer than the stage allows; its "
        "salesperson got an activity. Escalated: it stayed longer still; the sales "
        "team leader got one too. Cleared when the deal changes stage.",
    )
    stage_aging_activity_ids = fields.Many2many(
        "mail.activity",
        "crm_lead_stage_aging_activity_rel",
        "lead_id",
        "activity_id",
        string="Stage Aging To-Dos",
        readonly=True,
        copy=False,
        help="The To-Dos the daily stage aging check gave for the current stay; "
        "removed when the deal leaves the stage or is won or lost.",
    )
    lost_competitor_id = fields.Many2one(
        "crm.competitor",
        string="Lost to Competitor",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="Who won the deal when we lost it.",
    )
    decisive_factor_id = fields.Many2one(
        "crm.swot.factor",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="What decided (or decides) the outcome of the deal: asked when it is "
        "lost, and worth recording when it is won.",
    )
    cute_customer_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer Company"
    )
    cute_score = fields.Integer(
        string="Coverage Score",
        compute="_compute_cute_coverage",
        store=True,
        aggregator="avg",
        help="0-100: how well the buying influencers (Economic, User, Technical, "
        "Coach) of this opportunity are identified and engaged. Weights: Settings > "
        "CRM > Buying Influencers (CUTE).",
    )
    cute_flags = fields.Char(
        string="Red Flag Codes",
        compute="_compute_cute_coverage",
        store=True,
        help="Technical: comma-separated codes of the coverage red flags.",
    )
    cute_flag_count = fields.Integer(
        string="Red Flags",
        compute="_compute_cute_coverage",
        store=True,
        aggregator="sum",
    )
    cute_at_risk = fields.Boolean(
        string="Coverage at Risk",
        compute="_compute_cute_coverage",
        store=True,
        help="The coverage score is below the at-risk threshold set in Settings "
        "(never for an opportunity without any buying influencer: not assessed).",
    )
    cute_state = fields.Selection(
        CUTE_STATES,
        string="Coverage",
        compute="_compute_cute_coverage",
        store=True,
        index=True,
        help="Not Assessed: no buying influencer is identified yet, so there is no "
        "score and no red flag. At Risk: the coverage score is below the at-risk "
        "threshold set in Settings. Covered: it is not.",
    )
    stage_is_won = fields.Boolean(
        related="stage_id.is_won",
        string="In a Won Stage",
        help="The opportunity is won: coverage and stage aging no longer apply.",
    )
    cute_flag_text = fields.Text(
        string="Coverage Red Flags", compute="_compute_cute_flag_text"
    )
    cute_map_html = fields.Html(
        string="Influence Map", compute="_compute_cute_map_html", sanitize=False
    )

    # --- ERP: what the deal became in sales, stock and accounting -------------------
    ordered_amount = fields.Monetary(
        string="Ordered",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="Untaxed amount of the deal's confirmed sale orders, in the company "
        "currency.",
    )
    delivered_amount = fields.Monetary(
        string="Delivered",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="Untaxed value of the quantities delivered on those orders.",
    )
    invoiced_amount = fields.Monetary(
        string="Invoiced",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="Untaxed amount of the posted invoices of those orders, credit notes "
        "deducted.",
    )
    paid_amount = fields.Monetary(
        string="Paid",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="The invoiced amount in proportion to what the customer has paid of "
        "each invoice (credit notes deducted).",
    )
    erp_delivery_count = fields.Integer(
        string="Deliveries", compute="_compute_erp_documents"
    )
    erp_invoice_count = fields.Integer(
        string="Invoices", compute="_compute_erp_documents"
    )
    overdue_receivable_amount = fields.Monetary(
        string="Overdue Receivables",
        currency_field="company_currency",
        compute="_compute_customer_risk",
        help="What the customer owes and should already have paid, all documents "
        "of the company together.",
    )
    credit_limit_amount = fields.Monetary(
        string="Credit Limit",
        currency_field="company_currency",
        compute="_compute_customer_risk",
    )
    credit_used_percent = fields.Float(
        string="Credit Used (%)",
        compute="_compute_customer_risk",
        help="The customer's total receivable as a percentage of its credit limit.",
    )
    stock_shortage_html = fields.Html(
        string="Stock for Quotations",
        compute="_compute_stock_shortage",
        sanitize=False,
    )
    stock_short = fields.Boolean(
        compute="_compute_stock_shortage",
        help="A product quoted on this deal is not available in the quantity quoted.",
    )

    @api.depends("influencer_ids")
    def _compute_influencer_count(self):
        for lead in self:
            lead.influencer_count = len(lead.influencer_ids)

    @api.depends("competitor_ids")
    def _compute_competitor_count(self):
        for lead in self:
            lead.competitor_count = len(lead.competitor_ids)

    @api.depends("partner_id.commercial_partner_id")
    @api.depends_context("uid")
    def _compute_complaint_open_count(self):
        counts = self.env["helpdesk.ticket"]._complaint_open_counts(
            self.partner_id.commercial_partner_id
        )
        for lead in self:
            lead.complaint_open_count = counts.get(
                lead.partner_id.commercial_partner_id, 0
            )

    @api.constrains("partner_id")
    def _check_competitors_not_the_customer(self):
        self.competitor_ids._check_not_the_customer()

    @api.depends(
        "influencer_ids",
        "influencer_ids.role",
        "influencer_ids.partner_id",
        "influencer_ids.influence",
        "influencer_ids.attitude",
        "influencer_ids.met_in_person",
        "influencer_ids.last_contact_date",
    )
    def _compute_cute_coverage(self):
        settings = self._get_cute_settings()
        today = fields.Date.context_today(self)
        stale_limit = today - timedelta(days=clamp_days(settings["cute_stale_days"]))
        for lead in self:
            if not lead._cute_assessed_influencers():
                # Nobody assessed yet: no score, no flag, not at risk.
                lead.cute_score = 0
                lead.cute_flags = False
                lead.cute_flag_count = 0
                lead.cute_at_risk = False
                lead.cute_state = "not_assessed"
                continue
            score, flags = lead._cute_score_and_flags(settings, today, stale_limit)
            lead.cute_score = score
            lead.cute_flags = ",".join(flags) or False
            lead.cute_flag_count = len(flags)
            lead.cute_at_risk = score < settings["cute_at_risk_below"]
            lead.cute_state = "at_risk" if lead.cute_at_risk else "covered"

    @api.depends("cute_flags")
    def _compute_cute_flag_text(self):
        labels = self._get_cute_flag_labels()
        for lead in self:
            codes = (lead.cute_flags or "").split(",")
            lead.cute_flag_text = (
                "\n".join(labels[code] for code in CUTE_FLAGS if code in codes) or False
            )

    @api.depends(
        "influencer_ids.role",
        "influencer_ids.partner_id",
        "influencer_ids.influence",
        "influencer_ids.attitude",
    )
    def _compute_cute_map_html(self):
        Influencer = self.env["crm.lead.influencer"]
        role_labels = dict(Influencer._fields["role"]._description_selection(self.env))
        degrees = dict(Influencer._fields["influence"]._description_selection(self.env))
        attitudes = dict(
            Influencer._fields["attitude"]._description_selection(self.env)
        )
        colours = {
            "supporter": "text-bg-success",
            "neutral": "text-bg-warning",
            "opponent": "text-bg-danger",
        }
        for lead in self:
            columns = []
            for role, _label in INFLUENCER_ROLES:
                people = lead.influencer_ids.filtered(lambda i, r=role: i.role == r)
                badges = Markup("").join(
                    Markup(
                        '<div class="badge %s d-block text-wrap text-start mb-1 p-2" '
                        'title="%s">%s<br/><small>%s · %s</small></div>'
                    )
                    % (
                        colours.get(person.attitude, "text-bg-light"),
                        attitudes.get(person.attitude, ""),
                        person.partner_id.name or "",
                        degrees.get(person.influence, ""),
                        attitudes.get(person.attitude, ""),
                    )
                    for person in people.sorted(lambda i: i.influence_sequence)
                ) or Markup('<div class="text-muted small">%s</div>') % self.env._(
                    "Not identified"
                )
                columns.append(
                    Markup(
                        '<div class="col-6 col-lg-3 o_cute_map_role" data-role="%s">'
                        '<h5 class="border-bottom pb-1">%s</h5>%s</div>'
                    )
                    % (role, role_labels[role], badges)
                )
            lead.cute_map_html = Markup('<div class="row o_cute_map">%s</div>') % (
                Markup("").join(columns)
            )

    def _auto_init(self):
        """Fill the coverage columns in one UPDATE when the module is installed.

        Existing leads have no influencer yet, so their coverage is known without
        computing it record by record (which takes long on a big pipeline): not
        assessed. The coverage state added later is derived from the stored
        coverage in SQL too.
        """
        cr = self.env.cr
        if not column_exists(cr, "crm_lead", "cute_score"):
            create_column(cr, "crm_lead", "cute_score", "int4")
            create_column(cr, "crm_lead", "cute_flags", "varchar")
            create_column(cr, "crm_lead", "cute_flag_count", "int4")
            create_column(cr, "crm_lead", "cute_at_risk", "bool")
            create_column(cr, "crm_lead", "cute_state", "varchar")
            cr.execute(
                "UPDATE crm_lead SET cute_score = 0, cute_flags = NULL, "
                "cute_flag_count = 0, cute_at_risk = FALSE, "
                "cute_state = 'not_assessed'"
            )
        elif not column_exists(cr, "crm_lead", "cute_state"):
            create_column(cr, "crm_lead", "cute_state", "varchar")
            assessed = (
                SQL(
                    "EXISTS (SELECT 1 FROM crm_lead_influencer inf "
                    "WHERE inf.lead_id = crm_lead.id)"
                )
                if table_exists(cr, "crm_lead_influencer")
                else SQL("FALSE")
            )
            cr.execute(
                SQL(
                    "UPDATE crm_lead SET cute_state = CASE WHEN %s "
                    "THEN CASE WHEN cute_at_risk THEN 'at_risk' ELSE 'covered' END "
                    "ELSE 'not_assessed' END",
                    assessed,
                )
            )
            cr.execute(
                "UPDATE crm_lead SET cute_score = 0, cute_flags = NULL, "
                "cute_flag_count = 0, cute_at_risk = FALSE "
                "WHERE cute_state = 'not_assessed'"
            )
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # An archived opportunity created in a gated stage would pass the gate
        # when restored: the blocking gates apply to it at creation too.
        leads._check_cute_stage_gates(archived=True)
        return leads

    def write(self, vals):
        restored = self.browse()
        if vals.get("active") and "lost_competitor_id" not in vals:
            # A restored deal is no longer lost to anyone (as Odoo clears the lost
            # reason); the statuses of its competitors follow.
            restored = self.filtered(
                lambda lead: not lead.active
                and (lead.lost_competitor_id or lead.decisive_factor_id)
            )
        # Restoring an archived opportunity enters its stage again: the gate
        # applies, whatever stage it was moved to while archived.
        reactivated = (
            self.filtered(lambda lead: not lead.active)
            if vals.get("active")
            else self.browse()
        )
        moving = "stage_id" in vals or "type" in vals
        previous = {lead.id: (lead.stage_id, lead.type) for lead in self if moving}
        leaving = "stage_id" in vals or "active" in vals
        stays = {lead.id: (lead.stage_id, lead.active) for lead in self if leaving}
        res = super().write(vals)
        if leaving:
            self.filtered(
                lambda lead: stays[lead.id] != (lead.stage_id, lead.active)
            )._stage_aging_close()
        if restored:
            restored.write({"lost_competitor_id": False, "decisive_factor_id": False})
        if moving or reactivated:
            reactivated_ids = set(reactivated.ids)
            moved = self.filtered(
                lambda lead: lead.id in reactivated_ids
                or (moving and previous[lead.id] != (lead.stage_id, lead.type))
            )
            moved._check_cute_stage_gates()
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            message.message_type in ("comment", "email")
            or message.mail_activity_type_id
        ):
            partners = message.author_id | message.partner_ids
            if message.mail_activity_type_id:
                partners |= self.partner_id
            if partners:
                self.env["crm.lead.influencer"]._refresh_for_leads(self, partners)
        return res

    # ------------------------------------------------------------------
    # Stage history (stage.history.mixin)
    # ------------------------------------------------------------------

    def _stage_history_event(self, old_stage, new_stage):
        return "won" if new_stage.is_won else "stage"

    def _stage_history_entered_values(self):
        return {"stage_aging_state": False}

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

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action_for(
            self.partner_id.commercial_partner_id
        )

    def action_view_swot_matrix(self):
        """The SWOT matrix of this deal."""
        return self._action_view_swot_matrix()

    def _action_view_swot_matrix(self, competitor=None):
        """The SWOT matrix of this deal (of one of its competitors, a
        ``crm.competitor`` record)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.crm_swot_item_action"
        )
        domain = [("lead_id", "=", self.id)]
        context = {"search_default_group_quadrant": 1}
        if competitor:
            domain.append(("competitor_id", "=", competitor.id))
            line = self.competitor_ids.filtered(lambda c: c.competitor_id == competitor)
            context["default_lead_competitor_id"] = line[:1].id
            context["default_competitor_id"] = competitor.id
        action.update(
            name=self.env._("SWOT Matrix: %(deal)s", deal=self.name),
            domain=domain,
            context=context,
        )
        return action

    def action_open_influencer_memory(self):
        self.ensure_one()
        wizard = self.env["crm.lead.influencer.memory"].create({"lead_id": self.id})
        if not wizard.line_ids:
            raise UserError(
                self.env._(
                    "No earlier opportunity of %(customer)s that you can open has "
                    "buying influencers to propose.",
                    customer=self.partner_id.commercial_partner_id.display_name
                    or self.env._("this customer"),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Influencers from earlier opportunities"),
            "res_model": "crm.lead.influencer.memory",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _get_cute_settings(self):
        """The coverage settings, each within the bounds of its settings field
        whatever the stored parameter says (a system parameter can be typed)."""
        get_param = self.env["ir.config_parameter"].sudo().get_param
        settings_fields = self.env["res.config.settings"]._fields
        settings = {}
        for key, default in CUTE_SETTINGS.items():
            try:
                value = int(get_param(f"crm_360.{key}", default))
            except (TypeError, ValueError):
                value = default
            minimum, maximum = settings_fields[key].bounds
            settings[key] = min(max(value, minimum), maximum)
        return settings

    @api.model
    def _get_cute_flag_labels(self):
        return {
            "no_economic": self.env._("No Economic influence identified"),
            "economic_weak": self.env._(
                "Economic influence not met in person or not a supporter"
            ),
            "no_coach": self.env._("No Coach"),
            "high_opponent": self.env._("A high-influence opponent"),
            "single_thread": self.env._("Single-threaded: only one influencer"),
            "stale": self.env._(
                "No contact with any influencer for more than %(days)s days",
                days=self._get_cute_settings()["cute_stale_days"],
            ),
        }

    def _cute_score_and_flags(self, settings, today, stale_limit):
        """Coverage score (0-100) and red-flag codes of one opportunity.

        score = 100 x (sum of the weights of the criteria met) / (sum of all
        weights) - penalties, bounded to 0..100. Criteria: each role identified,
        an Economic influence met in person and supporter, two people or more.
        Penalties: a high-influence opponent; no contact for too long.
        """
        self.ensure_one()
        influencers = self._cute_assessed_influencers()
        roles = set(influencers.mapped("role"))
        economic = influencers.filtered(lambda i: i.role == "economic")
        engaged = economic.filtered(
            lambda i: i.met_in_person and i.attitude == "supporter"
        )
        people = influencers.mapped("partner_id")
        opponent = influencers.filtered(
            lambda i: i.influence == "high" and i.attitude == "opponent"
        )
        touches = [
            i.last_contact_date
            or (i.create_date and fields.Date.to_date(i.create_date))
            or today
            for i in influencers
        ]
        stale = bool(touches) and max(touches) < stale_limit

        met = {
            "cute_weight_economic": "economic" in roles,
            "cute_weight_user": "user" in roles,
            "cute_weight_technical": "technical" in roles,
            "cute_weight_coach": "coach" in roles,
            "cute_weight_economic_engaged": bool(engaged),
            "cute_weight_multi_thread": len(people) >= 2,
        }
        total = sum(settings[key] for key in met)
        gained = sum(settings[key] for key, ok in met.items() if ok)
        score = round(100 * gained / total) if total else 0
        if opponent:
            score -= settings["cute_penalty_opponent"]
        if stale:
            score -= settings["cute_penalty_stale"]
        score = min(max(score, 0), 100)

        flags = []
        if not economic:
            flags.append("no_economic")
        elif not engaged:
            flags.append("economic_weak")
        if "coach" not in roles:
            flags.append("no_coach")
        if opponent:
            flags.append("high_opponent")
        if len(people) == 1:
            flags.append("single_thread")
        if stale:
            flags.append("stale")
        return score, flags

    def _cute_assessed_influencers(self):
        """The influencer lines that count: a contact with a chosen role (a line
        half-filled in the form counts for nothing)."""
        self.ensure_one()
        return self.influencer_ids.filtered(lambda i: i.role and i.partner_id)

    def _cute_missing_roles(self, stage):
        """Role keys ``stage`` requires that this opportunity has not identified."""
        self.ensure_one()
        present = set(self.influencer_ids.mapped("role"))
        return [role for role in stage._get_cute_gate_roles() if role not in present]

    def _check_cute_meeting_link(self):
        """A meeting may be linked to these opportunities only by a user who may
        change them (the link changes their influencers' contacts and coverage)."""
        if self and not self.env.su:
            self.check_access("write")

    def _check_cute_stage_gates(self, archived=False):
        """Apply the stage gates of the stage each opportunity has just entered.

        Won stages are never gated, nor are archived (lost) opportunities unless
        ``archived`` (at creation: they are checked again when restored, but one
        created archived in a gated stage must not get there by a restore).
        Blocking gates raise for the whole batch, naming every opportunity and
        its missing roles; warning gates post a note and give the team leader an
        activity (active opportunities only).
        """
        gated = self.filtered(
            lambda lead: lead.type == "opportunity"
            and (lead.active or (archived and lead.stage_id.cute_gate_mode == "block"))
            and lead.stage_id.cute_gate_mode
            and not lead.stage_id.is_won
        )
        if not gated:
            return
        role_labels = dict(
            self.env["crm.lead.influencer"]
            ._fields["role"]
            ._description_selection(self.env)
        )
        blocked = []
        warned = []
        for lead in gated:
            missing = lead._cute_missing_roles(lead.stage_id)
            if not missing:
                continue
            names = ", ".join(role_labels[role] for role in missing)
            if lead.stage_id.cute_gate_mode == "block":
                blocked.append((lead, names))
            else:
                warned.append((lead, names))
        if blocked:
            raise UserError(
                "\n".join(
                    self.env._(
                        "%(opportunity)s cannot enter the stage %(stage)s: identify "
                        "its %(roles)s buying influence first (CUTE tab).",
                        opportunity=lead.display_name,
                        stage=lead.stage_id.display_name,
                        roles=names,
                    )
                    for lead, names in blocked
                )
            )
        if warned:
            # The note and the activity are not on screen: tell the user now.
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "title": self.env._("Buying influence missing"),
                    "message": "\n".join(
                        self.env._(
                            "%(opportunity)s entered the stage %(stage)s without its "
                            "%(roles)s buying influence; the sales team leader got "
                            "an activity.",
                            opportunity=lead.display_name,
                            stage=lead.stage_id.display_name,
                            roles=names,
                        )
                        for lead, names in warned
                    ),
                },
            )
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for lead, names in warned:
            message = self.env._(
                "Entered the stage %(stage)s without its required buying influence: "
                "%(roles)s.",
                stage=lead.stage_id.display_name,
                roles=names,
            )
            lead.message_post(body=escape(message), subtype_xmlid="mail.mt_note")
            leader = lead.team_id.user_id or lead.user_id or self.env.user
            lead.activity_schedule(
                activity_type_id=todo.id if todo else False,
                summary=self.env._("Missing buying influence: %(roles)s", roles=names),
                note=escape(message),
                user_id=leader.id,
            )

    @api.model
    def _cron_check_stage_aging(self):
        """Flag the open deals stuck in their stage (daily, idempotent).

        A deal past its stage's limit (its team's own limit for that stage, if the
        team has one) becomes "Stuck" and its salesperson (else the
        team leader) gets a To-Do; past the escalation days too it becomes
        "Escalated" and the team leader gets one. Each step happens once per stay:
        the state is cleared when the deal changes stage.
        """
        self._refresh_stage_aging_learned()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT lead.id,
                       CASE WHEN lim.escalation_days > 0
                             AND lead.stage_entered_date <= %(now)s
                                 - MAKE_INTERVAL(days => lim.escalation_days)
                                 - MAKE_INTERVAL(secs => lim.days * 86400)
                            THEN 'escalated' ELSE 'overdue' END
                  FROM crm_lead lead
                  JOIN crm_stage stage ON stage.id = lead.stage_id
             LEFT JOIN crm_stage_aging_limit team_limit
                    ON team_limit.team_id = lead.team_id
                   AND team_limit.stage_id = stage.id
                 CROSS JOIN LATERAL (
                       -- Any stored limit is read at most MAX_INTERVAL_DAYS:
                       -- no interval or timestamp out of range.
                       SELECT LEAST(CASE WHEN team_limit.id IS NOT NULL
                                   THEN team_limit.aging_days::float
                                   WHEN stage.aging_mode = 'fixed'
                                   THEN stage.aging_days::float
                                   WHEN stage.aging_mode = 'learned'
                                   THEN stage.aging_learned_days
                              END, %(max_days)s) AS days,
                              LEAST(CASE WHEN team_limit.id IS NOT NULL
                                   THEN COALESCE(team_limit.aging_escalation_days, 0)
                                   ELSE COALESCE(stage.aging_escalation_days, 0)
                              END, %(max_days)s) AS escalation_days) lim
                 WHERE lead.active AND lead.type = 'opportunity'
                   AND stage.is_won IS NOT TRUE AND lim.days > 0
                   AND lead.stage_entered_date
                       <= %(now)s - MAKE_INTERVAL(secs => lim.days * 86400)
                """,
                now=fields.Datetime.now(),
                max_days=MAX_INTERVAL_DAYS,
            )
        )
        stuck = dict(self.env.cr.fetchall())
        leads = self.browse(list(stuck)) | self.search(
            [("stage_aging_state", "!=", False), ("id", "not in", list(stuck))]
        )
        by_state = defaultdict(lambda: self.browse())
        activities = []
        for lead in leads:
            old, new = lead.stage_aging_state, stuck.get(lead.id, False)
            if old == new or (old == "escalated" and new == "overdue"):
                continue
            by_state[new] |= lead
            if new and not old:
                activities += lead._stage_aging_activity_vals("overdue")
            if new == "escalated":
                activities += lead._stage_aging_activity_vals("escalated")
        for state, state_leads in by_state.items():
            state_leads.write({"stage_aging_state": state})
        if activities:
            created = self.env["mail.activity"].sudo().create(activities)
            # Remembered, to be removed when the deal moves on: one INSERT.
            self.env.cr.execute(
                SQL(
                    "INSERT INTO crm_lead_stage_aging_activity_rel "
                    "(lead_id, activity_id) VALUES %s ON CONFLICT DO NOTHING",
                    SQL(", ").join(
                        SQL("(%s, %s)", activity.res_id, activity.id)
                        for activity in created
                    ),
                )
            )
            self.browse(set(created.mapped("res_id"))).invalidate_recordset(
                ["stage_aging_activity_ids"]
            )
        self.env["ir.cron"]._notify_progress(done=len(leads), remaining=0)

    def _stage_aging_close(self):
        """These deals left their stage (or were won or lost): the aging To-Dos of
        the stay are moot, and a closed deal is never stuck."""
        if not self:
            return
        # Our own activities, whoever they were given to (one query).
        self.sudo().stage_aging_activity_ids.unlink()
        closed = self.filtered(
            lambda lead: lead.stage_aging_state
            and (not lead.active or lead.stage_id.is_won)
        )
        if closed:
            # A state the application keeps: written whatever the user's rights.
            closed.sudo().write({"stage_aging_state": False})

    def _refresh_stage_aging_learned(self):
        """Learned limits: 75th percentile of each stage's finished stays."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH stays AS (
                    SELECT hist.stage_to_id AS stage_id,
                           EXTRACT(EPOCH FROM (LEAD(hist.date) OVER w - hist.date))
                               / 86400.0 AS days,
                           hist.event
                      FROM crm_lead_stage_history hist
                    WINDOW w AS (PARTITION BY hist.lead_id ORDER BY hist.date, hist.id)
                ),
                learned AS (
                    SELECT stage_id,
                           CASE WHEN COUNT(days) >= %(min_stays)s
                                THEN PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY days)
                                ELSE 0 END AS days
                      FROM stays
                     WHERE event IN %(entering)s AND days IS NOT NULL
                  GROUP BY stage_id
                )
                UPDATE crm_stage stage
                   SET aging_learned_days = COALESCE(learned.days, 0)
                  FROM crm_stage target
             LEFT JOIN learned ON learned.stage_id = target.id
                 WHERE stage.id = target.id
                   AND stage.aging_learned_days
                       IS DISTINCT FROM COALESCE(learned.days, 0)
             RETURNING stage.id
                """,
                min_stays=AGING_MIN_STAYS,
                entering=STAGE_ENTERING_EVENTS,
            )
        )
        stage_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["crm.stage"].browse(stage_ids).invalidate_recordset(
            ["aging_learned_days"]
        )

    def _stage_aging_activity_vals(self, state):
        """To-Do values for a stuck deal: its salesperson's, or (escalated, or
        without salesperson) its team leader's."""
        self.ensure_one()
        leader = self.team_id.user_id
        user = self.user_id if state == "overdue" and self.user_id else leader
        if not user:
            return []
        lang_env = self.with_context(lang=user.lang).env
        days = self.stage_age_days
        if state == "overdue":
            summary = lang_env._(
                "Stuck for %(days)s days in %(stage)s",
                days=days,
                stage=self.stage_id.with_env(lang_env).name,
            )
        else:
            summary = lang_env._(
                "Escalated: stuck for %(days)s days in %(stage)s",
                days=days,
                stage=self.stage_id.with_env(lang_env).name,
            )
        return [
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": self.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": summary,
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(self),
            }
        ]

    def _cron_refresh_cute_coverage(self):
        """Daily: refresh contact dates and coverage of open opportunities.

        "No contact for N days" depends on today, so stored scores age; this
        recomputes them once a day for the opportunities still in play.
        """
        leads = self.search(
            [("type", "=", "opportunity"), ("stage_id.is_won", "=", False)]
        )
        influencers = self.env["crm.lead.influencer"].search(
            [("lead_id", "in", leads.ids)]
        )
        influencers._refresh_activity_contact_date()
        leads._recompute_cute_coverage()

    def _recompute_cute_coverage(self):
        """Mark the stored coverage of these leads for recomputation and store it."""
        fnames = [
            "cute_score",
            "cute_flags",
            "cute_flag_count",
            "cute_at_risk",
            "cute_state",
        ]
        for fname in fnames:
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(fnames)

    # --- ERP --------------------------------------------------------------------------
    @api.depends_context("uid", "company")
    def _compute_erp_amounts(self):
        self.ordered_amount = self.delivered_amount = 0.0
        self.invoiced_amount = self.paid_amount = 0.0
        leads = self.filtered("id")
        if not leads or not self.env.user._has_group("sales_team.group_sale_salesman"):
            return
        # The orders the user may open, through sale.order's own rules.
        orders = self.env["sale.order"]._search(
            [("opportunity_id", "in", leads.ids), ("state", "=", "sale")]
        )
        query = self.env["sale.order"]._erp_amounts_query(
            SQL("so.id IN %s", orders.subselect()), fields.Date.context_today(self)
        )
        self.env.cr.execute(
            SQL(
                """SELECT opportunity_id, SUM(ordered), SUM(delivered),
                          SUM(invoiced), SUM(paid)
                     FROM (%s) amounts GROUP BY opportunity_id""",
                query,
            )
        )
        for lead_id, ordered, delivered, invoiced, paid in self.env.cr.fetchall():
            lead = self.browse(lead_id)
            lead.ordered_amount = ordered
            lead.delivered_amount = delivered
            lead.invoiced_amount = invoiced
            lead.paid_amount = paid

    @api.depends_context("uid")
    def _compute_erp_documents(self):
        self.erp_delivery_count = self.erp_invoice_count = 0
        if not self.filtered("id") or not self.env.user._has_group(
            "sales_team.group_sale_salesman"
        ):
            return
        for lead in self.filtered("id"):
            lead.erp_delivery_count = len(lead._erp_deliveries())
            lead.erp_invoice_count = len(lead._erp_invoices())

    def _erp_orders(self):
        return self.env["sale.order"].search(
            [("opportunity_id", "in", self.ids), ("state", "=", "sale")]
        )

    def _erp_deliveries(self):
        return self.env["stock.picking"].search(
            [("sale_id", "in", self._erp_orders().ids)]
        )

    def _erp_invoices(self):
        return self.env["account.move"].search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("line_ids.sale_line_ids.order_id", "in", self._erp_orders().ids),
                ("state", "!=", "cancel"),
            ]
        )

    def _erp_document_action(self, xmlid, records, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["name"] = name
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {"create": False}
        if len(records) == 1:
            action["view_mode"] = "form"
            action["views"] = [
                (view_id, mode) for view_id, mode in action["views"] if mode == "form"
            ] or [(False, "form")]
            action["res_id"] = records.id
        return action

    def action_view_erp_deliveries(self):
        return self._erp_document_action(
            "stock.action_picking_tree_all",
            self._erp_deliveries(),
            self.env._("Deliveries of %(deal)s", deal=self.name),
        )

    def action_view_erp_invoices(self):
        return self._erp_document_action(
            "account.action_move_out_invoice_type",
            self._erp_invoices(),
            self.env._("Invoices of %(deal)s", deal=self.name),
        )

    @api.depends("partner_id.commercial_partner_id", "company_id")
    @api.depends_context("company")
    def _compute_customer_risk(self):
        self.overdue_receivable_amount = self.credit_limit_amount = 0.0
        self.credit_used_percent = 0.0
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return
        today = fields.Date.context_today(self)
        # Finance figures shown as a warning, like Odoo's own credit warning on
        # quotations: read as superuser, for the deal's customer only.
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, aml.company_id,
                          SUM(aml.amount_residual)
                     FROM account_move_line aml
                     JOIN res_partner p ON p.id = aml.partner_id
                     JOIN account_account acc ON acc.id = aml.account_id
                    WHERE p.commercial_partner_id IN %(customers)s
                      AND acc.account_type = 'asset_receivable'
                      AND aml.parent_state = 'posted'
                      AND NOT aml.reconciled
                      AND aml.date_maturity < %(today)s
                    GROUP BY 1, 2""",
                customers=tuple(customers.ids),
                today=today,
            )
        )
        overdue = {(row[0], row[1]): row[2] for row in self.env.cr.fetchall()}
        for lead in self:
            customer = lead.partner_id.commercial_partner_id
            company = lead.company_id or self.env.company
            if not customer:
                continue
            lead.overdue_receivable_amount = overdue.get((customer.id, company.id), 0.0)
            partner = customer.with_company(company).sudo()
            if company.account_use_credit_limit and partner.credit_limit > 0:
                lead.credit_limit_amount = partner.credit_limit
                lead.credit_used_percent = 100.0 * partner.credit / partner.credit_limit

    @api.depends("order_ids.state", "order_ids.order_line.product_uom_qty")
    def _compute_stock_shortage(self):
        self.stock_shortage_html = False
        self.stock_short = False
        if not self.env.user._has_group("sales_team.group_sale_salesman"):
            return
        for lead in self.filtered("id"):
            quoted = defaultdict(float)
            quotations = lead.order_ids.filtered(lambda o: o.state in ("draft", "sent"))
            for line in quotations.order_line:
                product = line.product_id
                if not product.is_storable or line.display_type:
                    continue
                qty = line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
                quoted[product, line.order_id.warehouse_id] += qty
            if not quoted:
                continue
            rows = []
            for (product, warehouse), qty in sorted(
                quoted.items(), key=lambda item: item[0][0].display_name
            ):
                free = product.with_context(warehouse_id=warehouse.id).free_qty
                short = free < qty
                lead.stock_short = lead.stock_short or short
                rows.append(
                    Markup(
                        "<tr class='%s'><td>%s</td><td class='text-end'>%s</td>"
                        "<td class='text-end'>%s</td><td>%s</td></tr>"
                    )
                    % (
                        "text-danger" if short else "",
                        product.display_name,
                        f"{qty:g}",
                        f"{free:g}",
                        product.uom_id.name,
                    )
                )
            lead.stock_shortage_html = Markup(
                "<table class='table table-sm o_crm360_stock_shortage'><thead><tr>"
                "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Product"),
                self.env._("Quoted"),
                self.env._("Available"),
                self.env._("Unit"),
                Markup("").join(rows),
            )

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
