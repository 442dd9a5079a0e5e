import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

function recordId() {
    const match = window.location.pathname.match(/(\d+)\/?$/);
    return match && parseInt(match[1]);
}

async function readCard(fields) {
    const [record] = await rpc("/web/dataset/call_kw/res.partner/read", {
        model: "res.partner",
        method: "read",
        args: [[recordId()], fields],
        kwargs: {},
    });
    return record;
}

function textOf(selector) {
    const element = document.querySelector(selector);
    if (!element) {
        throw new Error(`${selector} is not on the card`);
    }
    return element.textContent.trim();
}

/**
 * The form shows only the first few smart buttons and folds the others into
 * "More"; how many depends on the screen width and on the other card features
 * installed. Open "More" (if there is one) so every button of the box can be read.
 */
function unfoldButtonBox() {
    const more = document.querySelector(".o-form-buttonbox .o_button_more");
    if (more && more.getAttribute("aria-expanded") !== "true") {
        more.click();
    }
}

function checkInteger(selector, expected) {
    const shown = parseInt(textOf(selector).replace(/[^\d-]/g, ""));
    if (shown !== expected) {
        throw new Error(`${selector} shows ${shown}, the server says ${expected}`);
    }
}

registry.category("web_tour.tours").add("crm_extended_card_full", {
    steps: () => [
        {
            content: "The card header shows the segments",
            trigger: "div[name='crm_card_header'] div[name='crm_segment_value_ids']:contains(Medium)",
        },
        {
            content: "The card header shows the salesperson",
            trigger: "div[name='crm_card_header'] div[name='user_id']:contains(Mitchell Admin)",
        },
        {
            content: "The card header shows the payment grade with its reason",
            trigger: "div[name='crm_card_header'] div[name='crm_card_badges'] div[name='payment_grade'] .badge.text-bg-success[title]:not([title=''])",
        },
        {
            content: "The card header shows the registry verdict",
            trigger: "div[name='crm_card_header'] div[name='crm_card_badges'] div[name='registry_status'] .badge.text-bg-success:contains(OK)",
        },
        {
            content: "Show the smart buttons folded into More, if any",
            trigger: ".o-form-buttonbox",
            run: unfoldButtonBox,
        },
        {
            content: "Contracts and complaints buttons count the demo records",
            trigger: "button[name='action_card_contracts'] .o_stat_value:contains(1)",
        },
        {
            trigger: "button[name='action_card_complaints'] .o_stat_value:contains(2)",
        },
        {
            content: "The invoices button counts the posted invoices",
            trigger: "button[name='action_card_invoices'] .o_stat_value",
            async run() {
                const card = await readCard(["card_invoice_total_count"]);
                checkInteger(
                    "button[name='action_card_invoices'] .o_stat_value",
                    card.card_invoice_total_count
                );
            },
        },
        {
            content: "Open the customer card tab",
            trigger: ".o_notebook a[name='crm_card']",
            run: "click",
        },
        {
            content: "The figures match the server",
            trigger: ".o_notebook div[name='card_invoice_count_12m']",
            async run() {
                const card = await readCard([
                    "card_invoice_count_12m",
                    "card_invoice_count_this_year",
                ]);
                if (card.card_invoice_count_12m < 1) {
                    throw new Error("The demo customer has no invoice in 12 months");
                }
                checkInteger("div[name='card_invoice_count_12m']", card.card_invoice_count_12m);
                checkInteger(
                    "div[name='card_invoice_count_this_year']",
                    card.card_invoice_count_this_year
                );
            },
        },
        {
            content: "Gross profit is shown to the accountant",
            trigger: ".o_notebook div[name='card_profit_12m']",
        },
        {
            content: "Contact persons with their role",
            trigger: ".o_notebook div[name='card_contact_ids'] td:contains(Decision Maker)",
        },
        {
            content: "Open the monthly trend",
            trigger: "button[name='action_card_sales_analysis']",
            run: "click",
        },
        {
            content: "The trend is a graph by month",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Back to the card",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Moravská)",
            run: "click",
        },
        {
            trigger: ".o_notebook a[name='crm_card_items']",
        },
        {
            content: "Open items and prices",
            trigger: ".o_notebook a[name='crm_card_items']",
            run: "click",
        },
        {
            content: "Top items",
            trigger: ".o_crm_card_top_items td:contains(Hydraulic pump HP-40)",
        },
        {
            content: "Special price of the pricelist",
            trigger: ".o_notebook div[name='card_pricelist_item_ids'] td:contains(Hydraulic pump HP-40)",
        },
        {
            content: "Open contracts and complaints",
            trigger: ".o_notebook a[name='crm_card_contracts']",
            run: "click",
        },
        {
            trigger: ".o_notebook div[name='card_contract_ids'] td:contains(SMV-2025/07)",
        },
        {
            trigger: ".o_notebook div[name='card_complaint_ids'] td:contains(Leaking pressure valves)",
        },
        {
            content: "One complaint is still open",
            trigger: ".o_notebook div[name='card_complaint_open_count']:contains(1)",
        },
        {
            content: "The communications are not read with the card: note one now",
            trigger: ".o_notebook a[name='crm_card_communications']",
            async run() {
                if (document.querySelector("div[name='card_timeline_ids']")) {
                    throw new Error("The communications are on the page before their tab");
                }
                await rpc("/web/dataset/call_kw/res.partner/message_post", {
                    model: "res.partner",
                    method: "message_post",
                    args: [[recordId()]],
                    kwargs: {
                        body: "Noted after the card was opened",
                        subject: "Lazy tab check",
                        message_type: "comment",
                        subtype_xmlid: "mail.mt_note",
                    },
                });
            },
        },
        {
            content: "Open the communications",
            trigger: ".o_notebook a[name='crm_card_communications']",
            run: "click",
        },
        {
            content: "The tab reads its rows when it is shown: the note is there",
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Lazy tab check)",
        },
        {
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Discuss the renewal)",
        },
        {
            content: "The tab is part of the card: no second save bar or breadcrumb",
            trigger: ".o_notebook div[name='card_timeline_ids']",
            run() {
                const pages = document.querySelectorAll(".o_notebook .o_crm_card_lazy_page");
                if (pages.length !== 1) {
                    throw new Error(`${pages.length} embedded pages shown, expected 1`);
                }
                if (pages[0].querySelector(".o_control_panel, .o_form_status_indicator")) {
                    throw new Error("The tab shows a control panel of its own");
                }
                if (!textOf(".o_breadcrumb").includes("Moravsk")) {
                    throw new Error("The card's breadcrumb lost the customer's name");
                }
            },
        },
        {
            content: "The tab's buttons work: filter the communications by type",
            trigger: ".o_notebook button[name='action_card_timeline']",
            run: "click",
        },
        {
            trigger: ".o_list_view td:contains(Lazy tab check)",
        },
        {
            content: "Back to the card, on the communications tab",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Moravská)",
            run: "click",
        },
        {
            trigger: ".o_notebook a[name='crm_card_communications'].active",
        },
        {
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Lazy tab check)",
        },
        {
            content: "Another note while the tab is shown",
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Lazy tab check)",
            async run() {
                await rpc("/web/dataset/call_kw/res.partner/message_post", {
                    model: "res.partner",
                    method: "message_post",
                    args: [[recordId()]],
                    kwargs: {
                        body: "Noted before the card was saved",
                        subject: "Lazy tab after save",
                        message_type: "comment",
                        subtype_xmlid: "mail.mt_note",
                    },
                });
            },
        },
        {
            content: "Edit the card",
            trigger: ".o_form_view div[name='phone'] input",
            run: "edit +420 555 010 203",
        },
        {
            content: "Save the card",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The tab is read again after the card is saved",
            trigger: ".o_notebook div[name='card_timeline_ids'] td:contains(Lazy tab after save)",
        },
    ],
});
