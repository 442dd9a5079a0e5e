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
    "external_dependencies": {"python": ["stdnum"]},
    "data": [
        "security/crm_extended_security.xml",
        "security/ir.model.access.csv",
        "security/crm_extended_payment_snapshot_security.xml",
        "data/crm_extended_payment_cron.xml",
        "views/res_partner_views.xml",
        "views/res_partner_payment_views.xml",
        "views/crm_extended_payment_snapshot_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_move_views.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_extended/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
