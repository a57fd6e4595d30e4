# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The generated part of the adversarial suite: forged writes and bounds.

Nothing here lists fields by hand. Every field crm_360 declares is found in the
registry, so a field or model added later is covered as soon as it exists:

- every guarded field (readonly in the model: computed, related or set by our
  code) is refused to a user with every write right, through ``write``,
  ``create``, a ``default_*`` context key and ``copy``;
- every number users type has bounds, refused beyond them for everyone;
- every bounded field holding its maximum still lets forms be read and every
  scheduled job of crm_360 run.

Each failing case names the model and the field (``subTest``).
"""

import logging

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.base import is_crm360_field, is_guarded_field
from .common import Crm360SalesCommon

_logger = logging.getLogger(__name__)

# Numbers users type that need no bounds: the order and the colour of records.
UNBOUNDED_FIELDS = {"sequence", "color"}
NUMBER_TYPES = ("integer", "float", "monetary")
# Groups giving the writer every right crm_360's models grant (and no superuser).
WRITER_GROUPS = (
    "base.group_user,base.group_system,base.group_partner_manager,"
    "sales_team.group_sale_manager,helpdesk_mgmt.group_helpdesk_manager,"
    "account.group_account_manager,stock.group_stock_manager,"
    "crm_360.group_care_manager,crm_360.group_customer_reviewer,"
    "crm_360.group_sale_reconciliation,mass_mailing.group_mass_mailing_user"
)


def crm360_models(env):
    """The models that hold fields crm_360 declares, abstract ones excepted."""
    return [
        env[name]
        for name, model in sorted(env.registry.items())
        if not model._abstract
        and any(is_crm360_field(field) for field in model._fields.values())
    ]


def sample_value(env, field):
    """A plausible value of ``field``'s type, to forge with."""
    if field.type in ("integer", "float", "monetary"):
        return 7
    if field.type in ("char", "text", "html"):
        return "forged"
    if field.type == "boolean":
        return True
    if field.type == "date":
        return fields.Date.today()
    if field.type == "datetime":
        return fields.Datetime.now()
    if field.type == "selection":
        selection = field._description_selection(env)
        return selection[0][0] if selection else False
    if field.type == "many2one":
        target = env[field.comodel_name].sudo().search([], limit=1)
        return target.id or False
    if field.type in ("many2many", "one2many"):
        return [Command.clear()]
    if field.type == "json":
        return {"forged": 1}
    return False


