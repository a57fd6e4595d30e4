# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Shared selections: the coverage score, stage gates, wizards and reports reuse them.
INFLUENCER_ROLES = [
    ("economic", "Economic"),
    ("user", "User"),
    ("technical", "Technical"),
    ("coach", "Coach"),
]
INFLUENCE_DEGREES = [
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
]
ATTITUDES = [
    ("supporter", "Supporter"),
    ("neutral", "Neutral"),
    ("opponent", "Opponent"),
]
RESPONSE_MODES = [
    ("growth", "Growth"),
    ("trouble", "Trouble"),
    ("even_keel", "Even Keel"),
    ("overconfident", "Overconfident"),
]

ROLE_HELP = (
    "Economic: gives the final approval and controls the budget; cares about the "
    "impact on the company and the return on the investment.\n"
    "User: uses or manages the use of what we sell; cares whether the work gets "
    "done, features and ease of use.\n"
    "Technical: screens and recommends; cannot say yes but can say no; cares about "
    "specifications, compatibility and company standards.\n"
    "Coach: guides our sale (in the customer's company, ours or outside both); "
    "cares about how we win and explains the situation and the other influences."
)
RESPONSE_MODE_HELP = (
    "How this person sees the change we propose. Growth: wants more and sees a "
    "gap to close. Trouble: something is wrong and must be fixed. Even keel: sees "
    "no reason to change. Overconfident: believes things are better than they are."
)


