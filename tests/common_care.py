# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common_erp import ErpCommon


class CareCommon(ErpCommon):
    """Customer care: ERP and customer value data plus a care manager of the
    main company, who plans the campaigns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_manager = cls._new_user(
            "c360_care_manager",
            "base.group_user,crm_360.group_care_manager",
            company=cls.company,
            name="Care Manager",
        )
