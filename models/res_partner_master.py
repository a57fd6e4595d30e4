# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer master of res.partner: customer type, assessment, the two reviews
and the duplicate warning."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, create_index

from .base import is_trusted, system_write

CUSTOMER_TYPES = [
    ("old_customer", "Existing Customer"),
    ("target", "Target"),
    ("potential", "Potential"),
    ("partner", "Partner"),
    ("blacklist", "Blacklisted"),
    ("competitor", "Competitor"),
]
CUSTOMER_ASSESSMENTS = [
    ("potential", "Potential"),
    ("customer", "Customer"),
    ("key_customer", "Key Customer"),
    ("lost", "Lost Customer"),
]
# Written only through the review buttons, by customer reviewers.
CUSTOMER_REVIEW_FIELDS = (
    "first_review_done",
    "first_reviewer_id",
    "first_review_date",
    "second_review_done",
    "second_reviewer_id",
    "second_review_date",
)
# Fields a duplicate is detected on; creating or changing them re-checks.
DUPLICATE_CHECK_FIELDS = ("name", "phone", "mobile", "email", "vat")


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_type = fields.Selection(
        CUSTOMER_TYPES,
        tracking=True,
        help="What this company or person is to us. Contacts of a company take "
        "their company's type.",
    )
    customer_assessment = fields.Selection(
        CUSTOMER_ASSESSMENTS,
        tracking=True,
        help="How valuable this customer is. The customer analytics keep it equal "
        "to the suggestion until someone sets it by hand.",
    )
    customer_assessment_suggested = fields.Selection(
        CUSTOMER_ASSESSMENTS,
        string="Suggested Assessment",
        readonly=True,
        copy=False,
        # Derived from the value tier: a sales figure.
        groups="sales_team.group_sale_salesman",
        help="Assessment the customer analytics compute from the purchase history.",
    )
    customer_assessment_manual = fields.Boolean(
        string="Assessment Set by Hand",
        copy=False,
        help="Set when someone changes the assessment: the analytics then no longer "
        'overwrite it. "Use Suggestion" clears it.',
    )
    first_review_done = fields.Boolean(readonly=True, copy=False, tracking=True)
    first_reviewer_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    first_review_date = fields.Datetime(readonly=True, copy=False)
    second_review_done = fields.Boolean(readonly=True, copy=False, tracking=True)
    second_reviewer_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    second_review_date = fields.Datetime(readonly=True, copy=False)
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        string="Possible Duplicates",
        compute="_compute_duplicate_partner_ids",
        help="Other partners you can see with the same name (companies and people "
        "without a company), phone or mobile, e-mail or tax ID.",
    )
    duplicate_match_info = fields.Text(
        string="Duplicate Matches",
        compute="_compute_duplicate_partner_ids",
        help="Each possible duplicate and what matched.",
    )
    duplicate_override_reason = fields.Char(
        string="Reason to Keep Anyway",
        tracking=True,
        copy=False,
        help="Why this partner is kept although it looks like a duplicate. Needed to "
        "save a partner that matches another one.",
    )
    duplicate_override_user_id = fields.Many2one(
        "res.users", string="Duplicate Allowed By", readonly=True, copy=False
    )
    duplicate_override_date = fields.Datetime(
        string="Duplicate Allowed On", readonly=True, copy=False
    )

    @api.depends(
        "name", "phone", "mobile", "email", "vat", "parent_id", "commercial_partner_id"
    )
    @api.depends_context("uid")
    def _compute_duplicate_partner_ids(self):
        matches = self._find_duplicate_partners()
        for partner, found in zip(self, matches, strict=True):
            partner.duplicate_partner_ids = [(6, 0, [d.id for d in found])]
            partner.duplicate_match_info = "\n".join(
                self._duplicate_match_line(duplicate, kinds)
                for duplicate, kinds in found.items()
            )

    @api.constrains(
        "first_review_done",
        "first_reviewer_id",
        "second_review_done",
        "second_reviewer_id",
    )
    def _check_customer_reviews(self):
        for partner in self:
            if partner.first_review_done and not partner.first_reviewer_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: a first review needs its reviewer.",
                        partner=partner.display_name,
                    )
                )
            if not partner.second_review_done:
                continue
            if not partner.second_reviewer_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: a second review needs its reviewer.",
                        partner=partner.display_name,
                    )
                )
            if not partner.first_review_done:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the second review needs a first review.",
                        partner=partner.display_name,
                    )
                )
            if partner.second_reviewer_id == partner.first_reviewer_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the second review must be done by someone "
                        "else than the first reviewer (%(user)s).",
                        partner=partner.display_name,
                        user=partner.first_reviewer_id.name,
                    )
                )

    def _auto_init(self):
        res = super()._auto_init()
        cr = self.env.cr
        # The duplicate check looks partners up by these normalised keys.
        create_index(
            cr,
            "res_partner_crm360_name_key_index",
            "res_partner",
            [self._duplicate_key_sql("name", SQL.identifier("name")).code],
            where="parent_id IS NULL",
        )
        for column in ("phone", "mobile"):
            create_index(
                cr,
                f"res_partner_crm360_{column}_key_index",
                "res_partner",
                [
                    SQL(
                        "right(%s, 8)",
                        self._duplicate_key_sql("phone", SQL.identifier(column)),
                    ).code
                ],
                where=f"{column} IS NOT NULL",
            )
        for column in ("email", "vat"):
            create_index(
                cr,
                f"res_partner_crm360_{column}_key_index",
                "res_partner",
                [self._duplicate_key_sql(column, SQL.identifier(column)).code],
                where=f"{column} IS NOT NULL",
            )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # The override's author and date are ours to set: check what the user
        # typed, then set them.
        self._crm360_check_typed(vals_list)
        vals_list = [
            self._prepare_customer_master_vals(vals, True) for vals in vals_list
        ]
        with system_write():
            if not self.env.context.get("crm360_check_duplicates"):
                return super().create(vals_list)
            # Only the partners saved from the form are checked, not the ones other
            # code creates on the way (contacts added in the company's Contacts tab).
            partners = super(
                ResPartner, self.with_context(crm360_check_duplicates=False)
            ).create(vals_list)
            partners = partners.with_env(self.env)
            if self._duplicate_check_enabled():
                partners._refuse_duplicate_partners()
            return partners

    def write(self, vals):
        self._crm360_check_typed([vals], creating=False)
        vals = self._prepare_customer_master_vals(vals, False)
        with system_write():
            if not self.env.context.get("crm360_check_duplicates"):
                return super().write(vals)
            checked = [fname for fname in DUPLICATE_CHECK_FIELDS if fname in vals]
            before = {}
            if checked and self._duplicate_check_enabled():
                before = {partner: [partner[f] for f in checked] for partner in self}
            res = super(
                ResPartner, self.with_context(crm360_check_duplicates=False)
            ).write(vals)
            changed = self.browse(
                [
                    partner.id
                    for partner, values in before.items()
                    if values != [partner[f] for f in checked]
                ]
            )
            changed._refuse_duplicate_partners(checked)
            return res

    def action_use_suggested_assessment(self):
        for suggestion in set(self.mapped("customer_assessment_suggested")):
            self.filtered(
                lambda p, s=suggestion: p.customer_assessment_suggested == s
            ).write(
                {
                    "customer_assessment": suggestion,
                    "customer_assessment_manual": False,
                }
            )

    def action_first_review(self):
        self._assert_customer_reviewer()
        done = self.filtered("first_review_done")
        if done:
            raise UserError(
                self.env._(
                    "%(partners)s already had a first review.",
                    partners=", ".join(done.mapped("display_name")),
                )
            )
        self.check_access("write")
        self.sudo().write(
            {
                "first_review_done": True,
                "first_reviewer_id": self.env.uid,
                "first_review_date": fields.Datetime.now(),
            }
        )

    def action_second_review(self):
        self._assert_customer_reviewer()
        for partner in self:
            if not partner.first_review_done:
                raise UserError(
                    self.env._(
                        "%(partner)s: do the first review before the second one.",
                        partner=partner.display_name,
                    )
                )
            if partner.second_review_done:
                raise UserError(
                    self.env._(
                        "%(partner)s already had a second review.",
                        partner=partner.display_name,
                    )
                )
            if partner.first_reviewer_id == self.env.user:
                raise UserError(
                    self.env._(
                        "%(partner)s: you did the first review; the second review "
                        "must be done by another reviewer.",
                        partner=partner.display_name,
                    )
                )
        self.check_access("write")
        self.sudo().write(
            {
                "second_review_done": True,
                "second_reviewer_id": self.env.uid,
                "second_review_date": fields.Datetime.now(),
            }
        )

    def action_reset_reviews(self):
        self._assert_customer_reviewer()
        self.check_access("write")
        self.sudo().write(dict.fromkeys(CUSTOMER_REVIEW_FIELDS, False))

    def _assert_customer_reviewer(self):
        if self.env.su or self.env.user.has_group("crm_360.group_customer_reviewer"):
            return
        raise AccessError(
            self.env._(
                "Only customer reviewers may set or reset the reviews of a customer."
            )
        )

    def _prepare_customer_master_vals(self, vals, creating):
        """Copy of ``vals`` with the reviewer check, the override reason cleaned and
        its author recorded, and a hand-set assessment marked as such."""
        vals = dict(vals)
        if not is_trusted(self.env) and any(
            vals.get(f) if creating else f in vals for f in CUSTOMER_REVIEW_FIELDS
        ):
            self._assert_customer_reviewer()
            # The reviewer and the date are always the current user and now:
            # only the review buttons record them.
            raise UserError(
                self.env._(
                    "The reviews of a customer are recorded only with the First "
                    "Review, Second Review and Reset Reviews buttons."
                )
            )
        if not self.env.su:
            vals.pop("duplicate_override_user_id", None)
            vals.pop("duplicate_override_date", None)
        if "duplicate_override_reason" in vals:
            reason = (vals["duplicate_override_reason"] or "").strip() or False
            vals["duplicate_override_reason"] = reason
            vals["duplicate_override_user_id"] = reason and self.env.uid
            vals["duplicate_override_date"] = reason and fields.Datetime.now()
        if (
            vals.get("customer_assessment")
            if creating
            else "customer_assessment" in vals
        ) and not self.env.context.get("crm360_assessment_from_analytics"):
            vals.setdefault("customer_assessment_manual", True)
        return vals

    def _duplicate_check_enabled(self):
        ctx = self.env.context
        return ctx.get("crm360_check_duplicates") and not ctx.get(
            "crm360_skip_duplicate_check"
        )

    def _refuse_duplicate_partners(self, fnames=DUPLICATE_CHECK_FIELDS):
        """Refuse partners that match others on ``fnames``, unless they carry an
        override reason."""
        partners = self.filtered(lambda p: not p.duplicate_override_reason)
        lines = []
        for partner, found in zip(
            partners, partners._find_duplicate_partners(fnames), strict=True
        ):
            lines.extend(
                self.env._(
                    "%(partner)s looks like %(match)s",
                    partner=partner.display_name,
                    match=self._duplicate_match_line(duplicate, kinds),
                )
                for duplicate, kinds in found.items()
            )
        if lines:
            raise UserError(
                self.env._(
                    "Possible duplicate:\n%(matches)s\n\nOpen the existing partner "
                    "instead, or give a Reason to Keep Anyway to save it.",
                    matches="\n".join(lines),
                )
            )

    @api.model
    def _duplicate_match_line(self, duplicate, kinds):
        labels = {
            "name": self.env._("name"),
            "phone": self.env._("phone"),
            "email": self.env._("e-mail"),
            "vat": self.env._("tax ID"),
        }
        return self.env._(
            "%(partner)s (same %(matched)s)",
            partner=duplicate.display_name,
            matched=", ".join(labels[kind] for kind in kinds),
        )

    @api.model
    def _duplicate_key_sql(self, kind, term):
        """The normalised key of ``term`` (SQL) that duplicates are matched on.

        The same expressions serve the lookup and the indexes of ``_auto_init``.
        """
        if kind == "name":
            # Lower case, punctuation and spaces ignored, company forms dropped:
            # "Huaxin Machinery Co., Ltd." and "huaxin machinery" match.
            return SQL(
                "replace(regexp_replace(regexp_replace(lower(%s), "
                r"'[[:space:][:punct:]，。、；：（）【】“”‘’·]+', ' ', 'g'), "
                r"'(( (co|company|corp|corporation|inc|incorporated|ltd|limited|llc|"
                r"plc|gmbh|ag|sa|sarl|srl|spa|bv|nv|pte|pty|group))+ ?$)|"
                r"((股份有限公司|有限责任公司|有限公司|集团公司|集团|公司) ?$)', ''), "
                "' ', '')",
                term,
            )
        if kind == "phone":
            # Digits only, without leading zeros (trunk or international prefix).
            return SQL("ltrim(regexp_replace(%s, '[^0-9]', '', 'g'), '0')", term)
        if kind == "email":
            return SQL("lower(btrim(%s))", term)
        # Tax ID: upper case, letters and digits only.
        return SQL("regexp_replace(upper(%s), '[^0-9A-Z]', '', 'g')", term)

    def _find_duplicate_partners(self, fnames=DUPLICATE_CHECK_FIELDS):
        """For each partner of ``self`` (new ones too), in order, a dict
        {other partner: [what matched]} of the partners the user can see that
        share its name (both without a parent company), phone or mobile (last
        digits), e-mail or tax ID; its own commercial entity left out.
        ``fnames``: the fields of ``self`` to look up (all by default)."""
        probes = []
        for index, partner in enumerate(self):
            values = [
                ("name", "name", None if partner.parent_id else partner.name),
                ("phone", "phone", partner.phone),
                ("mobile", "phone", partner.mobile),
                ("email", "email", partner.email),
                ("vat", "vat", partner.vat),
            ]
            probes.extend(
                (index, kind, value)
                for fname, kind, value in values
                if value and fname in fnames
            )
        result = [{} for _partner in self]
        if not probes:
            return result
        self.env["res.partner"].flush_model(
            [*DUPLICATE_CHECK_FIELDS, "parent_id", "commercial_partner_id"]
        )
        rows = self.env.execute_query(self._duplicate_query(probes))
        visible = (
            self.env["res.partner"].search([("id", "in", list({r[2] for r in rows}))])
            if rows
            else self.env["res.partner"]
        )
        visible_ids = set(visible.ids)
        for index, kind, partner_id, commercial_id in rows:
            partner = self[index]
            own_commercial = partner.commercial_partner_id._origin.id
            if (
                partner_id not in visible_ids
                or partner_id == partner._origin.id
                or (own_commercial and commercial_id == own_commercial)
            ):
                continue
            kinds = result[index].setdefault(self.browse(partner_id), [])
            if kind not in kinds:
                kinds.append(kind)
        return result

    @api.model
    def _duplicate_query(self, probes):
        key = self._duplicate_key_sql
        branches = [
            SQL(
                "SELECT k.idx, k.kind, p.id, p.commercial_partner_id "
                "FROM keyed k JOIN res_partner p ON p.parent_id IS NULL AND %s = k.key "
                "WHERE k.kind = 'name' AND k.key <> ''",
                key("name", SQL("p.name")),
            ),
        ]
        for column in ("phone", "mobile"):
            p_key = key("phone", SQL.identifier("p", column))
            branches.append(
                SQL(
                    "SELECT k.idx, k.kind, p.id, p.commercial_partner_id "
                    "FROM keyed k JOIN res_partner p ON %(column)s IS NOT NULL "
                    "AND right(%(p_key)s, 8) = right(k.key, 8) "
                    "AND (right(%(p_key)s, length(k.key)) = k.key "
                    "OR right(k.key, length(%(p_key)s)) = %(p_key)s) "
                    "WHERE k.kind = 'phone' AND length(k.key) >= 8",
                    column=SQL.identifier("p", column),
                    p_key=p_key,
                )
            )
        for column in ("email", "vat"):
            branches.append(
                SQL(
                    "SELECT k.idx, k.kind, p.id, p.commercial_partner_id "
                    "FROM keyed k JOIN res_partner p ON %s IS NOT NULL AND %s = k.key "
                    "WHERE k.kind = %s AND k.key <> ''",
                    SQL.identifier("p", column),
                    key(column, SQL.identifier("p", column)),
                    column,
                )
            )
        probe_key = SQL(
            "CASE probe.kind WHEN 'name' THEN %s WHEN 'phone' THEN %s "
            "WHEN 'email' THEN %s ELSE %s END",
            key("name", SQL("probe.val")),
            key("phone", SQL("probe.val")),
            key("email", SQL("probe.val")),
            key("vat", SQL("probe.val")),
        )
        return SQL(
            "WITH probe(idx, kind, val) AS (VALUES %s), "
            "keyed AS (SELECT probe.idx, probe.kind, %s AS key FROM probe) "
            "%s",
            SQL(", ").join(
                SQL("(%s::int, %s::varchar, %s::varchar)", index, kind, value)
                for index, kind, value in probes
            ),
            probe_key,
            SQL(" UNION ALL ").join(branches),
        )