class CrmLeadInfluencer(models.Model):
    _name = "crm.lead.influencer"
    _description = "Buying Influencer"
    _order = "lead_id, role_sequence, influence_sequence, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="lead_id.company_id", store=True, index=True, precompute=True
    )
    lead_user_id = fields.Many2one(
        related="lead_id.user_id", string="Salesperson", store=False
    )
    lead_stage_id = fields.Many2one(
        related="lead_id.stage_id", string="Stage", store=False
    )
    lead_partner_id = fields.Many2one(
        related="lead_id.partner_id", string="Customer", store=False
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="restrict",
        help="The person who influences the decision: usually someone of the "
        "customer's company, but a Coach may sit in our company or outside both.",
    )
    partner_function = fields.Char(related="partner_id.function", string="Job Position")
    # No default: a role nobody chose must not score (Economic weighs most).
    role = fields.Selection(INFLUENCER_ROLES, required=True, help=ROLE_HELP)
    role_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    influence = fields.Selection(
        INFLUENCE_DEGREES,
        string="Degree of Influence",
        required=True,
        default="medium",
        help="How much weight this person carries in the decision.",
    )
    influence_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    attitude = fields.Selection(
        ATTITUDES,
        required=True,
        default="neutral",
        help="What this person thinks of us and our offer.",
    )
    response_mode = fields.Selection(RESPONSE_MODES, help=RESPONSE_MODE_HELP)
    personal_win = fields.Text(
        help="What this person wins personally if the deal goes our way "
        "(recognition, less work, a promotion...)."
    )
    concerns = fields.Text(help="What worries this person about us or our offer.")
    met_in_person = fields.Boolean(
        help="Someone of our team has met this person face to face."
    )
    last_contact_date = fields.Date(
        compute="_compute_last_contact_date",
        store=True,
        readonly=False,
        help="Most recent of the date you type and the last done activity, meeting "
        "or message with this contact on this opportunity.",
    )
    manual_contact_date = fields.Date(
        string="Typed Contact Date",
        help="Last contact date typed by a user; kept when more recent than the "
        "activity found in the chatter and calendar.",
    )
    activity_contact_date = fields.Date(
        string="Last Activity Date",
        readonly=True,
        help="Last message, done activity or meeting of this contact on this "
        "opportunity, found in the chatter and the calendar.",
    )

    _sql_constraints = [
        (
            "lead_partner_role_uniq",
            "unique(lead_id, partner_id, role)",
            "This contact already holds this buying role on this opportunity.",
        ),
    ]

    @api.depends("role", "influence")
    def _compute_role_sequence(self):
        roles = [key for key, _label in INFLUENCER_ROLES]
        degrees = [key for key, _label in INFLUENCE_DEGREES]
        for influencer in self:
            influencer.role_sequence = (
                roles.index(influencer.role) if influencer.role else len(roles)
            )
            influencer.influence_sequence = (
                degrees.index(influencer.influence)
                if influencer.influence
                else len(degrees)
            )

    @api.depends("manual_contact_date", "activity_contact_date")
    def _compute_last_contact_date(self):
        for influencer in self:
            dates = [
                d
                for d in (
                    influencer.manual_contact_date,
                    influencer.activity_contact_date,
                )
                if d
            ]
            influencer.last_contact_date = max(dates) if dates else False

    @api.constrains("manual_contact_date")
    def _check_last_contact_date(self):
        today = fields.Date.context_today(self)
        for influencer in self:
            if (
                influencer.manual_contact_date
                and influencer.manual_contact_date > today
            ):
                raise ValidationError(
                    self.env._(
                        "The last contact with %(contact)s cannot be in the future.",
                        contact=influencer.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("partner_id"):
                raise ValidationError(
                    self.env._("Choose the contact who holds the buying role.")
                )
            if not vals.get("lead_id"):
                raise ValidationError(
                    self.env._("A buying influencer belongs to an opportunity.")
                )
            if not vals.get("role"):
                raise ValidationError(
                    self.env._("Choose the buying role this contact holds.")
                )
            self._convert_typed_contact_date(vals)
        influencers = super().create(vals_list)
        influencers._refresh_activity_contact_date()
        return influencers

    def write(self, vals):
        if "partner_id" in vals and not vals["partner_id"]:
            raise ValidationError(
                self.env._("Choose the contact who holds the buying role.")
            )
        if "role" in vals and not vals["role"]:
            raise ValidationError(
                self.env._("Choose the buying role this contact holds.")
            )
        if vals.get("lead_id"):
            # Record rules are checked before a write, not after: moving an
            # influencer needs the right to edit the opportunity it moves to.
            self.env["crm.lead"].browse(vals["lead_id"]).check_access("write")
        self._convert_typed_contact_date(vals)
        res = super().write(vals)
        if {"partner_id", "lead_id"} & set(vals):
            self._refresh_activity_contact_date()
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _convert_typed_contact_date(self, vals):
        """A date typed in "Last Contact" is the user's own date: keep it apart, so
        that the computed field stays the most recent of it and of the activity."""
        if "last_contact_date" in vals:
            vals["manual_contact_date"] = vals.pop("last_contact_date")

    def _refresh_activity_contact_date(self):
        """Recompute ``activity_contact_date`` of these influencers in one query.

        A contact counts as contacted on an opportunity when a message or an
        e-mail of the opportunity's chatter was written by them, addressed to
        them or mentions them; when an activity of the opportunity was marked
        done while they are its contact (or the done activity's message
        mentions them); or when a meeting of the opportunity they attend has
        started.
        """
        if not self.ids:
            return
        self.env["mail.message"].flush_model(
            [
                "model",
                "res_id",
                "author_id",
                "partner_ids",
                "date",
                "message_type",
                "mail_activity_type_id",
            ]
        )
        self.env["calendar.event"].flush_model(
            ["opportunity_id", "partner_ids", "start", "active"]
        )
        self.env["crm.lead"].flush_model(["partner_id"])
        self.flush_recordset(["lead_id", "partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT inf.id,
                   GREATEST(
                       (SELECT max(msg.date)
                          FROM mail_message msg
                         WHERE msg.model = 'crm.lead'
                           AND msg.res_id = inf.lead_id
                           AND (
                               (msg.message_type IN ('comment', 'email')
                                AND msg.author_id = inf.partner_id)
                               OR ((msg.message_type IN ('comment', 'email')
                                    OR msg.mail_activity_type_id IS NOT NULL)
                                   AND EXISTS (
                                       SELECT 1
                                         FROM mail_message_res_partner_rel rel
                                        WHERE rel.mail_message_id = msg.id
                                          AND rel.res_partner_id = inf.partner_id))
                               OR (msg.mail_activity_type_id IS NOT NULL
                                   AND lead.partner_id = inf.partner_id))),
                       (SELECT max(ev.start)
                          FROM calendar_event ev
                          JOIN calendar_event_res_partner_rel evp
                            ON evp.calendar_event_id = ev.id
                         WHERE ev.opportunity_id = inf.lead_id
                           AND evp.res_partner_id = inf.partner_id
                           AND ev.active
                           AND ev.start <= now() AT TIME ZONE 'UTC')
                   )::date
              FROM crm_lead_influencer inf
              JOIN crm_lead lead ON lead.id = inf.lead_id
             WHERE inf.id IN %s
            """,
                tuple(self.ids),
            )
        )
        by_date = defaultdict(list)
        current = {inf.id: inf.activity_contact_date for inf in self}
        for influencer_id, date in rows:
            if current.get(influencer_id) != date:
                by_date[date].append(influencer_id)
        # A figure derived from the meetings and activities in the database,
        # whoever triggered the refresh.
        for date, ids in by_date.items():
            self.sudo().browse(ids).write({"activity_contact_date": date or False})

    @api.model
    def _refresh_for_leads(self, leads, partners=None):
        """Refresh the contact dates of ``leads``' influencers (of ``partners``)."""
        domain = [("lead_id", "in", leads.ids)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        self.sudo().search(domain)._refresh_activity_contact_date()
