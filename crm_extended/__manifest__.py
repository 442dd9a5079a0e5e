{
    "name": "Customer Card",
    "summary": "The customer card: balance ledger, payment behaviour, registry checks, "
    "campaign responses and role-based access on the partner",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "crm_extended developers",
    "website": "https://github.com/crm-extended/crm_extended",
    "development_status": "Alpha",
    "maintainers": ["crm-extended"],
    "depends": ["contacts", "account", "crm", "mass_mailing", "base_vat"],
    "external_dependencies": {"python": ["stdnum", "phonenumbers"]},
    "data": [
        "security/crm_extended_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
        "security/crm_extended_telephony_security.xml",
        "views/crm_extended_pbx_views.xml",
        "views/crm_extended_call_views.xml",
        "views/crm_extended_call_log_views.xml",
        "views/res_partner_telephony_views.xml",
        "views/res_users_views.xml",
        "views/crm_extended_telephony_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/crm_extended_call_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_extended/static/src/telephony/**/*",
        ],
        "web.assets_tests": [
            "crm_extended/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
