# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.helpdesk_complaint_classifier import HelpdeskComplaintClassifier
from ..models.helpdesk_complaint_keyword import normalize_text, tokenize
from .common_complaint import ComplaintCommon

# Closed complaints people classified: (aspect attribute, texts).
HISTORY = [
    (
        "quality",
        [
            "水泵外壳有裂纹，质量有问题",
            "阀门生锈漏水，质量不合格",
            "Pump casing cracked after a week, poor quality",
            "The valve is leaking from the seal, defective part",
            "电机烧坏了，产品质量太差",
            "Broken impeller on delivery, quality issue",
            "密封圈漏油，质量差",
            "Defective pump, it leaks oil",
        ],
    ),
    (
        "price",
        [
            "价格比其他供应商贵很多",
            "报价太贵，要求降价",
            "Price is much higher than the quote",
            "We were overcharged on the last order",
            "合同价格和发票价格不一致",
            "Your prices went up again, too expensive",
            "价格太高了",
            "The invoice price does not match the quotation",
        ],
    ),
    (
        "attitude",
        [
            "客服态度很差，不耐烦",
            "销售人员态度恶劣",
            "Support agent was rude on the phone",
            "The driver was impolite and shouted at our staff",
            "接待人员态度冷淡",
            "Your salesman was arrogant and unfriendly",
            "工程师态度不好",
            "Rude answer from your hotline",
        ],
    ),
    (
        "service_fees",
        [
            "保修期内还收维修费",
            "服务费太高，收费不透明",
            "We were charged a service fee under warranty",
            "The service fee on the invoice is wrong",
            "上门服务收费不合理",
            "Why do we pay a call-out fee",
            "维修收费太贵",
            "Unexpected service charges on the bill",
        ],
    ),
]


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintClassification(ComplaintCommon):
    """Suggestions from keyword rules and from the classifier learnt from the
    company's closed complaints; accepting and correcting them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Keyword = cls.env["helpdesk.complaint.keyword"]
        cls.Classifier = cls.env["helpdesk.complaint.classifier"]
        # This test's own rules and history only.
        cls.Keyword.search([]).active = False
        cls.Classifier.search([]).unlink()
        cls.env["helpdesk.ticket"].search(
            [("complaint_aspect_id", "!=", False)]
        ).is_complaint = False
        cls.env["helpdesk.ticket"].search(
            [("complaint_aspect_id", "!=", False)]
        ).complaint_aspect_id = False
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.Keyword.create(
            [
                {"phrase": "漏油", "category_id": cls.quality.id},
                {"phrase": "leak", "category_id": cls.quality.id},
                {"phrase": "态度", "category_id": cls.attitude.id},
                {"phrase": "马上", "urgency": "high"},
                {"phrase": "urgent", "urgency": "high"},
            ]
        )

    def _history(self):
        return self.Ticket.create(
            [
                {
                    "name": text,
                    "description": f"<p>{text}</p>",
                    "is_complaint": True,
                    "complaint_aspect_id": getattr(self, attribute).id,
                    "stage_id": self.done.id,
                }
                for attribute, texts in HISTORY
                for text in texts
            ]
        )

    def test_tokens_of_mixed_text(self):
        self.assertEqual(normalize_text("<p>ＰＵＭＰ  Leaks！</p>"), "pump leaks!")
        tokens = tokenize("水泵漏油 pump leaks, a 2nd time")
        for token in (
            "水",
            "泵",
            "水泵",
            "泵漏",
            "漏油",
            "pump",
            "leaks",
            "2nd",
            "time",
        ):
            self.assertIn(token, tokens)
        self.assertNotIn("a", tokens)

    def test_keyword_rules_in_english_and_chinese(self):
        ticket = self._complaint(
            name="水泵漏油",
            description="<p>漏油严重，请马上派人</p>",
            is_complaint=False,
        )
        self.assertEqual(ticket.complaint_suggested_aspect_id, self.quality)
        self.assertEqual(ticket.complaint_suggested_urgency, "high")
        self.assertEqual(ticket.complaint_suggestion_source, "keywords")
        self.assertEqual(ticket.complaint_classification_state, "suggested")
        self.assertGreaterEqual(ticket.complaint_suggestion_confidence, 0.5)
        english = self._complaint(
            name="URGENT: the pump leaks", description="<p>see title</p>"
        )
        self.assertEqual(english.complaint_suggested_aspect_id, self.quality)
        self.assertEqual(english.complaint_suggested_urgency, "high")
        # Whole words only for Latin text; no suggestion, no state.
        bleak = self._complaint(name="A bleak outlook", description="<p>hm</p>")
        self.assertFalse(bleak.complaint_suggested_aspect_id)
        self.assertFalse(bleak.complaint_classification_state)

    def test_classifier_learns_from_closed_complaints(self):
        history = self._history()
        self.assertEqual(
            set(history.mapped("complaint_classification_state")), {"manual"}
        )
        classifier = self.Classifier._train(self.company)
        self.assertEqual(classifier.sample_count, len(history))
        self.assertEqual(
            classifier.heldout_count, len(history.filtered(lambda t: not t.id % 5))
        )
        self.assertGreaterEqual(classifier.accuracy, 0.5)
        cases = [
            ("报价太贵了，价格不合理", self.price),
            ("The hotline agent was rude", self.attitude),
            ("收费太高，服务费不透明", self.service_fees),
        ]
        for text, aspect in cases:
            with self.subTest(text=text):
                ticket = self._complaint(name=text, description=f"<p>{text}</p>")
                self.assertEqual(ticket.complaint_suggested_aspect_id, aspect)
                self.assertIn(
                    ticket.complaint_suggestion_source, ("classifier", "both")
                )
        # The settings show what was measured.
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.complaint_classifier_samples, len(history))
        self.assertEqual(settings.complaint_classifier_accuracy, classifier.accuracy)

    def test_not_enough_data(self):
        self._history()[:5].stage_id = self.done
        self.Ticket.search([("complaint_aspect_id", "!=", False)])[
            5:
        ].stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        classifier = self.Classifier._train(self.company)
        self.assertFalse(classifier.model_data)
        self.assertEqual(classifier.sample_count, 5)
        ticket = self._complaint(name="报价太贵", description="<p>价格</p>")
        self.assertFalse(ticket.complaint_suggested_aspect_id)

    def test_a_failing_suggestion_never_blocks_creation(self):
        self._history()
        self.Classifier._train(self.company)
        with (
            patch.object(
                HelpdeskComplaintClassifier,
                "_predict",
                side_effect=ZeroDivisionError("broken model"),
            ),
            mute_logger("odoo.addons.crm_360.models.helpdesk_ticket_classification"),
        ):
            ticket = self._complaint(name="漏油", description="<p>漏油</p>")
        self.assertTrue(ticket.exists())
        self.assertFalse(ticket.complaint_suggested_aspect_id)

    def test_accept_correct_and_manual(self):
        ticket = self._complaint(
            name="漏油", description="<p>马上处理</p>", is_complaint=False
        )
        ticket.action_accept_complaint_suggestion()
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(ticket.complaint_aspect_id, self.quality)
        self.assertEqual(ticket.complaint_urgency, "high")
        self.assertEqual(ticket.complaint_classification_state, "accepted")
        corrected = self._complaint(name="漏油", description="<p>?</p>")
        with Form(corrected) as form:
            form.complaint_aspect_id = self.price
        self.assertEqual(corrected.complaint_classification_state, "corrected")
        manual = self._complaint(name="Hello", description="<p>?</p>")
        self.assertFalse(manual.complaint_classification_state)
        with self.assertRaisesRegex(UserError, "no suggestion"):
            manual.action_accept_complaint_suggestion()
        manual.complaint_aspect_id = self.attitude
        self.assertEqual(manual.complaint_classification_state, "manual")
        # Corrections are training data once the complaint is closed.
        corrected.stage_id = self.done
        samples = self.Classifier._training_samples(self.company)
        self.assertIn(
            (corrected.id, str(self.price.id)),
            [(ticket_id, label) for ticket_id, label, _tokens in samples],
        )
        # Suggest again after the text changed.
        manual_2 = self._complaint(name="Hello", description="<p>?</p>")
        manual_2.description = "<p>态度很差</p>"
        manual_2.action_suggest_complaint_classification()
        self.assertEqual(manual_2.complaint_suggested_aspect_id, self.attitude)

    def test_minimum_confidence(self):
        self.env["ir.config_parameter"].set_param(
            "crm_360.complaint_suggestion_min_percent", "90"
        )
        ticket = self._complaint(name="漏油", description="<p>?</p>")
        self.assertFalse(ticket.complaint_suggested_aspect_id)
        settings = self.env["res.config.settings"].create({})
        with self.assertRaises(ValidationError):
            settings.complaint_suggestion_min_percent = 0
            settings.execute()

    def test_mail_gateway_gets_a_suggestion(self):
        self.team.alias_name = "c360-complaints"
        message = (
            "From: Wang Fang <wang.fang@example.com>\r\n"
            "To: c360-complaints@example.com\r\n"
            "Subject: 水泵漏油\r\n"
            "Message-ID: <c360-leak@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "漏油很严重，请马上处理。\r\n"
        )
        thread_id = self.env["mail.thread"].message_process(
            "helpdesk.ticket", message.encode(), custom_values={"team_id": self.team.id}
        )
        ticket = self.Ticket.browse(thread_id)
        self.assertEqual(ticket.complaint_suggested_aspect_id, self.quality)
        self.assertEqual(ticket.complaint_suggested_urgency, "high")

    def test_rules_access_and_bad_input(self):
        rule = self.Keyword.with_user(self.helpdesk_manager).create(
            {
                "phrase": "太慢",
                "category_id": self.env.ref(
                    "crm_360.complaint_category_product_performance"
                ).id,
            }
        )
        with self.assertRaises(AccessError):
            self.Keyword.with_user(self.agent).create(
                {"phrase": "slow", "urgency": "low"}
            )
        with self.assertRaises(AccessError):
            rule.with_user(self.agent).phrase = "slow"
        with self.assertRaisesRegex(ValidationError, "suggests nothing"):
            self.Keyword.create({"phrase": "hmm"})
        with self.assertRaisesRegex(ValidationError, "needs a phrase"):
            self.Keyword.create({"phrase": "  ", "urgency": "low"})
        # An agent accepts the suggestion on his own complaint.
        ticket = self._complaint(
            name="漏油",
            description="<p>?</p>",
            team_id=self.team.id,
            user_id=self.agent.id,
        )
        ticket.with_user(self.agent).action_accept_complaint_suggestion()
        self.assertEqual(ticket.complaint_aspect_id, self.quality)

    def test_huge_and_hostile_text(self):
        # A very long complaint is registered and still gets its suggestion.
        text = "水泵漏油。" + "The pump makes noise again and again. " * 20000
        ticket = self._complaint(name="Long complaint", description=f"<p>{text}</p>")
        self.assertEqual(ticket.complaint_suggested_aspect_id, self.quality)
        # Scripts in a complaint, a solution or a keyword never reach the page.
        hostile = self._complaint(
            name="<b>漏油</b>",
            description='<p>漏油<script>alert("x")</script>'
            '<img src=x onerror="alert(1)"></p>',
        )
        self.assertNotIn("<script", hostile.description)
        self.assertNotIn("onerror", hostile.description)
        solution = self.env["helpdesk.complaint.solution"].create(
            {
                "name": "Seal",
                "complaint_aspect_id": self.quality.id,
                "solution": "<p>Replace<script>alert(1)</script></p>",
                "problem": '<p onclick="alert(1)">Leak</p>',
            }
        )
        self.assertNotIn("<script", solution.solution)
        self.assertNotIn("onclick", solution.problem)

    def test_no_guess_without_a_known_word(self):
        self._history()
        self.Classifier._train(self.company)
        ticket = self._complaint(name="Zzz", description="<p>qwerty xyzzy</p>")
        self.assertFalse(ticket.complaint_suggested_aspect_id)
        self.assertFalse(ticket.complaint_classification_state)

    def test_keyword_rules_win_over_a_sure_classifier(self):
        """Two rules say quality, an over-confident model says performance: the
        rules decide; the model alone suggests only where no rule matches."""
        performance = self.env.ref("crm_360.complaint_category_product_performance")
        self.Keyword.create({"phrase": "质量", "category_id": self.quality.id})
        self.Classifier._train(self.company)
        text = "新到的水泵漏油，质量太差"
        cases = [
            # (classifier's probabilities, aspect, source)
            ({performance.id: 0.97, self.quality.id: 0.03}, self.quality, "keywords"),
            ({performance.id: 0.2, self.quality.id: 0.8}, self.quality, "both"),
        ]
        for probabilities, aspect, source in cases:
            with (
                self.subTest(source=source),
                patch.object(
                    HelpdeskComplaintClassifier, "_predict", return_value=probabilities
                ),
            ):
                ticket = self._complaint(name=text, description=f"<p>{text}</p>")
                self.assertEqual(ticket.complaint_suggested_aspect_id, aspect)
                self.assertEqual(ticket.complaint_suggestion_source, source)
                self.assertGreaterEqual(ticket.complaint_suggestion_confidence, 2 / 3)
        # No rule names an aspect: the classifier suggests alone.
        with patch.object(
            HelpdeskComplaintClassifier,
            "_predict",
            return_value={performance.id: 0.9, self.quality.id: 0.1},
        ):
            ticket = self._complaint(
                name="新到的水泵达不到额定流量", description="<p>流量不够</p>"
            )
        self.assertEqual(ticket.complaint_suggested_aspect_id, performance)
        self.assertEqual(ticket.complaint_suggestion_source, "classifier")
        self.assertAlmostEqual(ticket.complaint_suggestion_confidence, 0.9)
