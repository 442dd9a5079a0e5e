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

async function pbxEvent(body) {
    const response = await fetch("/crm_extended/pbx/event", {
        method: "POST",
        headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${TEST_PBX_TOKEN}`,
        },
        body: JSON.stringify(body),
    });
    if (response.status !== 200) {
        throw new Error(`The exchange was answered ${response.status}`);
    }
}

registry.category("web_tour.tours").add("crm_extended_incoming_call", {
    steps: () => [
        {
            content: "Wait for the web client, then let the exchange ring extension 201",
            trigger: ".o_main_navbar",
            run: async () => {
                await waitForBusConnection();
                await pbxEvent({
                    event: "ringing",
                    call_id: "tour-call-1",
                    number: "0905 123 456",
                    extension: "201",
                });
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
            content: "One call so far; the caller is answered, then hangs up",
            trigger: ".o_notebook div[name='crm_call_count']:contains('1')",
            run: async () => {
                await pbxEvent({ event: "answered", call_id: "tour-call-1" });
                await pbxEvent({ event: "hungup", call_id: "tour-call-1" });
            },
        },
        {
            content: "The end of the call offers to log it",
            trigger: ".o_crm_extended_call_ended button:contains('Log call')",
            run: "click",
        },
        {
            content: "Every outcome is on view in the quick form, no click needed",
            trigger:
                ".modal .o_field_widget[name='outcome']:contains('Follow-up Needed'):contains('Wrong Number')",
        },
        {
            content: "Choose the outcome",
            trigger: ".modal .o_field_widget[name='outcome'] .o_radio_item:contains('Resolved') input",
            run: "click",
        },
        {
            content: "Save the log",
            trigger: ".modal button[name='action_save']",
            run: "click",
        },
        {
            content: "An unknown number rings",
            trigger: "body:not(:has(.modal))",
            run: async () => {
                await pbxEvent({
                    event: "ringing",
                    call_id: "tour-call-2",
                    number: "+421 911 777 888",
                    extension: "201",
                });
            },
        },
        {
            content: "The ring of an unknown number offers to create the contact",
            trigger:
                ".o_crm_extended_incoming_call:contains('Unknown number') button:contains('Create contact')",
            run: "click",
        },
        {
            content: "The new contact has the caller's number",
            trigger: ".o_form_view .o_field_widget[name='phone'] input",
            run() {
                if (this.anchor.value !== "+421 911 777 888") {
                    throw new Error(`The phone is "${this.anchor.value}"`);
                }
            },
        },
        {
            content: "Name the new contact",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour New Caller",
        },
        {
            content: "Save the contact",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The contact is saved",
            trigger: ".o_breadcrumb .active:contains('Tour New Caller')",
        },
    ],
});
