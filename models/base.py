# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Guards that every crm_360 field gets by construction, on every model.

1. **What we compute cannot be typed.** A field that crm_360 declares
   ``readonly=True`` in the model (computed fields without an inverse, related
   fields, and fields only our code sets: analytics, scores, dates of state,
   costs, history) is written only by our code, which does so with superuser
   rights (``sudo()``) after its own checks. Over RPC, an import, a copy or a
   ``default_*`` context key, users get an ``AccessError``. A field that users
   may type despite ``readonly=True`` in the model says so with
   ``user_editable=True`` and a help text explaining why.

   Our code sets them inside ``with system_write():``, with the user's
   access rights and record rules still applied (a context variable, which no
   RPC call can set, unlike the context); or with superuser rights where the
   user may not write the record at all (a job, a stage history entry).

   A readonly *link* (a plain Many2one such as the complaint an order remedies,
   or the complaint a solution was extracted from) may be given when the record
   is created, by a user who may write the record it points to; it cannot be
   changed afterwards.

2. **Every setting has bounds.** A numeric field declared with
   ``bounds=(minimum, maximum)`` refuses, for everyone, a value outside them with
   a ``ValidationError`` in the user's language, before anything is written.
   Related fields (settings) inherit the bounds of their target.

3. **Wizards check what they are given.** A crm_360 wizard (transient model)
   created with a Many2one to a record the user may not read is refused, so that
   no wizard line or related field shows what the record rules hide.

