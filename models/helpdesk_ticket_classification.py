# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_complaint_keyword import normalize_text
from .helpdesk_complaint_priority import COMPLAINT_URGENCY
from .helpdesk_ticket import HELPDESK_USER_GROUP

_logger = logging.getLogger(__name__)


class HelpdeskTicketClassification(models.Model):
    """Complaint classification: whether a ticket is a complaint, its aspect
    (helpdesk.complaint.category) and the aspect and urgency suggested from its
    text by the keyword rules and the classifier."""

    _inherit = "helpdesk.ticket"

    is_complaint = fields.Boolean(
        string="Complaint",
        compute="_compute_is_complaint",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="The customer complains (投诉), as opposed to asking for help.",
    )
    complaint_aspect_id = fields.Many2one(
        "helpdesk.complaint.category",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="What exactly is complained about: a category of the complaint "
        "classification.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_object = fields.Selection(
        string="Complaint Object",
        related="complaint_aspect_id.complaint_object",
        store=True,
        index="btree_not_null",
        groups=HELPDESK_USER_GROUP,
    )

    complaint_suggested_aspect_id = fields.Many2one(
        "helpdesk.complaint.category",
        string="Suggested Aspect",
        readonly=True,
        copy=False,
        help="What crm_360 suggests this ticket complains about, from its subject "
        "and text.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_suggested_urgency = fields.Selection(
        COMPLAINT_URGENCY,
        string="Suggested Urgency",
        readonly=True,
        copy=False,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_suggestion_confidence = fields.Float(
        string="Confidence",
        readonly=True,
        copy=False,
        help="How sure the suggestion is, from 0 to 100%.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_suggestion_source = fields.Selection(
        [
            ("keywords", "Keyword Rules"),
            ("classifier", "Classifier"),
            ("both", "Keyword Rules and Classifier"),
        ],
        string="Suggested By",
        readonly=True,
        copy=False,
        help="Keyword rules decide when one of them names an aspect; the "
        "classifier suggests alone only when no rule matches.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_classification_state = fields.Selection(
        [
            ("suggested", "Suggestion to Review"),
            ("accepted", "Suggestion Accepted"),
            ("corrected", "Suggestion Corrected"),
            ("manual", "Classified by Hand"),
        ],
        string="Classification",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="How the complaint got its aspect. Accepted, corrected and hand-made "
        "classifications of closed complaints train the classifier.",
        groups=HELPDESK_USER_GROUP,
    )

    @api.depends("complaint_aspect_id")
    def _compute_is_complaint(self):
        # Classifying a ticket as a complaint makes it one; clearing the
        # classification does not turn a complaint back into a question.
        for ticket in self:
            ticket.is_complaint = (
                bool(ticket.complaint_aspect_id) or ticket.is_complaint
            )

    def _complaint_update_classification_state(self):
        """Keep how each complaint got its aspect: an agent choosing another
        aspect than the suggestion corrects it (and teaches the classifier)."""
        by_state = defaultdict(lambda: self.browse())
        for ticket in self.filtered("complaint_aspect_id"):
            suggested = ticket.complaint_suggested_aspect_id
            if not suggested:
                state = "manual"
            elif suggested == ticket.complaint_aspect_id:
                state = "accepted"
            else:
                state = "corrected"
            if ticket.complaint_classification_state != state:
                by_state[state] |= ticket
        # A system field: the caller has just written the tickets.
        for state, tickets in by_state.items():
            tickets.sudo().write({"complaint_classification_state": state})

    def _complaint_suggest(self):
        """Suggest aspect and urgency from the subject and text of the tickets.
        A failure is logged and never blocks the ticket's creation."""
        if not self:
            return
        try:
            with self.env.cr.savepoint():
                suggestions = self.sudo()._complaint_suggestions()
                for ticket, values in suggestions.items():
                    ticket.sudo().write(values)
        except Exception:  # noqa: BLE001 - suggesting must never block creating
            _logger.warning(
                "crm_360: no complaint suggestion for tickets %s",
                self.ids,
                exc_info=True,
            )

    def _complaint_suggestions(self):
        """{ticket: values} of the suggestions above the minimum confidence.
        Rules and classifiers are loaded once for the whole batch."""
        Keyword = self.env["helpdesk.complaint.keyword"]
        Classifier = self.env["helpdesk.complaint.classifier"]
        minimum = self._complaint_suggestion_minimum()
        rules = Keyword.search([])
        classifiers = {}
        result = {}
        urgency_rank = {
            key: rank for rank, (key, _label) in enumerate(COMPLAINT_URGENCY)
        }
        for ticket in self:
            company = ticket.company_id
            if company not in classifiers:
                classifiers[company] = Classifier._for_company(company)
            text = normalize_text(f"{ticket.name} {ticket.description or ''}")
            company_rules = rules.filtered(
                lambda rule, company=company: rule.company_id
                in (company, Keyword.company_id)
            )
            matched = company_rules._matches(text)
            scores = defaultdict(float)
            for rule in matched.filtered("category_id"):
                scores[rule.category_id.id] += rule.weight
            total = sum(scores.values())
            keyword_share = {
                aspect: score / (total + 1.0) for aspect, score in scores.items()
            }
            classifier = classifiers[company]
            predicted = classifier._predict(text) if classifier else {}
            values = {}
            best, confidence, source = self._complaint_suggested_aspect(
                keyword_share, predicted
            )
            if best and confidence >= minimum:
                values.update(
                    complaint_suggested_aspect_id=best,
                    complaint_suggestion_confidence=confidence,
                    complaint_suggestion_source=source,
                )
            urgencies = matched.filtered("urgency").mapped("urgency")
            if urgencies:
                values["complaint_suggested_urgency"] = max(
                    urgencies, key=urgency_rank.get
                )
            if values:
                values["complaint_classification_state"] = "suggested"
                result[ticket] = values
        return result

    @api.model
    def _complaint_suggested_aspect(self, keyword_share, predicted):
        """(aspect id, confidence, source) from the keyword rules' shares and the
        classifier's probabilities, or (None, 0.0, None).

        Keyword rules are what managers wrote down: when one matches, the
        aspect comes from the rules (the classifier only breaks a tie between
        rules and, when it agrees, raises the confidence). The learnt model
        suggests alone only when no rule names an aspect, so a model over-sure
        of itself never outvotes two rules saying the same thing.
        """
        if keyword_share:
            top = max(keyword_share.values())
            tied = [aspect for aspect, share in keyword_share.items() if share == top]
            best = max(tied, key=lambda aspect: (predicted.get(aspect, 0.0), -aspect))
            confidence = keyword_share[best]
            source = "keywords"
            if predicted and max(predicted, key=predicted.get) == best:
                source = "both"
                confidence = max(confidence, (confidence + predicted[best]) / 2)
            return best, confidence, source
        if predicted:
            best = max(predicted, key=predicted.get)
            return best, predicted[best], "classifier"
        return None, 0.0, None

    @api.model
    def _complaint_suggestion_minimum(self):
        percent = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_360.complaint_suggestion_min_percent", "30")
        )
        try:
            return max(1, min(100, int(percent))) / 100
        except ValueError:
            return 0.3

    def action_accept_complaint_suggestion(self):
        """Classify the complaints as suggested."""
        for ticket in self:
            if not (
                ticket.complaint_suggested_aspect_id
                or ticket.complaint_suggested_urgency
            ):
                raise UserError(
                    self.env._(
                        "There is no suggestion to accept on %(ticket)s.",
                        ticket=ticket.display_name,
                    )
                )
            values = {"is_complaint": True}
            if ticket.complaint_suggested_aspect_id:
                values["complaint_aspect_id"] = ticket.complaint_suggested_aspect_id.id
            if ticket.complaint_suggested_urgency and not ticket.complaint_urgency:
                values["complaint_urgency"] = ticket.complaint_suggested_urgency
            ticket.write(values)
            if ticket.complaint_classification_state == "suggested":
                ticket.sudo().complaint_classification_state = "accepted"
        return True

    def action_suggest_complaint_classification(self):
        """Suggest again, from the current subject and text, for the tickets
        not classified yet."""
        tickets = self.filtered(lambda ticket: not ticket.complaint_aspect_id)
        # System fields: cleared with superuser rights for a user who may change
        # the tickets.
        tickets.check_access("write")
        tickets.sudo().write(
            {
                "complaint_suggested_aspect_id": False,
                "complaint_suggested_urgency": False,
                "complaint_suggestion_confidence": 0.0,
                "complaint_suggestion_source": False,
                "complaint_classification_state": False,
            }
        )
        tickets._complaint_suggest()
        unclassified = tickets.filtered(
            lambda ticket: not ticket.complaint_suggested_aspect_id
            and not ticket.complaint_suggested_urgency
        )
        if unclassified == tickets:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "No suggestion: nothing in the text matches."
                    ),
                },
            }
        return True
