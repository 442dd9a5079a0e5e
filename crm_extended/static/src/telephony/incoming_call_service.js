import { markup } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { escape } from "@web/core/utils/strings";

/**
 * Shows the caller's card while the phone rings.
 *
 * The server sends "crm_extended/incoming_call" on the bus to the user whose
 * extension rings, and "crm_extended/call_ended" when the call is over. A
 * ringing call becomes a sticky notification with a button that opens the card
 * (or creates a contact for an unknown number); when the call ends it is
 * replaced by one that offers to log the call.
 */
export const incomingCallService = {
    dependencies: ["action", "bus_service", "notification", "orm"],

    async start(env, { action, bus_service: busService, notification, orm }) {
        if (!(await user.hasGroup("crm_extended.group_card_user"))) {
            return;
        }
        /** call id -> function closing its notification */
        const shown = new Map();

        function body(lines) {
            return markup(lines.map((line) => escape(line)).join("<br/>"));
        }

        async function openCaller(callId) {
            const callAction = await orm.call("crm_extended.call", "action_open_caller", [
                [callId],
            ]);
            await action.doAction(callAction);
        }

        async function logCall(callId) {
            const logAction = await orm.call("crm_extended.call", "action_log_call", [
                [callId],
            ]);
            await action.doAction(logAction);
        }

        function showRinging(payload) {
            if (shown.has(payload.call_id)) {
                return;
            }
            const close = notification.add(body(payload.lines), {
                title: payload.title,
                type: "info",
                sticky: true,
                className: "o_crm_extended_incoming_call",
                buttons: [
                    {
                        name: payload.partner_id ? _t("Open card") : _t("Create contact"),
                        icon: payload.partner_id ? "fa-address-card" : "fa-user-plus",
                        primary: true,
                        onClick: () => {
                            close();
                            openCaller(payload.call_id);
                        },
                    },
                ],
                onClose: () => shown.delete(payload.call_id),
            });
            shown.set(payload.call_id, close);
        }

        function showEnded(payload) {
            shown.get(payload.call_id)?.();
            shown.delete(payload.call_id);
            const close = notification.add(payload.message, {
                type: payload.state === "missed" ? "warning" : "info",
                sticky: true,
                className: "o_crm_extended_call_ended",
                buttons: [
                    {
                        name: _t("Log call"),
                        icon: "fa-pencil",
                        primary: true,
                        onClick: () => {
                            close();
                            logCall(payload.call_id);
                        },
                    },
                ],
            });
        }

        busService.subscribe("crm_extended/incoming_call", showRinging);
        busService.subscribe("crm_extended/call_ended", showEnded);
        busService.start();
        // A call that began ringing before this page was opened.
        orm.silent
            .call("crm_extended.call", "crm_ringing_calls", [])
            .then((ringing) => ringing.forEach(showRinging));
    },
};

registry.category("services").add("crm_extended_incoming_call", incomingCallService);
