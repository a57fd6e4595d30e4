# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import math
from collections import Counter, defaultdict

from odoo import api, fields, models

from .helpdesk_complaint_keyword import tokenize

_logger = logging.getLogger(__name__)

# Fewer closed, classified complaints than this: no model, keywords only.
MIN_SAMPLES = 10
# Every HELDOUT_MODULO-th complaint (by id) is held out to measure the accuracy.
HELDOUT_MODULO = 5


def train_naive_bayes(samples):
    """A multinomial naive Bayes model from [(label, tokens)], as plain data."""
    docs = Counter()
    words = defaultdict(Counter)
    for label, tokens in samples:
        docs[label] += 1
        words[label].update(tokens)
    vocabulary = set()
    for counter in words.values():
        vocabulary.update(counter)
    return {
        "docs": dict(docs),
        "words": {label: dict(counter) for label, counter in words.items()},
        "totals": {label: sum(counter.values()) for label, counter in words.items()},
        "vocabulary": len(vocabulary),
    }


def predict_naive_bayes(model, tokens):
    """{label: probability} for the tokens (Laplace smoothing)."""
    docs = {label: count for label, count in model["docs"].items() if count > 0}
    # A text sharing no token with what the model learnt gets no guess (the
    # priors alone would always name the most frequent aspect).
    if not any(token in words for words in model["words"].values() for token in tokens):
        return {}
    total_docs = sum(docs.values())
    if not total_docs:
        return {}
    size = max(model["vocabulary"], 0) + 1
    scores = {}
    for label, count in docs.items():
        words = model["words"].get(label, {})
        denominator = max(model["totals"].get(label, 0), 0) + size
        score = math.log(count / total_docs)
        for token in tokens:
            score += math.log((max(words.get(token, 0), 0) + 1) / denominator)
        scores[label] = score
    if not scores:
        return {}
    top = max(scores.values())
    exp = {label: math.exp(score - top) for label, score in scores.items()}
    norm = sum(exp.values())
    return {label: value / norm for label, value in exp.items()}


class HelpdeskComplaintClassifier(models.Model):
    """The complaint classifier of a company: a naive Bayes model learnt from
    its own closed complaints that people classified."""

    _name = "helpdesk.complaint.classifier"
    _description = "Complaint Classifier"
    _rec_name = "company_id"

    # Everything here is learnt by the training job: nobody types it.
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", readonly=True
    )
    model_data = fields.Json(
        readonly=True, help="The learnt model: counts per aspect and token."
    )
    sample_count = fields.Integer(
        string="Complaints Learnt From",
        readonly=True,
        help="Closed, classified complaints the model was trained on.",
    )
    heldout_count = fields.Integer(
        string="Held-Out Complaints",
        readonly=True,
        help="Complaints kept out of the training to measure the accuracy.",
    )
    accuracy = fields.Float(
        readonly=True,
        help="Share of held-out complaints whose aspect the classifier found.",
    )
    trained_date = fields.Datetime(string="Trained On", readonly=True)

    _sql_constraints = [
        ("company_uniq", "unique (company_id)", "One classifier per company."),
    ]

    @api.model
    def _for_company(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _training_samples(self, company):
        """(ticket id, aspect id, tokens) of the company's closed complaints that
        people classified: one read, no query per complaint."""
        tickets = (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("is_complaint", "=", True),
                    ("complaint_aspect_id", "!=", False),
                    ("stage_id.closed", "=", True),
                    ("complaint_classification_state", "!=", "suggested"),
                ],
                ["name", "description", "complaint_aspect_id"],
                order="id",
            )
        )
        return [
            (
                ticket.id,
                str(ticket.complaint_aspect_id.id),
                tokenize(f"{ticket.name} {ticket.description or ''}"),
            )
            for ticket in tickets
        ]

    @api.model
    def _train(self, company):
        """Train (or retrain) the company's classifier; return it."""
        samples = self._training_samples(company)
        classifier = self._for_company(company) or self.create(
            {"company_id": company.id}
        )
        labels = {label for _id, label, _tokens in samples}
        if len(samples) < MIN_SAMPLES or len(labels) < 2:
            classifier.write(
                {
                    "model_data": False,
                    "sample_count": len(samples),
                    "heldout_count": 0,
                    "accuracy": 0.0,
                    "trained_date": fields.Datetime.now(),
                }
            )
            return classifier
        train = [
            (label, tokens) for id_, label, tokens in samples if id_ % HELDOUT_MODULO
        ]
        heldout = [
            (label, tokens)
            for id_, label, tokens in samples
            if not id_ % HELDOUT_MODULO
        ]
        accuracy = 0.0
        if train and heldout:
            model = train_naive_bayes(train)
            hits = 0
            for label, tokens in heldout:
                probabilities = predict_naive_bayes(model, tokens)
                # No guess (no token in common with the training) is a miss.
                if probabilities and max(probabilities, key=probabilities.get) == label:
                    hits += 1
            accuracy = hits / len(heldout)
        classifier.write(
            {
                "model_data": train_naive_bayes(
                    [(label, tokens) for _id, label, tokens in samples]
                ),
                "sample_count": len(samples),
                "heldout_count": len(heldout),
                "accuracy": accuracy,
                "trained_date": fields.Datetime.now(),
            }
        )
        return classifier

    def _predict(self, text):
        """{aspect id: probability}, empty without a model."""
        self.ensure_one()
        if not self.model_data:
            return {}
        try:
            return {
                int(label): probability
                for label, probability in predict_naive_bayes(
                    self.model_data, tokenize(text)
                ).items()
            }
        except (
            AttributeError,
            KeyError,
            TypeError,
            ValueError,
            ZeroDivisionError,
        ):  # a damaged model guesses nothing; keywords still suggest
            _logger.warning(
                "crm_360: complaint classifier %s cannot predict",
                self.id,
                exc_info=True,
            )
            return {}

    @api.model
    def _train_companies(self, companies, notify=False):
        """Train the classifier of each company. A company whose training fails
        is logged and rolled back, and the others go on; returns the companies
        that failed."""
        failed = self.env["res.company"]
        for done, company in enumerate(companies, start=1):
            try:
                with self.env.cr.savepoint():
                    self._train(company)
            except Exception:  # noqa: BLE001 - one company never stops the others
                _logger.exception(
                    "crm_360: training the complaint classifier of %s failed",
                    company.name,
                )
                failed |= company
            if notify:
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(companies) - done
                )
        return failed

    @api.model
    def _cron_train(self):
        self._train_companies(self.env["res.company"].search([]), notify=True)
