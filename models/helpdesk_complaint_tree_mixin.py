# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


def tree_object_field(selection, **kwargs):
    """The selection an entry of a complaint tree belongs to: set on a top entry,
    followed by the entries below it (``_tree_object_field`` names it)."""
    return fields.Selection(
        selection,
        compute="_compute_tree_object",
        store=True,
        precompute=True,
        readonly=False,
        recursive=True,
        required=True,
        **kwargs,
    )


def tree_name_unique(message):
    """The SQL constraint keeping the names of siblings unique, per company and
    among shared entries."""
    return (
        "name_parent_uniq",
        "unique nulls not distinct (name, parent_id, company_id)",
        message,
    )


class HelpdeskComplaintTreeMixin(models.AbstractModel):
    """A tree of the complaint analysis (the complaint categories, the root causes):
    entries under parents, named by their path, each tied to the object set on its
    top entry, shared between companies or kept to one.

    A model inheriting it declares:

    - ``parent_id`` (Many2one to itself, ``ondelete="restrict"``,
      ``check_company=True``) and ``child_ids``, labelled for its entries;
    - its object field with :func:`tree_object_field` and its name in
      ``_tree_object_field``;
    - ``_sql_constraints = [tree_name_unique(message)]``.

    The parent store refuses loops; ``_rec_name`` makes the complete name the one
    searched and shown.
    """

    _name = "helpdesk.complaint.tree.mixin"
    _description = "Complaint Analysis Tree"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _check_company_auto = True
    # The field made with tree_object_field().
    _tree_object_field = None

    name = fields.Char(required=True, translate=True)
    parent_path = fields.Char(index=True)
    # Stored for searching and ordering, in every installed language: the path of
    # the translated names, so a Chinese user reads a Chinese path.
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True, translate=True
    )
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        # Each language's path is built from the names in that language (never
        # from the parent's stored path, which may not be computed yet in every
        # language); prefetch_langs reads all translations of a name at once.
        langs = self._complete_name_langs()
        for entry in self.with_context(prefetch_langs=True):
            path = entry.browse()
            node = entry
            while node and node not in path:  # the parent store refuses loops
                path = node + path
                node = node.parent_id
            for lang in langs:
                entry.with_context(lang=lang).complete_name = " / ".join(
                    part.with_context(lang=lang).name or "" for part in path
                )

    @api.model
    def _complete_name_langs(self):
        """en_US (the source every translation falls back to) and the installed
        languages."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        return ["en_US"] + [code for code in installed if code != "en_US"]

    @api.model
    def _recompute_complete_names(self):
        """Rebuild the paths of every model with a complaint tree, in every
        language: after translations were loaded from files (which write the
        names in SQL, unseen by the ORM)."""
        for model_name in self.env.registry.descendants([self._name], "_inherit"):
            Model = self.env[model_name].sudo().with_context(active_test=False)
            if Model._abstract or "complete_name" not in Model._fields:
                continue
            entries = Model.search([])
            entries.invalidate_recordset(["name", "complete_name"])
            self.env.add_to_compute(Model._fields["complete_name"], entries)
            entries.flush_recordset(["complete_name"])

    @api.depends(
        lambda self: [f"parent_id.{self._tree_object_field}"]
        if self._tree_object_field
        else []
    )
    def _compute_tree_object(self):
        fname = self._tree_object_field
        for entry in self:
            # A top entry keeps the object it was given.
            entry[fname] = entry.parent_id[fname] or entry[fname]
