import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_ledger_open_items", {
    steps: () => [
        {
            content: "The card opens on its own tab, with the summary strip on top",
            trigger: ".o_notebook .nav-link.active[name='crm_card']",
        },
        {
            content: "The strip shows the overdue amount and the oldest overdue days",
            trigger:
                ".o_crm_card_strip div[name='card_overdue_balance']:contains('400.00')",
        },
        {
            trigger: ".o_crm_card_strip div[name='payment_overdue_max_days']:contains('510')",
        },
        {
            content: "The ageing is right under it",
            trigger: ".o_crm_card_ageing div[name='payment_ageing_over_90']:contains('400.00')",
        },
        {
            content: "Open the ledger tab",
            trigger: ".o_notebook a[name='crm_ledger']",
            run: "click",
        },
        {
            content: "The default period ends today: this year's invoice is there",
            trigger: ".o_crm_ledger_table .o_crm_ledger_line:contains('OPEN-ITEMS-NEW')",
        },
        {
            content: "Switch to the open items",
            trigger: ".o_crm_ledger_mode_open_items",
            run: "click",
        },
        {
            content: "The oldest debt comes first, with its days overdue",
            trigger:
                ".o_crm_open_items_table tbody tr:first-child:contains('OPEN-ITEMS-OLD')" +
                " .o_crm_open_item_days:contains('510')",
        },
        {
            content: "The foreign-currency item shows its currency and amount",
            trigger: ".o_crm_open_items_table .o_crm_open_item_currency:contains('EUR')",
        },
        {
            content: "The totals are the card's",
            trigger: ".o_crm_open_items_overdue:contains('400.00')",
        },
        {
            content: "Back to the period",
            trigger: ".o_crm_ledger_mode_period",
            run: "click",
        },
        {
            trigger: ".o_crm_ledger_table .o_crm_ledger_opening",
        },
    ],
});
