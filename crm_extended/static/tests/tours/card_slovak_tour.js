import { registry } from "@web/core/registry";

// Tab names as a Slovak user must read them; each comes from crm_extended's sk.po.
const SLOVAK_TABS = [
    "Karta zákazníka",
    "Saldokonto",
    "Položky a ceny",
    "Zmluvy a reklamácie",
    "Komunikácia",
    "Kampane",
    "Karta zákazníka",
];

registry.category("web_tour.tours").add("crm_extended_card_slovak", {
    steps: () => [
        ...SLOVAK_TABS.map((label) => ({
            content: `The "${label}" tab is shown in Slovak`,
            trigger: `.o_notebook .nav-link:contains("${label}")`,
            run: "click",
        })),
        {
            content: "The open balance label is Slovak too",
            trigger: `.o_notebook label:contains("Otvorené saldo")`,
        },
    ],
});
