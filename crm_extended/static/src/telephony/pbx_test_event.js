import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * "Send Test Event" of the telephone exchange form.
 *
 * Posts {"event": "test"} to the exchange's full webhook URL with its token, the
 * way the exchange itself will, and tells the manager what the endpoint answered.
 * The form is then reloaded, where the event shows as the last one received.
 */
async function sendPbxTestEvent(env, action) {
    const { url, token } = action.params;
    let message;
    let type = "danger";
    try {
        const response = await fetch(url, {
            method: "POST",
            headers: {
                "Content-Type": "application/json",
                Authorization: `Bearer ${token}`,
            },
            body: JSON.stringify({ event: "test", call_id: `test-${Date.now()}` }),
        });
        const answer = await response.json().catch(() => ({}));
        if (response.ok && answer.ok) {
            type = "success";
            message = _t("%(url)s received the test event: the exchange can use it.", {
                url,
            });
        } else {
            message = _t("%(url)s answered HTTP %(status)s: %(error)s", {
                url,
                status: response.status,
                error: answer.error || response.statusText,
            });
        }
    } catch (error) {
        message = _t(
            "This browser could not reach %(url)s (%(error)s). Check web.base.url in the system parameters and the proxy in front of Odoo.",
            { url, error: error.message }
        );
    }
    env.services.notification.add(message, {
        type,
        sticky: type !== "success",
        className: "o_crm_extended_pbx_test",
    });
    return { type: "ir.actions.client", tag: "soft_reload" };
}

registry.category("actions").add("crm_extended.pbx_test_event", sendPbxTestEvent);
