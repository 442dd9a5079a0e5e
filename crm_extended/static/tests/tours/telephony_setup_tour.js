import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_pbx_setup", {
    steps: () => [
        {
            content: "The exchange form shows the full webhook URL with a copy button",
            trigger:
                ".o_form_view div[name='webhook_url']:contains('/crm_extended/pbx/event') .o_clipboard_button",
            run() {
                const url = document.querySelector(
                    ".o_form_view div[name='webhook_url'] span"
                ).textContent;
                if (!/^https?:\/\/[^/]+\/crm_extended\/pbx\/event$/.test(url.trim())) {
                    throw new Error(`The webhook URL is not absolute: "${url}"`);
                }
            },
        },
        {
            content: "The token has its copy button too",
            trigger: ".o_form_view div[name='token'] .o_clipboard_button",
        },
        {
            content: "Nothing was received yet",
            trigger: ".o_form_view:contains('Nothing received yet')",
        },
        {
            content: "Send a test event through the real endpoint",
            trigger: ".o_form_view button[name='action_send_test_event']",
            run: "click",
        },
        {
            content: "The endpoint answered",
            trigger: ".o_notification.o_crm_extended_pbx_test:contains('received the test event')",
        },
        {
            content: "The form shows the test event as the last one received",
            trigger: ".o_form_view div[name='last_event_type']:contains('Test')",
        },
        {
            content: "With its time",
            trigger: ".o_form_view div[name='last_event_at'] span:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_extended_own_extension", {
    steps: () => [
        {
            content: "Open the user menu",
            trigger: ".o_user_menu button",
            run: "click",
        },
        {
            content: "Open My Preferences",
            trigger: ".dropdown-item[data-menu='settings']",
            run: "click",
        },
        {
            content: "Type the extension",
            trigger: ".modal div[name='crm_pbx_extension'] input",
            run: "edit 215",
        },
        {
            content: "Save the preferences",
            trigger: ".modal button[name='preference_save']",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
