# crm_360 developer entry point.  Odoo 18.0 source is expected at ODOO_SRC (/opt/odoo18).
#   make run    demo server on http://127.0.0.1:8069 (admin/admin)
#   make test   fresh database, all crm_360 tests, one line "N passed, M failed"
#   make lint   the pre-commit hooks: ruff, pylint-odoo mandatory checks, prettier (XML), eslint
#   make format rewrite Python (ruff) and the files prettier checks, in place
#   make bench  benchmarks (tagged out of the standard run)
#   make peer-test  Odoo's and OCA's own suites of crm, sale_crm, sale_stock,
#               mass_mailing_crm, helpdesk_mgmt(_rating) with crm_360 installed
#   make pot    regenerate i18n/crm_360.pot from a fresh database
#   make scale  primary + streaming standby, Odoo workers on both, a bounded user load
.PHONY: setup run test lint format bench pot scale peer-test

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh

test: setup
	@bash tools/test.sh

lint: setup
	@bash tools/lint.sh

format: setup
	@bash tools/format.sh

bench: setup
	@CRM360_TEST_TAGS=crm360_bench/crm_360 bash tools/test.sh

pot: setup
	@bash tools/pot.sh

scale: setup
	@bash tools/scale.sh

peer-test: setup
	@bash tools/peer_test.sh
