import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { Pager } from "@web/core/pager/pager";
import { useService } from "@web/core/utils/hooks";
import { formatMonetary } from "@web/views/fields/formatters";

const PAGE_SIZE = 80;

/**
 * The ledger's "Open items" mode: every item of the partner still open, whatever
 * its period, most overdue first (res.partner.crm_ledger_open_items), with the
 * card's totals, and the open items list as PDF and XLSX.
 */
export class CrmLedgerOpenItems extends Component {
    static template = "crm_extended.CrmLedgerOpenItems";
    static components = { Pager };
    static props = { partnerId: Number };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ items: null, offset: 0 });
        onWillStart(() => this.load());
        onWillUpdateProps((nextProps) => {
            if (nextProps.partnerId !== this.props.partnerId) {
                this.state.offset = 0;
                return this.load(nextProps.partnerId);
            }
        });
    }

    async load(partnerId = this.props.partnerId) {
        this.state.items = await this.orm.call(
            "res.partner",
            "crm_ledger_open_items",
            [[partnerId]],
            { offset: this.state.offset, limit: PAGE_SIZE }
        );
    }

    onPagerUpdate({ offset }) {
        this.state.offset = offset;
        return this.load();
    }

    money(value) {
        return formatMonetary(value, { currencyId: this.state.items.currency_id });
    }

    date(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    inCurrency(line) {
        if (!line.foreign_currency) {
            return line.currency;
        }
        return `${line.amount_currency.toFixed(2)} ${line.foreign_currency}`;
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

    async runAction(method) {
        const action = await this.orm.call("res.partner", method, [[this.props.partnerId]]);
        return this.action.doAction(action);
    }
}
