import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { Pager } from "@web/core/pager/pager";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { CrmLedgerOpenItems } from "./ledger_open_items";

/**
 * The balance ledger (saldokonto) of the partner: one page of res.partner.crm_ledger
 * at a time, so a partner with 100,000 lines opens as fast as one with ten. The page
 * size is the server's; only the answer to the latest request is shown.
 */
export class CrmLedger extends Component {
    static template = "crm_extended.CrmLedger";
    static components = { Pager, CrmLedgerOpenItems };
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        // Dates typed quickly or pages clicked fast: an older, slower answer must
        // never replace the newer one.
        this.keepLast = new KeepLast();
        this.state = useState({
            ledger: null,
            dateFrom: "",
            dateTo: "",
            offset: 0,
            loading: false,
            mode: "period", // or "open_items": all open items, most overdue first
        });
        onWillStart(() => this.load());
        onWillUpdateProps((nextProps) => {
            if (nextProps.record.resId !== this.props.record.resId) {
                // The form moved to another partner: start again on its default period.
                Object.assign(this.state, { ledger: null, dateFrom: "", dateTo: "", offset: 0 });
                return this.load(nextProps.record.resId);
            }
        });
    }

    get partnerId() {
        return this.props.record.resId;
    }

    async load(partnerId = this.partnerId) {
        if (!partnerId) {
            return;
        }
        this.state.loading = true;
        try {
            const ledger = await this.keepLast.add(
                this.orm.call("res.partner", "crm_ledger_page", [[partnerId]], {
                    date_from: this.state.dateFrom || false,
                    date_to: this.state.dateTo || false,
                    offset: this.state.offset,
                })
            );
            this.state.ledger = ledger;
            this.state.dateFrom = ledger.date_from || "";
            this.state.dateTo = ledger.date_to || "";
        } finally {
            this.state.loading = false;
        }
    }

    setMode(mode) {
        this.state.mode = mode;
    }

    onDateChange(field, ev) {
        this.state[field] = ev.target.value;
        this.state.offset = 0;
        return this.load();
    }

    onPagerUpdate({ offset }) {
        this.state.offset = offset;
        return this.load();
    }

    money(value) {
        const ledger = this.state.ledger;
        const digits = (ledger.currency_digits || {})[ledger.currency];
        return formatMonetary(value, {
            currencyId: ledger.currency_id,
            digits: digits === undefined ? undefined : [69, digits],
        });
    }

    date(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    foreign(line) {
        if (!line.foreign_currency) {
            return line.currency || "";
        }
        const digits = (this.state.ledger.currency_digits || {})[line.foreign_currency];
        const amount = formatFloat(line.amount_currency, {
            digits: [69, digits === undefined ? 2 : digits],
        });
        return `${amount} ${line.foreign_currency}`;
    }

    lineClass(line) {
        return {
            o_crm_ledger_open: line.is_open,
            o_crm_ledger_overdue: line.is_overdue,
            "text-danger": line.is_overdue,
            "fw-bold": line.is_open,
        };
    }

    sideLabel(line) {
        return line.account_type === "liability_payable" ? _t("Payable") : _t("Receivable");
    }

    openMove(line) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "account.move",
            res_id: line.move_id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    async runAction(method, kwargs) {
        const action = await this.orm.call("res.partner", method, [[this.partnerId]], kwargs);
        return this.action.doAction(action);
    }

    printStatement() {
        return this.runAction("action_crm_ledger_statement", {
            date_from: this.state.dateFrom || false,
            date_to: this.state.dateTo || false,
        });
    }

    printConfirmation() {
        return this.runAction("action_crm_ledger_confirmation", {
            date_to: this.state.dateTo || false,
        });
    }

    exportXlsx() {
        return this.runAction("action_crm_ledger_xlsx", {
            date_from: this.state.dateFrom || false,
            date_to: this.state.dateTo || false,
        });
    }
}

registry.category("view_widgets").add("crm_ledger", { component: CrmLedger });
