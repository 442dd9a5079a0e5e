import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_selling_lost", {
    steps: () => [
        {
            content: "Mark the opportunity lost",
            trigger: ".o_form_view .o_form_statusbar button[data-hotkey='l']:contains('Lost')",
            run: "click",
            // The first load builds the assets: slow on a busy machine.
            timeout: 60000,
        },
        {
            content: "Give the lost reason",
            trigger: ".modal div[name='lost_reason_id'] input",
            run: "edit Tour: too expensive",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour: too expensive')",
            run: "click",
        },
        {
            content: "Name the competitor who won the order",
            trigger: ".modal div[name='lost_to_competitor_id'] input",
            run: "edit Tour Rival",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour Rival')",
            run: "click",
        },
        {
            content: "And its price",
            trigger: ".modal div[name='competitor_price'] input",
            run: "edit 4200",
        },
        {
            trigger: ".modal button[name='action_lost_reason_apply']",
            run: "click",
        },
        {
            content: "The opportunity is lost to the competitor",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=lost_to_competitor_id] input",
            run(helpers) {
                const input = helpers?.anchor || this.anchor;
                if (input.value !== "Tour Rival") {
                    throw new Error(`Lost to "${input.value}", not to Tour Rival`);
                }
            },
        },
        {
            content: "Open the customer (its link shows on hover)",
            trigger: ".o_form_view div[name='partner_id'] .o_external_button:not(:visible)",
            run(helpers) {
                (helpers?.anchor || this.anchor).click();
            },
        },
        {
            content: "Open the pipeline tab of the card",
            trigger: ".o_notebook a[name='crm_card_pipeline']",
            run: "click",
        },
        {
            content: "The card counts the offer lost to a competitor in the last 12 months",
            trigger: "tr[name='crm_card_offer_lost_to_competitor'] td:eq(1) div[name='card_lost_to_competitor_count_12m']:contains('1')",
        },
        {
            content: "And the lost revenue",
            trigger: "tr[name='crm_card_offer_lost'] div[name='card_offer_lost_amount_12m']:contains('5,000')",
        },
        {
            content: "Drill down to the opportunities lost to competitors",
            trigger: "tr[name='crm_card_offer_lost_to_competitor'] td:eq(1) button",
            run: "click",
        },
        {
            content: "The lost opportunity is behind the figure",
            trigger: ".o_list_view td[name='name']:contains('Tour lathe deal')",
        },
    ],
});
