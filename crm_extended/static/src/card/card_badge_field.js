import { registry } from "@web/core/registry";
import { BadgeField, badgeField } from "@web/views/fields/badge/badge_field";

/**
 * A badge whose tooltip is the text of another field of the record, named by the
 * `title_field` option (e.g. the payment grade with its reason).
 */
export class CardBadgeField extends BadgeField {
    static template = "crm_extended.CardBadgeField";
    static props = {
        ...BadgeField.props,
        titleField: { type: String, optional: true },
    };

    get title() {
        const name = this.props.titleField;
        return (name && this.props.record.data[name]) || "";
    }
}

export const cardBadgeField = {
    ...badgeField,
    component: CardBadgeField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...badgeField.extractProps(fieldInfo, dynamicInfo),
        titleField: fieldInfo.options.title_field,
    }),
};

registry.category("fields").add("crm_card_badge", cardBadgeField);
