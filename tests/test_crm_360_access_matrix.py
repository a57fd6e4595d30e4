# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix of the adversarial suite (issue 16, 6a).

Every model crm_360 creates, and every model it extends, read from the registry,
against every role of :data:`.crm_360_roles.ROLES`: first the access rights
(read/write/create/unlink) against an explicit expected table, then, on data of
each owner, what search/read/read_group/write/unlink do through the record rules.
A model added without a row in the table fails the test.
"""

import logging
import math

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .crm_360_roles import ROLES, Crm360RolesCase

_logger = logging.getLogger(__name__)

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

# The three own-documents salesmen have the same groups: one column, "salesman".
COLUMN = dict(
    {role: role for role in ROLES},
    salesman_a="salesman",
    salesman_b="salesman",
    salesman_company_b="salesman",
)

# model -> column -> the operations its access rights allow (r, w, c, u).
# A column not named has no access at all. Every model crm_360 creates or extends
# must have a row, even an empty one.
ACL_MATRIX = {
    "crm.care.campaign": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.care.campaign.member": {
        "salesman": "rw",
        "all_leads": "rw",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.care.campaign.occurrence": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.care.campaign.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.care.campaign.resource": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.care.holiday": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.care.holiday.date": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.competitor": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "r",
    },
    "crm.competitor.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.forecast.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.funnel.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.lead.competitor": {
        "salesman": "rwcu",
        "all_leads": "rwcu",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.lead.influencer": {
        "salesman": "rwcu",
        "all_leads": "rwcu",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.lead.influencer.memory": {
        "salesman": "rwcu",
        "all_leads": "rwcu",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.lead.influencer.memory.line": {
        "salesman": "rwcu",
        "all_leads": "rwcu",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.lead.reconciliation.report": {"sale_manager": "r", "finance": "r"},
    "crm.lead.stage.history": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.sales.activity.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.sales.target": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "r",
    },
    "crm.stage.aging.limit": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "r",
    },
    "crm.stage.time.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "crm.swot.factor": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "r",
    },
    "crm.swot.item": {
        "salesman": "rwcu",
        "all_leads": "rwcu",
        "sale_manager": "rwcu",
        "care_manager": "rwcu",
    },
    "crm.team.mail.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "care_manager": "r",
    },
    "crm.team.mail.report.log": {"sale_manager": "r"},
    "helpdesk.complaint.action": {
        "salesman": "rwc",
        "all_leads": "rwc",
        "sale_manager": "rwc",
        "helpdesk_own": "rwc",
        "helpdesk_team": "rwc",
        "helpdesk_user": "rwc",
        "helpdesk_manager": "rwcu",
        "employee": "rwc",
        "reviewer": "rwc",
        "finance": "rwc",
        "care_manager": "rwc",
    },
    "helpdesk.complaint.category": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "rwcu",
        "employee": "r",
        "portal": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "helpdesk.complaint.classifier": {"helpdesk_manager": "rwcu"},
    "helpdesk.complaint.coupon": {"sale_manager": "rwc"},
    "helpdesk.complaint.escalate": {
        "helpdesk_own": "rwc",
        "helpdesk_team": "rwc",
        "helpdesk_user": "rwc",
        "helpdesk_manager": "rwc",
    },
    "helpdesk.complaint.investigation": {
        "salesman": "rw",
        "all_leads": "rw",
        "sale_manager": "rw",
        "helpdesk_own": "rw",
        "helpdesk_team": "rw",
        "helpdesk_user": "rw",
        "helpdesk_manager": "rwcu",
        "employee": "rw",
        "reviewer": "rw",
        "finance": "rw",
        "care_manager": "rw",
    },
    "helpdesk.complaint.keyword": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "rwcu",
        "employee": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "helpdesk.complaint.priority": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "rwcu",
        "employee": "r",
        "portal": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "helpdesk.complaint.report": {
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "r",
    },
    "helpdesk.complaint.root.cause": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "rwcu",
        "employee": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "helpdesk.complaint.solution": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "rwc",
        "helpdesk_team": "rwc",
        "helpdesk_user": "rwc",
        "helpdesk_manager": "rwcu",
        "employee": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    # The handling log (escalation reasons included) is internal to the helpdesk.
    "helpdesk.complaint.step": {
        "helpdesk_own": "rc",
        "helpdesk_team": "rc",
        "helpdesk_user": "rc",
        "helpdesk_manager": "rwcu",
    },
    "helpdesk.ticket.stage.history": {
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "r",
    },
    "res.partner.pareto.report": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "res.partner.value.history": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "care_manager": "r",
    },
    "account.move": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "portal": "r",
        "finance": "rwcu",
        "care_manager": "r",
    },
    "crm.lead": {
        "salesman": "rwc",
        "all_leads": "rwc",
        "sale_manager": "rwcu",
        "finance": "r",
        "care_manager": "rwc",
    },
    "crm.lead.lost": {
        "salesman": "rwc",
        "all_leads": "rwc",
        "sale_manager": "rwc",
        "care_manager": "rwc",
    },
    "crm.stage": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "r",
        "employee": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "crm.team": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "rwcu",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "r",
        "employee": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "helpdesk.ticket": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "rwc",
        "helpdesk_team": "rwc",
        "helpdesk_user": "rwc",
        "helpdesk_manager": "rwcu",
        "employee": "r",
        "portal": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "loyalty.card": {
        "salesman": "rw",
        "all_leads": "rw",
        "sale_manager": "rwc",
        "care_manager": "rw",
    },
    "res.company": {
        "salesman": "r",
        "all_leads": "r",
        "sale_manager": "r",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "r",
        "employee": "r",
        "portal": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "r",
    },
    "res.config.settings": {},
    "res.partner": {
        "salesman": "rwc",
        "all_leads": "rwc",
        "sale_manager": "rwc",
        "helpdesk_own": "r",
        "helpdesk_team": "r",
        "helpdesk_user": "r",
        "helpdesk_manager": "r",
        "employee": "r",
        "portal": "r",
        "reviewer": "r",
        "finance": "r",
        "care_manager": "rwc",
    },
    "sale.order": {
        "salesman": "rwc",
        "all_leads": "rwc",
        "sale_manager": "rwcu",
        "portal": "r",
        "finance": "rw",
        "care_manager": "rwc",
    },
    "stock.picking": {
        "salesman": "rwc",
        "all_leads": "rwc",
        "sale_manager": "rwcu",
        "portal": "r",
        "finance": "rwc",
        "care_manager": "rwc",
    },
}

ACL, RULES = "access rights", "record rules"
# (model, role, operation) -> level, where a role may do what it should not: the
# expected value in the tables is the correct one; these cells are reported
# (INFO) instead of failing until they are fixed. A fixed hole fails the test,
# so that it is removed from here.
# None today. (Closed: "all documents" salesmen noting the response of any care
# member, issue 16 part 4: the member model now allows it only to the member's
# salesperson, the campaign's owner or team leader and care managers.)
KNOWN_HOLES = {}

# Record level. A family is a kind of fixture record (``Crm360RolesCase`` builds
# one per owner "a", "b", "cb") and the models that follow it: model -> the field
# giving the fixture record of a row ("id": the row is the record itself).
# VISIBLE: family -> role -> the owners whose rows the role may read; a role not
# named reads none. What a role may write or delete is what it may read, when its
# access rights allow the operation, except in RECORD_EXCEPTIONS.
FAMILIES = {
    "lead": {
        "crm.lead": "id",
        "crm.lead.influencer": "lead_id",
        "crm.lead.competitor": "lead_id",
        "crm.lead.stage.history": "lead_id",
        "crm.funnel.report": "lead_id",
        "crm.competitor.report": "lead_id",
        "crm.forecast.report": "lead_id",
    },
    "target": {"crm.sales.target": "id"},
    "ticket": {
        "helpdesk.ticket": "id",
        "helpdesk.ticket.stage.history": "ticket_id",
        "helpdesk.complaint.step": "ticket_id",
        "helpdesk.complaint.report": "ticket_id",
    },
    "campaign": {
        "crm.care.campaign": "id",
        "crm.care.campaign.occurrence": "campaign_id",
        "crm.care.campaign.member": "campaign_id",
        "crm.care.campaign.report": "campaign_id",
    },
}
_SALES_VISIBLE = {
    "salesman_a": {"a"},
    "salesman_b": {"b"},
    "salesman_company_b": {"cb"},
    "all_leads": {"a", "b"},
    "sale_manager": {"a", "b"},
    "care_manager": {"a", "b"},
}
VISIBLE = {
    # Finance reads every opportunity of its company (reconciliation).
    "lead": dict(_SALES_VISIBLE, finance={"a", "b"}),
    "target": _SALES_VISIBLE,
    "campaign": _SALES_VISIBLE,
    # Complaint "a" is assigned to helpdesk_own in desk A (helpdesk_team's desk
    # too) for the portal customer; "b" is unassigned in desk B; "cb" is of the
    # second company.
    "ticket": {
        "helpdesk_own": {"a"},
        "helpdesk_team": {"a"},
        "helpdesk_user": {"a", "b"},
        "helpdesk_manager": {"a", "b"},
        "portal": {"a"},
    },
}
# (model, role, operation) -> owners, where it differs from the rule above.
RECORD_EXCEPTIONS = {
    # Salesmen note the response of their own customers' members only; "all
    # documents" salesmen read every member but have no customer of their own.
    ("crm.care.campaign.member", "all_leads", "write"): set(),
}
# Operations tried for real (in a savepoint) rather than through check_access:
# the model enforces them in code as well.
WRITE_PROBES = {
    "crm.care.campaign.member": {"response_note": "Probed by the access matrix"},
}


@tagged("post_install", "-at_install")
class TestCrm360AccessMatrix(Crm360RolesCase):
    """Every crm_360 model x every role x every operation."""

    @classmethod
    def _matrix_models(cls):
        """The models crm_360 creates (SQL reports and wizards included) and the
        models it extends with fields of its own, from the registry."""
        created, extended = set(), set()
        for name, model in cls.env.registry.items():
            if model._abstract:
                continue
            if model._original_module == "crm_360":
                created.add(name)
            elif any(field._module == "crm_360" for field in model._fields.values()):
                extended.add(name)
        return sorted(created), sorted(extended)

    def _report_hole(self, model, role, op, expected, actual):
        self._holes_seen.add((model, role, op))
        _logger.info(
            "access matrix: known hole %s / %s / %s: expected %s, got %s",
            model,
            role,
            op,
            expected,
            actual,
        )

    def _check(self, model, role, op, expected, actual, what=""):
        self._checked += 1
        if expected == actual:
            return
        if (model, role, op) in KNOWN_HOLES:
            self._report_hole(model, role, op, expected, actual)
            return
        self.fail(
            f"{model} / role {role} / {op}{what}: expected {expected!r}, "
            f"got {actual!r}"
        )

    def _check_holes_still_open(self, level):
        for (model, role, op), hole_level in sorted(KNOWN_HOLES.items()):
            if hole_level != level or (model, role, op) in self._holes_seen:
                continue
            with self.subTest(model=model, role=role, op=op):
                self.fail(
                    f"{model} / role {role} / {op} is no longer a hole: remove it "
                    "from KNOWN_HOLES"
                )

    def test_registry_models_have_a_row(self):
        created, extended = self._matrix_models()
        self.assertGreaterEqual(len(created), 40)
        for required in ("crm.lead", "res.partner", "helpdesk.ticket"):
            self.assertIn(required, extended)
        for model in created + extended:
            with self.subTest(model=model):
                self.assertIn(
                    model,
                    ACL_MATRIX,
                    f"model {model} has no row in the access matrix (ACL_MATRIX)",
                )
        stale = set(ACL_MATRIX) - set(created) - set(extended)
        self.assertFalse(stale, f"rows of models that no longer exist: {stale}")
        for model, row in ACL_MATRIX.items():
            self.assertLessEqual(set(row), set(COLUMN.values()), model)
            for ops in row.values():
                self.assertLessEqual(set(ops), set(OPERATIONS), model)

    def test_access_rights(self):
        """Access rights (ACL level) of every role on every model."""
        self._checked, self._holes_seen = 0, set()
        created, extended = self._matrix_models()
        models = [model for model in created + extended if model in ACL_MATRIX]
        for model in models:
            for role, user in self.users.items():
                allowed = ACL_MATRIX[model].get(COLUMN[role], "")
                Model = self.env[model].with_user(user)
                for letter, op in OPERATIONS.items():
                    with self.subTest(model=model, role=role, op=op):
                        self._check(
                            model,
                            role,
                            op,
                            letter in allowed,
                            Model.has_access(op),
                            " (access rights)",
                        )
        self._check_holes_still_open(ACL)
        _logger.info(
            "access matrix: %s models x %s roles x %s operations = %s access "
            "rights checked",
            len(models),
            len(self.users),
            len(OPERATIONS),
            self._checked,
        )

    def _fixture(self, family):
        return {
            "lead": self.lead,
            "target": self.target,
            "ticket": self.ticket,
            "campaign": self.campaign,
        }[family]

    def _labels(self, rows, key, owner_of):
        values = rows.ids if key == "id" else rows.mapped(f"{key}.id")
        return {owner_of[value] for value in values if value in owner_of}

    def test_record_rules(self):
        """search, read, read_group, write and unlink of every role on the rows
        of each owner, for every model following a fixture record."""
        self._checked, self._holes_seen = 0, set()
        combinations = set()
        for family, models in FAMILIES.items():
            fixture = self._fixture(family)
            owner_of = {record.id: owner for owner, record in fixture.items()}
            for model, key in models.items():
                Model = self.env[model].with_context(active_test=False)
                domain = [(key, "in", list(owner_of))]
                rows = Model.search(domain)
                present = self._labels(rows, key, owner_of)
                self.assertEqual(
                    present,
                    {"a", "b", "cb"},
                    f"{model}: the fixture gives it no row of each owner",
                )
                for role, user in self.users.items():
                    combinations.add((model, role))
                    self._check_role(
                        family, model, key, role, user, domain, rows, owner_of
                    )
        self._check_holes_still_open(RULES)
        _logger.info(
            "access matrix: %s models x %s roles = %s pairs, %s record rule "
            "checks (search/read/read_group/write/unlink)",
            len({model for model, _role in combinations}),
            len(self.users),
            len(combinations),
            self._checked,
        )

    def _expected(self, family, model, role, op):
        if (model, role, op) in RECORD_EXCEPTIONS:
            return RECORD_EXCEPTIONS[model, role, op]
        acl = ACL_MATRIX[model].get(COLUMN[role], "")
        if op[0] not in acl:
            return set()
        return VISIBLE[family].get(role, set())

    def _check_role(self, family, model, key, role, user, domain, rows, owner_of):
        self.env.invalidate_all()  # each role in a request of its own
        Model = self.env[model].with_user(user).with_context(active_test=False)
        can_read = "r" in ACL_MATRIX[model].get(COLUMN[role], "")
        if not can_read:
            with self.subTest(model=model, role=role, op="search"):
                self._checked += 1
                with self.assertRaises(AccessError, msg=f"{model} / {role} / search"):
                    Model.search(domain)
            return
        expected = self._expected(family, model, role, "read")
        with self.subTest(model=model, role=role, op="search"):
            found = Model.search(domain)
            self._check(
                model, role, "search", expected, self._labels(found, key, owner_of)
            )
        with self.subTest(model=model, role=role, op="read_group"):
            groups = Model.read_group(domain, ["__count"], [])
            self._check(
                model,
                role,
                "read_group",
                len(found),
                groups[0]["__count"] if groups else 0,
                " (count of what it may search)",
            )
        if not self.env[model]._auto:
            return  # SQL report rows: read only, row ids are not stable
        for row in rows:
            owner = self._labels(row, key, owner_of).pop()
            mine = Model.browse(row.id)
            with self.subTest(model=model, role=role, op="read", owner=owner):
                self._check(
                    model,
                    role,
                    "read",
                    owner in expected,
                    self._allowed(lambda mine=mine: mine.read(["display_name"])),
                    f" (row of owner {owner})",
                )
            for op in ("write", "unlink"):
                allowed = owner in self._expected(family, model, role, op)
                if op == "write" and model in WRITE_PROBES:
                    probe = self._probe(mine, WRITE_PROBES[model])
                else:
                    probe = self._allowed(
                        lambda mine=mine, op=op: mine.check_access(op)
                    )
                with self.subTest(model=model, role=role, op=op, owner=owner):
                    self._check(
                        model, role, op, allowed, probe, f" (row of owner {owner})"
                    )

    @staticmethod
    def _allowed(call):
        try:
            call()
        except AccessError:
            return False
        return True

    def _probe(self, record, vals):
        """Whether the user may really write ``vals``; nothing is kept."""
        try:
            with self.env.cr.savepoint(flush=True) as sp:
                record.write(vals)
                record.env.flush_all()
                sp.rollback()
        except AccessError:
            return False
        finally:
            record.env.invalidate_all()
        return True

    def test_read_group_totals(self):
        """As each role, read_group's sums equal the sums over what the role may
        search, for every summed number of every crm_360 model (and of the
        opportunities and complaints)."""
        checked = 0
        created, _extended = self._matrix_models()
        models = [m for m in created if not self.env[m]._transient]
        models += ["crm.lead", "helpdesk.ticket"]
        for model in models:
            fields = [
                name
                for name, field in self.env[model]._fields.items()
                if field.store
                and field.type in ("integer", "float", "monetary")
                and field.aggregator == "sum"
                and name != "id"
                and (field._module == "crm_360" or model in created)
            ]
            if not fields:
                continue
            for role, user in self.users.items():
                if "r" not in ACL_MATRIX[model].get(COLUMN[role], ""):
                    continue
                # A request of its own: SQL report rows of another user's query
                # share ids with this one's (row numbers), and the cache is shared.
                self.env.invalidate_all()
                Model = self.env[model].with_user(user)
                # Internal fields (field groups) are refused to the role outright:
                # the portal test proves it; sum what it may read.
                readable = [
                    name
                    for name in fields
                    if Model._fields[name].is_accessible(Model.env)
                ]
                with self.subTest(model=model, role=role, op="read_group"):
                    groups = Model.read_group(
                        [], [f"{name}:sum" for name in readable] + ["__count"], []
                    )
                    rows = Model.search_read([], readable or ["id"])
                    total = groups[0] if groups else {}
                    self.assertEqual(
                        total.get("__count", 0),
                        len(rows),
                        f"{model} / role {role} / read_group: count",
                    )
                    for name in readable:
                        checked += 1
                        expected = sum(row[name] or 0 for row in rows)
                        got = total.get(name) or 0
                        self.assertTrue(
                            math.isclose(got, expected, rel_tol=1e-9, abs_tol=0.01),
                            f"{model} / role {role} / read_group: sum of {name} "
                            f"is {got}, the rows it may search sum to {expected}",
                        )
        _logger.info("access matrix: %s read_group sums checked", checked)
