{
    "name": "Customer Card - Sales",
    "summary": "Warn, note or block when a quotation is confirmed for a customer "
    "graded E, over the credit limit or with a registry risk; quotations on the "
    "card's selling side",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "crm_extended developers",
    "website": "https://github.com/crm-extended/crm_extended",
    "development_status": "Alpha",
    "maintainers": ["crm-extended"],
    "depends": ["crm_extended", "sale", "sale_crm"],
    "data": [
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_registry_views.xml",
        "views/sale_order_selling_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
