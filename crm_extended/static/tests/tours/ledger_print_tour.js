import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

// What the print buttons downloaded: the answers of /report/download, captured instead
// of saved so that the steps can read them.
const downloads = [];

function captureDownloads() {
    download._download = async (options) => {
        const body = new FormData();
        for (const [key, value] of Object.entries(options.data)) {
            body.append(key, value);
        }
        body.append("token", "dummy-because-api-expects-one");
        body.append("csrf_token", odoo.csrf_token);
        const response = await fetch(options.url, { method: "POST", body });
        downloads.push({
            status: response.status,
            disposition: response.headers.get("Content-Disposition") || "",
            text: await response.text(),
        });
        document.body.dataset.crmLedgerDownloads = String(downloads.length);
    };
}

function fileName(disposition) {
    const encoded = disposition.match(/filename\*=UTF-8''([^;]+)/);
    if (encoded) {
        return decodeURIComponent(encoded[1]);
    }
    const plain = disposition.match(/filename="?([^";]+)"?/);
    return plain ? plain[1] : "";
}

function checkDownload(index, expected) {
    const answer = downloads[index];
    if (answer.status !== 200) {
        throw new Error(`The print answered ${answer.status}: ${answer.text.slice(0, 500)}`);
    }
    const name = fileName(answer.disposition);
    for (const part of expected.fileName) {
        if (!name.includes(part)) {
            throw new Error(`The file "${name}" does not name "${part}".`);
        }
    }
    for (const part of expected.content) {
        if (!answer.text.includes(part)) {
            throw new Error(`The printed document does not contain "${part}".`);
        }
    }
}

const CUSTOMER = "Tatranská tlač s.r.o.";
const ICO = "31333532";

registry.category("web_tour.tours").add("crm_extended_ledger_print", {
    steps: () => [
        {
            content: "Open the ledger tab",
            trigger: ".o_notebook a[name='crm_ledger']",
            run: "click",
        },
        {
            content: "The ledger is loaded",
            trigger: ".o_crm_ledger_table .o_crm_ledger_line:contains('PRINT-TOUR-REF')",
            run: captureDownloads,
        },
        {
            content: "Print the statement",
            trigger: "button.o_crm_ledger_print",
            run: "click",
        },
        {
            content: "The statement of this customer was downloaded",
            trigger: "body[data-crm-ledger-downloads='1']",
            // The first print may compile the report assets: give the server time.
            timeout: 60000,
            run: () =>
                checkDownload(0, {
                    fileName: [CUSTOMER],
                    content: [CUSTOMER, ICO, "SK2020317068", "PRINT-TOUR-REF"],
                }),
        },
        {
            content: "Print the balance confirmation",
            trigger: "button.o_crm_ledger_confirmation",
            run: "click",
        },
        {
            content: "The balance confirmation of this customer was downloaded",
            trigger: "body[data-crm-ledger-downloads='2']",
            timeout: 60000,
            run: () =>
                checkDownload(1, {
                    fileName: [CUSTOMER],
                    content: [CUSTOMER, ICO, "o_crm_ledger_signatory"],
                }),
        },
        {
            content: "Switch to the open items",
            trigger: ".o_crm_ledger_mode_open_items",
            run: "click",
        },
        {
            content: "The open items are listed",
            trigger: ".o_crm_open_items_table tbody tr:contains('PRINT-TOUR-REF')",
        },
        {
            content: "Print the open items",
            trigger: "button.o_crm_open_items_pdf",
            run: "click",
        },
        {
            content: "The open items of this customer were downloaded",
            trigger: "body[data-crm-ledger-downloads='3']",
            timeout: 60000,
            run: () =>
                checkDownload(2, {
                    fileName: [CUSTOMER],
                    content: [CUSTOMER, ICO, "PRINT-TOUR-REF"],
                }),
        },
    ],
});
