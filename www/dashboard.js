// The demo dashboard's own script: lists the sandbox contacts and refreshes
// the list whenever a widget on the page reports an update. Built with DOM
// calls (textContent, never innerHTML): contact data is not trusted markup.

const table = document.getElementById("contacts-table");
const state = document.getElementById("contacts-state");
let lastUpdated = null;

async function refresh() {
  try {
    const response = await fetch("/sandbox/contacts", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
    state.textContent = `${table.tBodies[0].rows.length} contacts`;
    table.hidden = false;
  } catch (err) {
    state.textContent = `Could not load the sandbox contacts (${err.message}).`;
    table.hidden = true;
  }
}

function render(contacts) {
  const body = document.createElement("tbody");
  for (const contact of contacts) {
    const row = body.insertRow();
    const name = contact.fullName || [contact.firstName, contact.lastName].filter(Boolean).join(" ");
    const metadata = Object.entries(contact.metadata || {}).map(([k, v]) => `${k}=${v}`).join(", ");
    const cells = [contact.id, name, contact.waId, contact.smsPhoneNumber, contact.email,
      contact.defaultTimeZone, metadata, contact.organization];
    for (const value of cells) row.insertCell().textContent = value ?? "";
    if (lastUpdated && contact[lastUpdated.kind] === lastUpdated.value) row.className = "updated";
  }
  table.tBodies[0].replaceWith(body);
}

document.addEventListener("contact-updated", (event) => {
  lastUpdated = event.detail.identifier;
  refresh();
});
document.addEventListener("contact-import-finished", () => refresh());
document.getElementById("refresh-contacts").addEventListener("click", refresh);

// Light or dark host page: the widget follows the page's color-scheme.
const toggle = document.getElementById("theme-toggle");
const setTheme = (dark) => {
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  toggle.setAttribute("aria-pressed", String(dark));
};
setTheme(matchMedia("(prefers-color-scheme: dark)").matches);
toggle.addEventListener("click", () => setTheme(document.documentElement.dataset.theme !== "dark"));

refresh();
