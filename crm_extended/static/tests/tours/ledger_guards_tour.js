import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

const { DateTime } = luxon;
const NBSP = "\u00a0";

function daysAgo(days) {
    return DateTime.now().minus({ days }).toISODate();
}

function setDateFrom(value) {
    const input = document.querySelector(".o_crm_ledger input.o_crm_ledger_date_from");
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// The next ledger page request answers 1.5 s late, after the one sent behind it.
function slowDownNextLedgerPage() {
    const original = rpc._rpc;
    rpc._rpc = function (url, params, settings) {
        const answer = original.call(this, url, params, settings);
        if (params && params.method === "crm_ledger_page") {
            rpc._rpc = original;
            return answer.then(
                (value) => new Promise((resolve) => setTimeout(() => resolve(value), 1500))
            );
        }
        return answer;
    };
}

// Three lines 60, 30 and 5 days ago; the server's page size is 2.
const PAGE_OF_TWO = ".o_crm_ledger .o_pager_counter:contains('1-2 / 3')";

function checkPageOfNinetyDays() {
    const input = document.querySelector(".o_crm_ledger input.o_crm_ledger_date_from");
    if (input.value !== daysAgo(90)) {
        throw new Error(`The ledger shows the period from ${input.value}, not the last 90 days.`);
    }
    const lines = document.querySelectorAll(".o_crm_ledger_table .o_crm_ledger_line");
    const counter = document.querySelector(".o_crm_ledger .o_pager_counter");
    const pager = counter ? counter.textContent.replace(/\s+/g, " ").trim() : "";
    if (lines.length !== 2 || pager !== "1-2 / 3") {
        throw new Error(`The ledger shows ${lines.length} lines (${pager}), not 1-2 / 3.`);
    }
}

registry.category("web_tour.tours").add("crm_extended_ledger_guards", {
    steps: () => [
        {
            content: "Open the ledger tab",
            trigger: ".o_notebook a[name='crm_ledger']",
            run: "click",
        },
        {
            content: "Show the last 90 days",
            trigger: ".o_crm_ledger input.o_crm_ledger_date_from",
            run: () => setDateFrom(daysAgo(90)),
        },
        {
            content: "The server's page size: two of the three lines, the pager says so",
            trigger: PAGE_OF_TWO,
            run: checkPageOfNinetyDays,
        },
        {
            content: "Amounts in the user's (Slovak) format, foreign ones with their decimals",
            trigger: ".o_crm_ledger_table .o_crm_ledger_line",
            run: () => {
                const [first, second] = document.querySelectorAll(".o_crm_ledger_line");
                const balance = first.querySelector(".o_crm_ledger_balance").textContent;
                if (!balance.includes(`1${NBSP}234,50`)) {
                    throw new Error(`The balance reads "${balance}", not 1${NBSP}234,50.`);
                }
                // The yen has no decimals.
                if (!second.textContent.includes(`1${NBSP}500 JPY`)) {
                    throw new Error(`The yen line reads "${second.textContent}".`);
                }
            },
        },
        {
            content: "A slow answer for the last 10 days, then a fast one for 90 days",
            trigger: PAGE_OF_TWO,
            run: () => {
                slowDownNextLedgerPage();
                setDateFrom(daysAgo(10));
                setDateFrom(daysAgo(90));
            },
        },
        {
            content: "Wait until the slow answer has come back",
            trigger: PAGE_OF_TWO,
            run: () => new Promise((resolve) => setTimeout(resolve, 2500)),
        },
        {
            content: "The newest request wins: still the 90 days, not the late 10 days",
            trigger: ".o_crm_ledger_table",
            run: checkPageOfNinetyDays,
        },
    ],
});
