import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_card_lazy_pager", {
    steps: () => [
        {
            content: "Find the two customers",
            trigger: ".o_searchview_input",
            run: "edit Lazy Pager",
            // The first load builds the assets: slow on a busy machine.
            timeout: 60000,
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "As a list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:eq(1) td:contains(Lazy Pager Beta)",
        },
        {
            content: "Open the first customer",
            trigger: ".o_list_view .o_data_row td:contains(Lazy Pager Alpha)",
            run: "click",
        },
        {
            content: "Open its communications",
            trigger: ".o_notebook a[name='crm_card_communications']",
            run: "click",
        },
        {
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Pager note of Lazy Pager Alpha)",
        },
        {
            content: "Next customer",
            trigger: ".o_pager_next",
            run: "click",
        },
        {
            content: "The tab stays open and shows the next customer's rows",
            trigger: ".o_notebook a[name='crm_card_communications'].active",
        },
        {
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Pager note of Lazy Pager Beta)",
        },
        {
            content: "Not the first customer's",
            trigger: ".o_notebook div[name='card_timeline_ids']:not(:has(td:contains(Lazy Pager Alpha)))",
        },
    ],
});
