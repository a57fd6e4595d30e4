# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

from .helpdesk_complaint_priority import COMPLAINT_URGENCY

# Han characters (CJK unified ideographs, extension A, compatibility).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+")
HAS_CJK_RE = re.compile(rf"[{CJK}]")


def normalize_text(text):
    """Plain, comparable text: HTML stripped, full-width forms folded (NFKC),
    lower case, whitespace collapsed."""
    if not text:
        return ""
    if "<" in text:
        text = html2plaintext(text)
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(text.split())


def tokenize(text):
    """Words of Latin text (two characters or more); for Chinese, which has no
    spaces, every character and every pair of adjacent characters."""
    tokens = []
    for run in TOKEN_RE.findall(normalize_text(text)):
        if HAS_CJK_RE.match(run):
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        elif len(run) > 1:
            tokens.append(run)
    return tokens


class HelpdeskComplaintKeyword(models.Model):
    """A phrase that hints at a complaint's aspect and/or urgency."""

    _name = "helpdesk.complaint.keyword"
    _description = "Complaint Keyword Rule"
    _order = "category_id, phrase, id"
    _rec_name = "phrase"
    _check_company_auto = True

    phrase = fields.Char(
        required=True,
        help="Found anywhere in the subject or the text: Chinese phrases as they "
        "are (no spaces needed), other words as whole words (plural, -ed and -ing "
        "forms included). Case and full-width characters do not matter.",
    )
    category_id = fields.Many2one(
        "helpdesk.complaint.category",
        string="Suggests Aspect",
        ondelete="cascade",
        check_company=True,
        help="The aspect this phrase points to.",
    )
    urgency = fields.Selection(
        COMPLAINT_URGENCY,
        string="Suggests Urgency",
        help="The urgency this phrase points to.",
    )
    weight = fields.Float(
        bounds=(0, 100),
        default=1.0,
        help="How strongly the phrase counts against other matching phrases.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the rule in every company."
    )

    _sql_constraints = [
        (
            "weight_positive",
            "CHECK (weight > 0)",
            "The weight of a keyword rule must be positive.",
        ),
    ]

    @api.constrains("phrase", "category_id", "urgency")
    def _check_rule(self):
        for rule in self:
            if not normalize_text(rule.phrase):
                raise ValidationError(self.env._("A keyword rule needs a phrase."))
            if not (rule.category_id or rule.urgency):
                raise ValidationError(
                    self.env._(
                        "The keyword rule “%(phrase)s” suggests nothing: give it an "
                        "aspect, an urgency or both.",
                        phrase=rule.phrase,
                    )
                )

    def _matches(self, text):
        """The rules of self whose phrase occurs in the normalized text."""
        matched = self.browse()
        for rule in self:
            phrase = normalize_text(rule.phrase)
            if HAS_CJK_RE.search(phrase):
                found = phrase in text
            else:
                # Whole words, with their common English endings.
                found = re.search(
                    rf"(?<![a-z0-9]){re.escape(phrase)}(?:s|es|ed|ing)?(?![a-z0-9])",
                    text,
                )
            if found:
                matched |= rule
        return matched
