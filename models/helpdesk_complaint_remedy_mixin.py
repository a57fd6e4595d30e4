# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskComplaintRemedyMixin(models.AbstractModel):
    """A document made to remedy a complaint (a credit note, a return, a
    replacement order, a goodwill coupon): linked to the complaint it remedies,
    set by the remedy wizards and kept off copies. Each document says in the
    link's help what it is to the complaint.

    The remedy family: the complaint's side in helpdesk_ticket_remedy.py (the
    actions making each document, the smart buttons, the cost); each document's
    side in account_move_complaint.py, stock_picking_complaint.py,
    sale_order_complaint.py and loyalty_card_complaint.py; the wizards linking
    what Odoo's wizards make in wizards/account_move_reversal_complaint.py,
    wizards/stock_return_picking_complaint.py and the goodwill coupon wizard
    wizards/helpdesk_complaint_coupon.py; the views in
    views/helpdesk_ticket_remedy_views.xml and views/*_complaint_views.xml."""

    _name = "helpdesk.complaint.remedy.mixin"
    _description = "Complaint Remedy"

    complaint_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
    )
