# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

from .crm_lead_influencer import INFLUENCER_ROLES
from .interval_limits import clamp_days

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
    """Buying influencers (CUTE) on the opportunity: the influencers, their
    coverage score, red flags and influence map, the stage gates and the daily
    coverage refresh."""

    _inherit = "crm.lead"

    influencer_ids = fields.One2many(
        "crm.lead.influencer", "lead_id", string="Buying Influencers"
    )
    influencer_count = fields.Integer(
        compute="_compute_influencer_count", string="Influencers"
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
    cute_flag_text = fields.Text(
        string="Coverage Red Flags", compute="_compute_cute_flag_text"
    )
    cute_map_html = fields.Html(
        string="Influence Map", compute="_compute_cute_map_html", sanitize=False
    )

    @api.depends("influencer_ids")
    def _compute_influencer_count(self):
        for lead in self:
            lead.influencer_count = len(lead.influencer_ids)

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
        leads._apply_cute_stage_gates(archived=True)
        return leads

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

    def _ensure_cute_meeting_link_allowed(self):
        """A meeting may be linked to these opportunities only by a user who may
        change them (the link changes their influencers' contacts and coverage)."""
        if self and not self.env.su:
            self.check_access("write")

    def _apply_cute_stage_gates(self, archived=False):
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

    def _cute_gate_before_write(self, vals):
        """What the stage gates need to know before a write: the archived
        opportunities it restores (restoring enters the stage again, whatever
        stage it was moved to while archived) and, if it may move them, their
        stage and type."""
        reactivated = (
            self.filtered(lambda lead: not lead.active)
            if vals.get("active")
            else self.browse()
        )
        moving = "stage_id" in vals or "type" in vals
        previous = {lead.id: (lead.stage_id, lead.type) for lead in self if moving}
        return reactivated, moving, previous

    def _cute_gate_after_write(self, before):
        """Apply the gates to the opportunities the write restored or moved."""
        reactivated, moving, previous = before
        if moving or reactivated:
            reactivated_ids = set(reactivated.ids)
            moved = self.filtered(
                lambda lead: lead.id in reactivated_ids
                or (moving and previous[lead.id] != (lead.stage_id, lead.type))
            )
            moved._apply_cute_stage_gates()
