"""Set-up shared by the telephony tests: an exchange, users with extensions, callers."""

import json

from odoo import Command
from odoo.tests import new_test_user

PBX_TOKEN = "crm-telephony-test-token-5f1c"
EVENT_URL = "/crm_extended/pbx/event"


def setup_telephony(cls):
    """Create the exchange, two users on extensions 201/202 and known callers."""
    env = cls.env
    cls.slovakia = env.ref("base.sk")
    cls.tel_company = env.company
    cls.pbx = env["crm_extended.pbx"].create(
        {
            "name": "Test exchange",
            "token": PBX_TOKEN,
            "country_id": cls.slovakia.id,
            "company_id": cls.tel_company.id,
        }
    )
    company_ids = [Command.set(cls.tel_company.ids)]
    cls.user_phone_sales = new_test_user(
        env,
        login="tel_salesperson",
        groups="base.group_user,base.group_partner_manager,"
        "crm_extended.group_card_user",
        company_id=cls.tel_company.id,
        company_ids=company_ids,
    )
    cls.user_phone_sales.crm_pbx_extension = "201"
    cls.user_phone_accountant = new_test_user(
        env,
        login="tel_accountant",
        groups="base.group_user,crm_extended.group_card_accountant",
        company_id=cls.tel_company.id,
        company_ids=company_ids,
    )
    cls.user_phone_accountant.crm_pbx_extension = "202"
    cls.caller_company = env["res.partner"].create(
        {
            "name": "Tatra Phone s.r.o.",
            "is_company": True,
            "country_id": cls.slovakia.id,
            "phone": "02 1234 5678",
        }
    )
    # Same switchboard number as the company: the contact person is preferred.
    cls.caller_contact = env["res.partner"].create(
        {
            "name": "Peter Phone",
            "parent_id": cls.caller_company.id,
            "phone": "+421 2 1234 5678",
            "mobile": "0905 123 456",
        }
    )


def json_body(**values):
    return json.dumps(values).encode()