@tagged("post_install", "-at_install")
class TestCrm360Guard(Crm360SalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writer = cls._new_user(
            "c360_writer",
            WRITER_GROUPS,
            company=cls.company,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
            name="Writer Of Everything",
        )
        cls.guarded = {
            model._name: sorted(
                name
                for name, field in model._fields.items()
                if is_guarded_field(model, field)
            )
            for model in crm360_models(cls.env)
            if model._auto and not model._transient
        }
        cls.guarded = {name: fnames for name, fnames in cls.guarded.items() if fnames}
        # A complaint, so that its stage history has an entry to forge on.
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Guard complaint", "description": "Leaks", "user_id": False}
        )

    def _assert_refused(self, call, model, fname):
        """``call`` is refused: by the guard (AccessError naming the field) or
        by the model's own rule met first (an append-only history, a
        required contact...). Nothing is written either way."""
        try:
            with self.env.cr.savepoint():
                call()
        except AccessError as error:
            label = self.env[model]._fields[fname]._description_string(self.env)
            self.assertIn(label, str(error), f"{model}.{fname}")
            return
        except (UserError, ValidationError):
            return
        self.fail(f"{model}.{fname}: a forged value was accepted")

    def _sample_record(self, model):
        return (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([], order="id desc", limit=1)
        )

    # ------------------------------------------------------------------
    # What we compute cannot be typed
    # ------------------------------------------------------------------

    def test_forged_writes_are_refused(self):
        """Writing any guarded field of an existing record is refused to a user
        with every write right, and nothing changes."""
        checked = 0
        for model, fnames in self.guarded.items():
            record = self._sample_record(model).with_user(self.writer)
            for fname in fnames:
                with self.subTest(model=model, field=fname):
                    value = sample_value(self.env, record._fields[fname])
                    self._assert_refused(
                        lambda r=record, f=fname, v=value: r.write({f: v}),
                        model,
                        fname,
                    )
                    checked += 1
        _logger.info(
            "forged writes refused: %s fields on %s models", checked, len(self.guarded)
        )
        self.assertGreater(checked, 100)

    def test_forged_creates_are_refused(self):
        """Creating a record with any guarded field typed, or given as a
        ``default_*`` context key, is refused (links: see the next test)."""
        checked = 0
        for model, fnames in self.guarded.items():
            Model = self.env[model].with_user(self.writer)
            for fname in fnames:
                field = Model._fields[fname]
                if field.type == "many2one" and not (field.compute or field.related):
                    continue
                with self.subTest(model=model, field=fname):
                    value = sample_value(self.env, field)
                    self._assert_refused(
                        lambda M=Model, f=fname, v=value: M.create([{f: v}]),
                        model,
                        fname,
                    )
                    self._assert_refused(
                        lambda M=Model, f=fname, v=value: M.with_context(
                            **{f"default_{f}": v}
                        ).create([{}]),
                        model,
                        fname,
                    )
                    checked += 1
        _logger.info("forged creates refused: %s fields", checked)
        self.assertGreater(checked, 100)

    def test_links_need_write_access_to_their_target(self):
        """A readonly link (an order to the complaint it remedies...) can be
        given at creation only by who may write its target, and never changed."""
        ticket = self.ticket
        salesman = self.user_own
        order_vals = {
            "partner_id": self.customer.id,
            "complaint_ticket_id": ticket.id,
        }
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(salesman).create(order_vals)
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .create({"partner_id": self.customer.id})
        )
        with self.assertRaises(AccessError):
            order.write({"complaint_ticket_id": ticket.id})
        self.assertFalse(order.complaint_ticket_id)
        # The complaint's handler may link a document at creation.
        handler = self._new_user(
            "c360_guard_handler",
            "base.group_user,sales_team.group_sale_salesman_all_leads,helpdesk_mgmt.group_helpdesk_manager",
        )
        order = self.env["sale.order"].with_user(handler).create(order_vals)
        self.assertEqual(order.complaint_ticket_id, ticket)

    def test_copies_drop_guarded_values(self):
        """A copy made by a user starts without our figures (our code computes
        them again), instead of failing."""
        self.env["res.partner"].browse(self.customer.id).with_company(
            self.company
        ).write({"rfm_monetary": 1234.0, "value_tier": "top"})
        copy = self.customer.with_user(self.user_manager).copy()
        self.assertFalse(copy.with_company(self.company).sudo().rfm_monetary)

    def test_analytics_cannot_be_typed(self):
        """The issue's case: a salesman cannot set a customer's monetary value."""
        partner = self.customer.with_user(self.user_own).with_company(self.company)
        with self.assertRaises(AccessError):
            partner.write({"rfm_monetary": 1_000_000})
        with self.assertRaises(AccessError):
            self.lead_own.with_user(self.user_own).write({"cute_score": 100})
        with self.assertRaises(AccessError):
            self.lead_own.with_user(self.user_own).write(
                {"stage_entered_date": "2000-01-01 00:00:00"}
            )
        # An import is a create/write too.
        result = (
            self.env["res.partner"]
            .with_user(self.user_manager)
            .load(["name", "rfm_monetary"], [["Imported Customer", "5000"]])
        )
        self.assertTrue(
            any(message["type"] == "error" for message in result["messages"])
        )
        self.assertFalse(result["ids"])

    # ------------------------------------------------------------------
    # Every setting has bounds
    # ------------------------------------------------------------------

    def test_every_typed_number_has_bounds(self):
        """Each number crm_360 lets users type declares ``bounds=(min, max)``."""
        checked = 0
        for model in crm360_models(self.env):
            if not (model._auto or model._transient):
                continue
            for name, field in model._fields.items():
                if (
                    field.type not in NUMBER_TYPES
                    or field.readonly
                    or field.related
                    or name in UNBOUNDED_FIELDS
                    or not is_crm360_field(field)
                ):
                    continue
                with self.subTest(model=model._name, field=name):
                    bounds = getattr(field, "bounds", None)
                    self.assertTrue(bounds, f"{model._name}.{name} has no bounds")
                    self.assertLessEqual(bounds[0], bounds[1])
                    checked += 1
        _logger.info("bounded settings and numbers: %s fields", checked)
        self.assertGreater(checked, 40)

    def _bounded_fields(self):
        for model in crm360_models(self.env):
            for name, (minimum, maximum) in model._crm360_guard()[2]:
                yield model, name, minimum, maximum

    def test_values_beyond_bounds_are_refused(self):
        """Above the maximum or below the minimum: a ValidationError for
        everyone (superuser included), on create and on write."""
        checked = 0
        for model, fname, minimum, maximum in self._bounded_fields():
            for value in (maximum + 1, minimum - 1, 2**31 - 1, -(2**31)):
                if minimum <= value <= maximum:
                    continue
                with self.subTest(model=model._name, field=fname, value=value):
                    with self.assertRaises(ValidationError):
                        model.browse().write({fname: value})
                    with self.assertRaises(ValidationError):
                        model.create([{fname: value}])
            checked += 1
        self.assertGreater(checked, 40)

    def test_settings_beyond_bounds_are_refused_in_settings(self):
        """The settings screen refuses them before saving anything."""
        Settings = self.env["res.config.settings"].with_user(self.writer)
        for fname, value in (
            ("cute_stale_days", 2**31 - 1),
            ("customer_rfm_window_days", 10**7),
            ("complaint_recurrence_days", 2**31 - 1),
        ):
            with self.subTest(field=fname), self.assertRaises(ValidationError):
                Settings.create({fname: value})
        self.assertEqual(self.company.customer_rfm_window_days, 365)

    def test_maximum_values_keep_screens_and_jobs_running(self):
        """Every bounded field at its maximum on the records that hold it: their
        forms still read, and every scheduled job of crm_360 still runs."""
        self.env["res.config.settings"].create(
            {
                fname: field.bounds[1]
                for fname, field in self.env["res.config.settings"]._fields.items()
                if getattr(field, "bounds", None)
                and is_crm360_field(field)
                and not field.related
            }
        ).execute()
        settings = self.env["crm.lead"]._get_cute_settings()
        self.assertEqual(settings["cute_stale_days"], 3650)
        touched = {}
        written = 0
        for model, fname, _minimum, maximum in self._bounded_fields():
            if model._transient or not model._auto:
                continue
            records = (
                model.sudo()
                .with_context(active_test=False)
                .search([], order="id desc", limit=3)
            )
            for record in records:
                try:
                    with self.env.cr.savepoint():
                        record.write({fname: maximum})
                        record.flush_recordset()
                except ValidationError:
                    # Another rule of the record refuses this combination
                    # (e.g. thresholds that must increase): the maximum is
                    # still accepted alone, as the previous test shows.
                    continue
                written += 1
                touched[record._name] = (
                    touched.get(record._name, record.browse()) | record
                )
        self.assertGreater(written, 20)
        # Forms: every field of every record touched, computed ones included.
        for model, records in touched.items():
            with self.subTest(model=model):
                names = [
                    name
                    for name, field in records._fields.items()
                    if field.type not in ("binary",)
                ]
                records.invalidate_recordset()
                records.read(names)
        # Jobs: every scheduled action crm_360 ships.
        crons = self.env["ir.model.data"].search(
            [("module", "=", "crm_360"), ("model", "=", "ir.cron")]
        )
        self.assertGreaterEqual(len(crons), 8)
        for cron in self.env["ir.cron"].browse(crons.mapped("res_id")):
            with self.subTest(cron=cron.cron_name):
                cron.ir_actions_server_id.run()


