import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_ledger_tab", {
    steps: () => [
        {
            content: "Open the ledger tab",
            trigger: ".o_notebook a[name='crm_ledger']",
            run: "click",
        },
        {
            content: "The opening line is there",
            trigger: ".o_crm_ledger_table .o_crm_ledger_opening",
        },
        {
            content: "The entry is a ledger line with its reference",
            trigger: ".o_crm_ledger_table .o_crm_ledger_line:contains('LEDGER-TOUR-REF')",
        },
        {
            content: "Its running balance is shown",
            trigger: ".o_crm_ledger_line .o_crm_ledger_balance:contains('123.00')",
        },
        {
            content: "The unpaid line due yesterday is open and marked overdue",
            trigger: ".o_crm_ledger_line.o_crm_ledger_open .o_crm_ledger_overdue_badge",
        },
        {
            content: "The closing balance is shown",
            trigger: ".o_crm_ledger_closing:contains('123.00')",
        },
        {
            content: "Keyboard: labelled date inputs and real buttons",
            trigger:
                ".o_crm_ledger label[for='crm_ledger_date_to'] + input#crm_ledger_date_to" +
                " ~ button[type='button'].o_crm_ledger_xlsx",
        },
        {
            content: "Click through to the journal entry",
            trigger: ".o_crm_ledger_line a.o_crm_ledger_move",
            run: "click",
        },
        {
            content: "The journal entry opens",
            trigger: ".o_breadcrumb:contains('LEDGER-TOUR-REF')",
        },
    ],
});
