# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import suppress

from odoo.tools import translate
from odoo.tools.misc import file_path

# Modules whose *code* translations (``_()`` in Python, ``_t()`` in JS) crm_360
# supplies from ``i18n_extra/<module>/<lang>.po``.
CODE_TRANSLATION_MODULES = ("helpdesk_mgmt", "helpdesk_mgmt_rating")


def _crm_360_po_paths(module_name, lang):
    """Yield crm_360's po files that extend ``module_name``'s code translations
    for ``lang`` (the base language first, then the language itself), only
    those that exist."""
    lang_base = lang.split("_", 1)[0]
    for name in dict.fromkeys((lang_base, lang)):
        with suppress(FileNotFoundError):
            yield file_path(f"crm_360/i18n_extra/{module_name}/{name}.po")


def post_load():
    """Give OCA ``helpdesk_mgmt`` and ``helpdesk_mgmt_rating`` the Simplified
    Chinese of their Python and JavaScript messages.

    Why: they ship no zh_CN, and a crm_360 user works in their screens (the
    portal's ticket search, "Open Tickets", the duplicate wizard's error, the
    attachment size message). The terms of their models and views are
    database terms that crm_360 imports with its own
    ``i18n_extra/zh_CN.po``; but Odoo reads *code* translations only from the
    module's own ``i18n/`` and ``i18n_extra/`` folders
    (``odoo.tools.translate.CodeTranslations`` calls ``get_po_paths``). So
    ``get_po_paths`` is wrapped: for those modules it also yields
    ``crm_360/i18n_extra/<module>/<lang>.po`` when it exists, after the
    module's own files (crm_360's wording wins where both translate a
    message). These files are meant to be contributed upstream to OCA.

    Only ``odoo.tools.translate.get_po_paths`` is wrapped, which code
    translations look up at call time: the database import of module terms
    (``ir.module.module._load_module_terms``, mail's template reset) bound the
    original function at import and does not read these files, so nothing is
    imported twice. The hook is server-wide (``post_load`` runs once per
    process, when crm_360 is imported)."""
    original = translate.get_po_paths
    if getattr(original, "_crm_360_wrapped", False):
        return

    def get_po_paths(module_name, lang, env=None):
        yield from original(module_name, lang, env=env)
        if module_name in CODE_TRANSLATION_MODULES:
            yield from _crm_360_po_paths(module_name, lang)

    get_po_paths._crm_360_wrapped = True
    get_po_paths.__wrapped__ = original
    get_po_paths.__doc__ = original.__doc__
    translate.get_po_paths = get_po_paths
    # Code translations are cached per process on first use: drop any entry
    # read before this hook so the next read includes crm_360's files.
    code_translations = translate.code_translations
    for cache in (
        code_translations.python_translations,
        code_translations.web_translations,
    ):
        for key in [key for key in cache if key[0] in CODE_TRANSLATION_MODULES]:
            del cache[key]
