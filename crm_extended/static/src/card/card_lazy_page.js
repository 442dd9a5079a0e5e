import { Component, useState, useSubEnv } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { CallbackRecorder } from "@web/search/action_hook";
import { getDefaultConfig, View } from "@web/views/view";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// The action hooks View and useSetupAction register into (see action_hook.js).
const ACTION_HOOKS = [
    "__beforeLeave__",
    "__getGlobalState__",
    "__getLocalState__",
    "__getContext__",
    "__getOrderBy__",
];

/**
 * A tab of the card whose content is a form view of its own (``view_id``), loaded
 * when the tab is shown: web.Notebook mounts only the active page, while the
 * card's own read fetches every field of every page. The page is a read-only
 * form of the same partner, embedded as FormViewDialog embeds one: no control
 * panel (no breadcrumb, pager, save or discard), its own action config and hooks,
 * so it neither renames the card's breadcrumb nor takes part in the card's
 * leave/save, nor adds buttons to the dialog the card may be in. It reloads
 * when the card moves to another record, reloads it (after a button) or saves
 * it.
 */
export class CrmCardLazyPage extends Component {
    static template = "crm_extended.CrmCardLazyPage";
    static components = { View };
    static props = { ...standardWidgetProps, viewId: Number };

    setup() {
        // Not in a dialog even when the card is (a partner opened from a many2one):
        // a form in a dialog sends its Save and Discard to the dialog's footer.
        useSubEnv({ config: getDefaultConfig(), inDialog: false });
        this.state = useState({ generation: 0 });
        let seenRecordId = null;
        let seenDirty = false;
        useRecordObserver((record) => {
            const dirty = record.dirty;
            const resId = record.resId;
            const changed =
                record.id !== seenRecordId || (seenDirty && !dirty) || resId !== this.resId;
            seenRecordId = record.id;
            seenDirty = dirty;
            if (changed) {
                this.resId = resId;
                this.viewProps = this.makeViewProps(record);
                this.state.generation++;
            }
        });
    }

    makeViewProps(record) {
        // The card's context without what would make the page a new record or
        // filter a search the page does not have.
        const context = Object.fromEntries(
            Object.entries(record.context).filter(
                ([key]) =>
                    !key.startsWith("default_") &&
                    !key.startsWith("search_default_") &&
                    key !== "group_by"
            )
        );
        return {
            type: "form",
            resModel: record.resModel,
            resId: record.resId,
            viewId: this.props.viewId,
            context,
            display: { controlPanel: false },
            mode: "readonly",
            preventCreate: true,
            preventEdit: true,
            className: "o_crm_card_lazy_page",
            ...Object.fromEntries(ACTION_HOOKS.map((name) => [name, new CallbackRecorder()])),
        };
    }
}

export const crmCardLazyPage = {
    component: CrmCardLazyPage,
    extractProps: ({ attrs }) => ({ viewId: parseInt(attrs.view_id, 10) }),
};

registry.category("view_widgets").add("crm_card_lazy_page", crmCardLazyPage);
