{
    "name": "Customer Card - Surveys (NPS)",
    "summary": "The customer card's NPS from Odoo's surveys: mark a 0-10 question "
    "as NPS, send the survey to a campaign's members",
    "version": "18.0.1.0.0",
    "category": "Marketing/Surveys",
    "license": "LGPL-3",
    "author": "crm_extended developers",
    "website": "https://github.com/crm-extended/crm_extended",
    "development_status": "Alpha",
    "maintainers": ["crm-extended"],
    "depends": ["crm_extended", "survey"],
    "data": [
        "views/survey_question_views.xml",
        "views/utm_campaign_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
