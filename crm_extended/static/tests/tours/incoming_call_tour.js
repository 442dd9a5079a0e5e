import { registry } from "@web/core/registry";

// The token of the exchange the Python test (test_tour_telephony.py) creates.
const TEST_PBX_TOKEN = "crm-telephony-test-token-5f1c";

async function waitForBusConnection() {
    const busService = odoo.__WOWL_DEBUG__.root.env.services.bus_service;
    for (let attempt = 0; attempt < 80; attempt++) {
        if (busService.workerState === "CONNECTED") {
            // Leave the worker time to subscribe to the user's channels.
            await new Promise((resolve) => setTimeout(resolve, 1000));
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("The bus never connected.");
}

registry.category("web_tour.tours").add("crm_extended_incoming_call", {
    steps: () => [
        {
            content: "Wait for the web client, then let the exchange ring extension 201",
            trigger: ".o_main_navbar",
            run: async () => {
                await waitForBusConnection();
                const response = await fetch("/crm_extended/pbx/event", {
                    method: "POST",
                    headers: {
                        "Content-Type": "application/json",
                        Authorization: `Bearer ${TEST_PBX_TOKEN}`,
                    },
                    body: JSON.stringify({
                        event: "ringing",
                        call_id: "tour-call-1",
                        number: "0905 123 456",
                        extension: "201",
                    }),
                });
                if (response.status !== 200) {
                    throw new Error(`The exchange was answered ${response.status}`);
                }
            },
        },
        {
            content: "The ring shows the caller and the company",
            trigger:
                ".o_crm_extended_incoming_call:contains('Peter Phone'):contains('Tatra Phone s.r.o.')",
        },
        {
            content: "Open the caller's card",
            trigger: ".o_crm_extended_incoming_call button:contains('Open card')",
            run: "click",
        },
        {
            content: "The company's card is open",
            trigger: ".o_form_view .o_breadcrumb:contains('Tatra Phone s.r.o.')",
        },
        {
            content: "The card shows the call statistics",
            trigger: ".o_notebook a[name='crm_card']",
            run: "click",
        },
        {
            content: "One call so far",
            trigger: ".o_notebook div[name='crm_call_count']:contains('1')",
        },
    ],
});
