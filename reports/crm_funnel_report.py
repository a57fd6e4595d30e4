# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..models.stage_history_entry_mixin import STAGE_ENTERING_EVENTS

# What the funnel counts unless told otherwise: opportunities, not leads. The
# screen's default filter ("Only Opportunities"), the PDF summary and an XLSX
# printed without a selection or a domain all use it.
FUNNEL_DEFAULT_DOMAIN = [("lead_type", "=", "opportunity")]


class CrmFunnelReport(models.Model):
    """Sales funnel (销售漏斗): one row per deal and per stage it reached.

    A deal reached a stage when it entered it or a later stage (by sequence) of its
    pipeline, as recorded in its stage history: a deal that skipped a stage has still
    passed it. Won stages count only for the deals that entered them. Lost deals
    (archived) are included.

    Counting rows per stage gives the deals that reached it; the measures give the
    deals that went further (conversion to the next stage), were won, were lost at
    that stage or are still there. Read through the ORM only: its record rules
    mirror crm.lead's on the deal's current salesperson and company.
    """

    _name = "crm.funnel.report"
    _description = "Sales Funnel Analysis"
    _auto = False
    _rec_name = "lead_id"
    _order = "stage_sequence, lead_id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True, aggregator=None)
    lead_type = fields.Selection(
        [("lead", "Lead"), ("opportunity", "Opportunity")],
        string="Type",
        readonly=True,
    )
    create_date = fields.Datetime(string="Created On", readonly=True)
    entry_date = fields.Datetime(
        string="Reached On",
        readonly=True,
        help="When the deal entered this stage, or a later one if it skipped it.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        readonly=True,
        help="The category of the product worth most on the deal's quotations and "
        "orders.",
    )
    is_won = fields.Boolean(string="Won", readonly=True)
    is_lost = fields.Boolean(string="Lost", readonly=True)
    # Per stage, the deals that reached it, went further or were won; a total
    # over several stages counts each deal once (a deal reaches many stages).
    deal_reached = fields.Integer(
        string="# Reached",
        readonly=True,
        aggregator="count_distinct",
        help="Deals that reached the stage. In a total over several stages, each "
        "deal counts once.",
    )
    deal_further = fields.Integer(
        string="# Went Further",
        readonly=True,
        aggregator="count_distinct",
        help="Deals that reached a later stage. In a total over several stages, "
        "each deal counts once.",
    )
    deal_won = fields.Integer(
        string="# Won",
        readonly=True,
        aggregator="count_distinct",
        help="Won deals that reached the stage. In a total over several stages, "
        "each won deal counts once.",
    )
    # The same per row (1 or 0): exact per stage, never to add across stages.
    nbr = fields.Integer(
        string="Reached (Row)",
        readonly=True,
        aggregator=None,
        help="1 on every row: the deal reached the stage.",
    )
    nbr_next = fields.Integer(
        string="Went Further (Row)",
        readonly=True,
        aggregator=None,
        help="1 when the deal reached a later stage than this row's.",
    )
    nbr_won = fields.Integer(
        string="Won (Row)",
        readonly=True,
        aggregator=None,
        help="1 when the deal is won.",
    )
    nbr_lost_here = fields.Integer(
        string="# Lost Here",
        readonly=True,
        help="Deals lost while this stage was the furthest they had reached: the "
        "drop-off of the stage.",
    )
    nbr_open_here = fields.Integer(
        string="# Still Here",
        readonly=True,
        help="Open deals whose current stage this is.",
    )
    next_rate = fields.Float(
        string="Conversion to Next (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the deals that reached the stage and went further.",
    )
    won_rate = fields.Float(
        string="Conversion to Won (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the deals that reached the stage and were won.",
    )
    win_rate = fields.Float(
        string="Win Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Won deals among the closed (won or lost) deals that reached the stage.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    expected_revenue = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The deal's current expected revenue, in its company's currency, "
        "summed per stage: a total over several stages counts a deal once per "
        "stage it reached.",
    )

    _depends = {
        "crm.lead": [
            "active",
            "type",
            "create_date",
            "stage_id",
            "team_id",
            "user_id",
            "company_id",
            "partner_id",
            "source_id",
            "medium_id",
            "campaign_id",
            "probability",
            "expected_revenue",
        ],
        "crm.lead.stage.history": ["lead_id", "event", "stage_to_id", "date"],
        "crm.stage": ["sequence", "is_won", "team_id"],
        "sale.order": ["opportunity_id", "state"],
        "sale.order.line": ["order_id", "product_id", "price_subtotal"],
    }

    @property
    def _table_query(self):
        return SQL(
            "%s %s %s %s",
            self._with(),
            self._select(),
            self._from(),
            self._where(),
        )

    def _with(self):
        return SQL(
            """
            -- One row per deal: the stages it entered (with repeats) and when, in
            -- three parallel arrays, straight from the history (estimated from
            -- its statistics). Nothing else joins the entries: a filter on the
            -- funnel's stage, deal or company reaches the tables (no window, no
            -- join to re-aggregate): the figures cost what the raw SQL costs.
            WITH reach AS (
                SELECT hist.lead_id, MAX(stage.sequence) AS max_sequence,
                       ARRAY_AGG(hist.stage_to_id) AS stage_ids,
                       ARRAY_AGG(stage.sequence) AS stage_sequences,
                       ARRAY_AGG(hist.date) AS entry_dates
                  FROM crm_lead_stage_history hist
                  JOIN crm_stage stage ON stage.id = hist.stage_to_id
                 WHERE hist.event IN %(entering)s
              GROUP BY hist.lead_id
            ),
            main_category AS (
                SELECT DISTINCT ON (so.opportunity_id)
                       so.opportunity_id AS lead_id, tmpl.categ_id
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN product_product product ON product.id = sol.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                 WHERE so.opportunity_id IS NOT NULL AND so.state != 'cancel'
              ORDER BY so.opportunity_id, sol.price_subtotal DESC, sol.id
            )
            """,
            entering=STAGE_ENTERING_EVENTS,
        )

    def _select(self):
        return SQL(
            """
            SELECT -- unique per deal and stage, without a window over all rows
                   lead.id::bigint * (SELECT COALESCE(MAX(id), 0) + 1 FROM crm_stage)
                       + stage.id AS id,
                   lead.id AS lead_id,
                   stage.id AS stage_id,
                   stage.sequence AS stage_sequence,
                   lead.type AS lead_type,
                   lead.create_date AS create_date,
                   -- the first entry into this stage or a later one (by sequence,
                   -- then id); computed only when read
                   (SELECT MIN(done.date)
                      FROM UNNEST(reach.stage_ids, reach.stage_sequences,
                                  reach.entry_dates)
                           AS done(stage_id, sequence, date)
                     WHERE (done.sequence, done.stage_id)
                           >= (stage.sequence, stage.id)) AS entry_date,
                   lead.team_id, lead.user_id, lead.company_id, lead.partner_id,
                   lead.source_id, lead.medium_id, lead.campaign_id,
                   main_category.categ_id AS product_categ_id,
                   %(won)s AS is_won,
                   %(lost)s AS is_lost,
                   lead.id AS deal_reached,
                   CASE WHEN stage.sequence < reach.max_sequence THEN lead.id END
                       AS deal_further,
                   CASE WHEN %(won)s THEN lead.id END AS deal_won,
                   1 AS nbr,
                   CASE WHEN stage.sequence < reach.max_sequence THEN 1 ELSE 0 END
                       AS nbr_next,
                   CASE WHEN %(won)s THEN 1 ELSE 0 END AS nbr_won,
                   CASE WHEN %(lost)s AND stage.sequence = reach.max_sequence
                        THEN 1 ELSE 0 END AS nbr_lost_here,
                   CASE WHEN lead.active AND NOT %(won)s AND lead.stage_id = stage.id
                        THEN 1 ELSE 0 END AS nbr_open_here,
                   CASE WHEN stage.sequence < reach.max_sequence THEN 100.0
                        ELSE 0.0 END AS next_rate,
                   CASE WHEN %(won)s THEN 100.0 ELSE 0.0 END AS won_rate,
                   CASE WHEN %(won)s THEN 100.0 WHEN %(lost)s THEN 0.0 END
                       AS win_rate,
                   COALESCE(company.currency_id, (
                       SELECT currency_id FROM res_company ORDER BY id LIMIT 1))
                       AS currency_id,
                   lead.expected_revenue
            """,
            won=SQL("(lead.active AND COALESCE(lead_stage.is_won, FALSE))"),
            lost=SQL("(NOT lead.active AND lead.probability = 0)"),
        )

    def _from(self):
        return SQL(
            """
              FROM crm_lead lead
              JOIN reach ON reach.lead_id = lead.id
              JOIN crm_stage stage
                ON stage.sequence <= reach.max_sequence
               AND (stage.team_id IS NULL OR stage.team_id = lead.team_id
                    OR stage.id = ANY(reach.stage_ids))
               AND (stage.is_won IS NOT TRUE OR stage.id = ANY(reach.stage_ids))
         LEFT JOIN crm_stage lead_stage ON lead_stage.id = lead.stage_id
         LEFT JOIN main_category ON main_category.lead_id = lead.id
         LEFT JOIN res_company company ON company.id = lead.company_id
            """
        )

    def _where(self):
        return SQL("")

    @api.model
    def _funnel_default_domain(self):
        return list(FUNNEL_DEFAULT_DOMAIN)

    @api.model
    def _funnel_rows(self, domain, groupby):
        """The funnel's rows: one per group of ``groupby`` (ending with
        ``stage_id``), in stage order, each a list of the group labels followed by
        the deals reached, went further, the conversion to next, the deals lost
        here, still here and won, the conversion to won, the win rate and the
        amount (None where a ratio has no denominator).

        The one source of the funnel's figures for the XLSX sheets and the PDF
        summary, read as the current user: the record rules apply.
        """
        groups = self._read_group(
            domain,
            groupby,
            [
                "nbr:sum",
                "nbr_next:sum",
                "nbr_lost_here:sum",
                "nbr_open_here:sum",
                "nbr_won:sum",
                "win_rate:avg",
                "expected_revenue:sum",
            ],
        )
        rows = []
        for *keys, nbr, nbr_next, lost, still, won, win_rate, amount in groups:
            stage = keys[-1]
            rows.append(
                (
                    (
                        stage.sequence,
                        stage.id,
                        *(key.display_name or "" for key in keys),
                    ),
                    [
                        *(key.display_name or self.env._("None") for key in keys),
                        nbr,
                        nbr_next,
                        nbr_next / nbr if nbr else None,
                        lost,
                        still,
                        won,
                        won / nbr if nbr else None,
                        win_rate / 100.0 if win_rate is not None else None,
                        amount,
                    ],
                )
            )
        return [values for _key, values in sorted(rows, key=lambda row: row[0])]
