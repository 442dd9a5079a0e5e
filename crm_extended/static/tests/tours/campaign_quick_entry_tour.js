import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_campaign_quick_entry", {
    steps: () => [
        {
            content: "An exhibition shows no mailing stages",
            trigger: ".o_form_view .o_form_statusbar:not(:has(.o_statusbar_status))",
        },
        {
            content: "Open the quick entry of the fair campaign",
            trigger: ".o_form_view button[name='action_quick_entry']",
            run: "click",
        },
        {
            content: "The quick entry lists the fair's member; reload the browser",
            trigger: ".o_list_view .o_data_row:contains('Stand Regular')",
            run() {
                location.reload();
            },
        },
        {
            content: "After the reload: still only the fair's members",
            trigger:
                ".o_list_view:has(.o_data_row:contains('Stand Regular')):not(:has(.o_data_row:contains('Other Fair Visitor')))",
        },
        {
            content: "Add a line for the visitor at the stand",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Type the visitor's company",
            trigger: ".o_selected_row div[name='partner_id'] input",
            run: "edit Stand Visitor",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item > a:contains('Stand Visitor s.r.o.')",
            run: "click",
        },
        {
            content: "Status: visited the stand",
            trigger: ".o_selected_row div[name='status'] input",
            run: "edit Visited",
        },
        {
            content: "Pick the status",
            trigger: ".o-autocomplete--dropdown-item > a:contains('Visited stand')",
            run: "click",
        },
        {
            content: "Write what they want",
            trigger: ".o_selected_row div[name='note'] textarea",
            run: "edit Wants a quote for two lathes",
        },
        {
            content: "Create an opportunity with it",
            trigger: ".o_selected_row div[name='create_opportunity'] input",
            run: "click",
        },
        {
            content: "Save the line",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The opportunity is on the saved line",
            trigger: ".o_data_row:not(.o_selected_row) div[name='lead_ids'] .o_tag",
        },
    ],
});
