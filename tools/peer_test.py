# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's server, running the peer suites on a fully loaded registry.

Run by tools/peer_test.sh as ``python tools/peer_test.py <odoo-bin options>``, on a
database where everything is already installed, WITHOUT ``-i``/``-u``.

Odoo runs a module's ``at_install`` tests while the registry is still loading,
right after that module: crm's tests would then run before crm_360 (and sale_stock,
helpdesk_mgmt...) are loaded, i.e. without the code under test, and fail on
columns of modules loaded later. Here the ``at_install`` tests run nowhere during
loading; once every installed module is loaded, they run together with the
``post_install`` tests, filtered by ``--test-tags``. Browser and HTTP tests
(``HttpCase``) are left out, the peer check being about the TransactionCase
suites, unless the environment sets CRM360_PEER_HTTP=1.
"""

import os
import sys

# As odoo-bin: the server's time zone is UTC, set before the time module is used.
os.environ["TZ"] = "UTC"
sys.path.insert(0, os.environ["ODOO_SRC"])

import odoo  # noqa: E402
from odoo.tools import config  # noqa: E402

# Run with --test-enable (checked by peer_test.sh): say so before the test
# framework is imported, or it logs an error about being imported outside tests.
config["test_enable"] = True
from odoo.tests import HttpCase, loader  # noqa: E402

_make_suite = loader.make_suite
_with_http = os.environ.get("CRM360_PEER_HTTP") == "1"


def make_suite(module_names, position="at_install"):
    if position == "at_install":
        return loader.OdooSuite([])
    tests = [
        test
        for stage in ("at_install", "post_install")
        for test in _make_suite(module_names, stage)
        if _with_http or not isinstance(test, HttpCase)
    ]
    return loader.OdooSuite(sorted(tests, key=lambda test: test.test_sequence))


loader.make_suite = make_suite

if __name__ == "__main__":
    odoo.cli.main()
