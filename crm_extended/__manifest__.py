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
        "views/res_partner_views.xml",
        "views/res_partner_ledger_views.xml",
        "report/ledger_reports.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_extended/static/src/ledger/**/*",
        ],
        "web.assets_tests": [
            "crm_extended/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
