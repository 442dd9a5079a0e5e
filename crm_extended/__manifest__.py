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
    "external_dependencies": {"python": ["stdnum", "requests"]},
    "data": [
        "security/crm_extended_security.xml",
        "security/ir.model.access.csv",
        "security/crm_extended_registry_check_security.xml",
        "views/res_partner_views.xml",
        "data/registry_provider_data.xml",
        "data/registry_cron.xml",
        "views/registry_provider_views.xml",
        "views/registry_check_views.xml",
        "wizards/registry_fill_views.xml",
        "views/res_partner_registry_views.xml",
        "views/account_payment_views.xml",
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