The adversarial suite (tests/test_crm_360_guard.py) reads the same registry
helpers, so a field or model added later is covered without a list to update.
"""

import contextlib
import contextvars

from odoo import api, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.models import MAGIC_COLUMNS

MODULE = "crm_360"
GUARD_PARAMETERS = ("bounds", "user_editable")

_SYSTEM_WRITE = contextvars.ContextVar("crm360_system_write", default=False)


@contextlib.contextmanager
def system_write():
    """Let crm_360's own code set the fields users may not type, in the user's
    environment: access rights and record rules still apply."""
    token = _SYSTEM_WRITE.set(True)
    try:
        yield
    finally:
        _SYSTEM_WRITE.reset(token)


def is_trusted(env):
    """Whether the code running may set guarded fields."""
    return env.su or _SYSTEM_WRITE.get()


def is_crm360_field(field):
    """Whether crm_360 is the module that first declared ``field``."""
    base_fields = field.args.get("_base_fields") or ()
    first = base_fields[0]._module if base_fields else field._module
    return first == MODULE


def is_guarded_field(model, field):
    """Whether users may not type ``field`` of ``model`` (see the module doc)."""
    return (
        not model._transient
        and field.readonly
        and field.name not in MAGIC_COLUMNS
        and not getattr(field, "user_editable", False)
        and is_crm360_field(field)
    )


def is_link_field(field):
    """A readonly Many2one set once, at creation (not computed, not related) to a
    business document; who did what and in which company is ours to set."""
    return (
        field.type == "many2one"
        and not field.compute
        and not field.related
        and field.comodel_name not in ("res.users", "res.company")
    )


class Base(models.AbstractModel):
    _inherit = "base"

    def _valid_field_parameter(self, field, name):
        return name in GUARD_PARAMETERS or super()._valid_field_parameter(field, name)

    @api.model
    @tools.ormcache()
    def _crm360_guard(self):
        """This model's guarded field names, readonly link names, bounds by field
        name and the Many2one names a crm_360 wizard checks on creation."""
        guarded, links, bounds, references = set(), set(), {}, set()
        for name, field in self._fields.items():
            if getattr(field, "bounds", None) and field.type in (
                "integer",
                "float",
                "monetary",
            ):
                bounds[name] = tuple(field.bounds)
            if is_guarded_field(self, field):
                (links if is_link_field(field) else guarded).add(name)
            elif (
                self._transient
                and field.type == "many2one"
                and not field.related
                and field.comodel_name not in ("res.users", "res.company")
                and is_crm360_field(field)
            ):
                references.add(name)
        return (
            frozenset(guarded),
            frozenset(links),
            tuple(sorted(bounds.items())),
            frozenset(references),
        )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _crm360_model_label(self):
        """The model's name in the user's language (descriptions are English)."""
        return self.env["ir.model"].sudo()._get(self._name).name or self._description

    def _crm360_check_bounds(self, vals):
        for fname, (minimum, maximum) in self._crm360_guard()[2]:
            value = vals.get(fname)
            if value is False:
                value = 0  # what the database stores for it
            if value is None or not isinstance(value, int | float):
                continue
            if minimum <= value <= maximum:
                continue
            field = self._fields[fname]
            raise ValidationError(
                self.env._(
                    '"%(field)s" (%(model)s) must be between %(minimum)s and '
                    "%(maximum)s; %(value)s is out of range.",
                    field=field._description_string(self.env),
                    model=self._crm360_model_label(),
                    minimum=minimum,
                    maximum=maximum,
                    value=value,
                )
            )

    def _crm360_refuse_typed(self, fnames):
        fields_ = [self._fields[fname] for fname in sorted(fnames)]
        raise AccessError(
            self.env._(
                "%(fields)s on %(model)s: computed or set by CRM 360 only; "
                "they cannot be typed, imported or copied.",
                fields=", ".join(
                    f'"{field._description_string(self.env)}"' for field in fields_
                ),
                model=self._crm360_model_label(),
            )
        )

    def _crm360_check_links(self, vals_list):
        """The records that readonly links point to must be writable by the user."""
        links = self._crm360_guard()[1]
        targets = {}
        for vals in vals_list:
            for fname in links:
                value = vals.get(fname)
                if value and isinstance(value, int):
                    targets.setdefault(self._fields[fname].comodel_name, set()).add(
                        value
                    )
        for comodel, ids in targets.items():
            records = self.env[comodel].browse(ids)
            existing = records.sudo().exists()
            if existing != records.sudo():
                raise AccessError(
                    self.env._("A linked record does not exist or was deleted.")
                )
            records.check_access("write")

    def _crm360_check_references(self):
        """A wizard shows nothing of a record its user may not read."""
        for fname in self._crm360_guard()[3]:
            targets = self[fname]
            if targets:
                targets.with_env(self.env).check_access("read")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _crm360_check_typed(self, vals_list, creating=True):
        """Refuse the guarded fields that users typed in ``vals_list`` (as
        values, or as ``default_*`` context keys on creation) and check the
        readonly links they give on creation (they cannot change them later).
        Our overrides that add guarded values to the values they receive call
        this first, then go on inside ``system_write()``."""
        guarded, links = self._crm360_guard()[:2]
        if not (guarded or links) or is_trusted(self.env):
            return
        if not creating:
            typed = (guarded | links).intersection(vals_list[0])
            if typed:
                self._crm360_refuse_typed(typed)
            return
        context_defaults = {
            key[8:]
            for key in self.env.context
            if key.startswith("default_") and key[8:] in guarded | links
        }
        typed = set(context_defaults & guarded)
        for vals in vals_list:
            typed.update(guarded.intersection(vals))
        if typed:
            self._crm360_refuse_typed(typed)
        if links:
            link_defaults = {
                fname: self.env.context[f"default_{fname}"]
                for fname in context_defaults & links
            }
            self._crm360_check_links(
                [dict(link_defaults, **vals) for vals in vals_list]
            )

    @api.model_create_multi
    def create(self, vals_list):
        bounds, references = self._crm360_guard()[2:]
        if bounds:
            for vals in vals_list:
                self._crm360_check_bounds(vals)
        self._crm360_check_typed(vals_list)
        records = super().create(vals_list)
        if references and not self.env.su:
            records._crm360_check_references()
        return records

    def write(self, vals):
        guarded, links, bounds, _references = self._crm360_guard()
        if bounds:
            self._crm360_check_bounds(vals)
        if guarded or links:
            self._crm360_check_typed([vals], creating=False)
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        guarded, links = self._crm360_guard()[:2]
        if (guarded or links) and not is_trusted(self.env):
            default = default or {}
            for vals in vals_list:
                for fname in (guarded | links).intersection(vals):
                    if fname not in default:
                        del vals[fname]
        return vals_list