@tagged("post_install", "-at_install")
class TestCrm360WizardReferences(Crm360SalesCommon):
    """Every crm_360 wizard created with a reference to a record its user may
    not read is refused, whatever the wizard: found from the registry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._new_user(
            "c360_guard_agent", "base.group_user,helpdesk_mgmt.group_helpdesk_user_own"
        )
        cls.hidden_ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Not yours", "description": "Hidden", "user_id": False}
        )
        # An influencer on another salesman's deal: hidden from c360_own (built
        # here, never taken from demo data).
        cls.hidden_influencer = cls.env["crm.lead.influencer"].create(
            {
                "lead_id": cls.lead_other.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.roles = cls.user_own | cls.user_all | cls.agent | cls.user_internal

    def _readable_value(self, role, field):
        if field.type == "many2one" and self.env[field.comodel_name]._transient:
            # A wizard line: made within a wizard of the role's own.
            wizard = self.env[field.comodel_name].with_user(role)
            return wizard.create(self._required_values(role, wizard)).id
        if field.type == "many2one":
            return self.env[field.comodel_name].with_user(role).search([], limit=1).id
        if field.type in ("char", "text", "html"):
            return "x"
        if field.type == "selection":
            return field._description_selection(self.env)[0][0]
        if field.type in ("integer", "float", "monetary"):
            return 1
        return False

    def _required_values(self, role, model, skip=None):
        return {
            name: self._readable_value(role, field)
            for name, field in model._fields.items()
            if field.required and not field.default and name != skip and field.store
        }

    def test_wizards_refuse_hidden_references(self):
        checked = 0
        cases = []
        for model in crm360_models(self.env):
            if not model._transient:
                continue
            for fname in model._crm360_guard()[3]:
                field = model._fields[fname]
                candidates = (
                    self.env[field.comodel_name]
                    .sudo()
                    .with_context(active_test=False)
                    .search([], order="id desc", limit=200)
                )
                for role in self.roles:
                    if not model.with_user(role).has_access("create"):
                        continue
                    visible = (
                        self.env[field.comodel_name]
                        .with_user(role)
                        .with_context(active_test=False)
                        .search([("id", "in", candidates.ids)])
                    )
                    hidden = candidates - visible.sudo()
                    if not hidden:
                        continue
                    try:
                        vals = self._required_values(role, model, skip=fname)
                    except AccessError:
                        continue  # the role cannot open this wizard at all
                    vals[fname] = hidden[0].id
                    with self.subTest(model=model._name, field=fname, role=role.login):
                        with self.assertRaises(AccessError):
                            model.with_user(role).create(vals)
                        checked += 1
                        cases.append(f"{model._name}.{fname}/{role.login}")
        _logger.info(
            "wizard references refused: %s cases: %s", checked, ", ".join(cases)
        )
        self.assertGreater(checked, 3)
