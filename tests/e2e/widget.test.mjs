// End to end: the release widget, served by `contact-proxy --demo --dist dist`,
// in headless Chromium. What an operator does, and what lands in the sandbox.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { ROOT, byId, launchBrowser, openPage, sandboxContacts, startProxy, widgetsLive } from "./harness.mjs";

let proxy;
let browser;

before(async () => {
  proxy = await startProxy(["--demo"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
});

/** The one form on the demo dashboard, and helpers scoped to it. */
function formOn(page, index = 0) {
  const root = page.locator("setter-contact-form").nth(index);
  return {
    root,
    field: (name) => root.locator(`[name="${name}"]`),
    status: root.locator('[role="status"]'),
    alert: root.locator('[role="alert"]'),
    submit: root.getByRole("button", { name: "Update contact" }),
    preview: root.getByLabel("Request preview"),
    async find(kind, value) {
      await root.locator('select[name="identifierKind"]').selectOption(kind);
      await root.locator('input[name="identifier"]').fill(value);
    },
  };
}

describe("the demo dashboard", () => {
  test("a valid update succeeds and changes exactly the submitted fields", async () => {
    const before = await sandboxContacts(proxy.url);
    const { page, context, problems } = await openPage(browser, proxy.url);
    const form = formOn(page);
    await form.find("id", "101");
    await form.field("firstName").fill("Augusta");
    await form.field("email").fill("augusta@analytical.example");
    await form.root.getByRole("button", { name: "Add metadata field" }).click();
    await form.field("metadataKey").last().fill("tier");
    await form.field("metadataValue").last().fill("gold");
    assert.deepEqual(JSON.parse(await form.preview.textContent()), {
      id: 101, firstName: "Augusta", email: "augusta@analytical.example", metadata: { tier: "gold" },
    });
    await form.submit.click();
    await form.status.filter({ hasText: "Contact updated successfully" }).waitFor();

    const after = await sandboxContacts(proxy.url);
    const expected = structuredClone(byId(before, 101));
    Object.assign(expected, { firstName: "Augusta", email: "augusta@analytical.example" });
    expected.metadata = { ...expected.metadata, tier: "gold" };
    assert.deepEqual(byId(after, 101), expected, "only the submitted fields changed");
    for (const contact of after.filter((c) => c.id !== 101)) {
      assert.deepEqual(contact, byId(before, contact.id), `contact ${contact.id} untouched`);
    }
    // The dashboard's table refreshed on the contact-updated event.
    await page.locator("#contacts-table tr.updated", { hasText: "Augusta" }).waitFor();
    assert.deepEqual(problems, [], "no console errors, no CSP violations");
    await context.close();
  });

  test("a field error is shown on its input, focused, and nothing is sent", async () => {
    const before = await sandboxContacts(proxy.url);
    const { page, context } = await openPage(browser, proxy.url);
    const form = formOn(page);
    let requests = 0;
    page.on("request", (request) => { if (request.url().endsWith("/api/contacts")) requests++; });
    await form.find("id", "102");
    await form.field("email").fill("grace@");
    await form.field("defaultTimeZone").fill("europe/berlin");
    await form.submit.click();

    const email = form.field("email");
    assert.equal(await email.getAttribute("aria-invalid"), "true");
    const describedBy = await email.getAttribute("aria-describedby");
    const message = await form.root.locator(`[id="${describedBy}"]`).textContent();
    assert.match(message, /email address like name@example\.com/);
    assert.equal(await email.evaluate((input) => input.getRootNode().activeElement === input), true,
      "focus moved to the first invalid input");
    const zoneError = await form.root.locator(`[id="${await form.field("defaultTimeZone").getAttribute("aria-describedby")}"]`).textContent();
    assert.match(zoneError, /did you mean Europe\/Berlin\?/);
    assert.equal(requests, 0, "a form with errors sends nothing");
    assert.deepEqual(await sandboxContacts(proxy.url), before);
    await context.close();
  });

  for (const [name, kind, value, expected] of [
    ["404", "id", "999", "No contact has that contact ID"],
    ["409", "waId", "15550000199", "Several contacts share that WhatsApp ID — use the contact ID instead"],
    ["403", "id", "201", "Your organization has no access to this contact"],
  ]) {
    test(`a ${name} is announced in words an operator can act on`, async () => {
      const before = await sandboxContacts(proxy.url);
      const { page, context } = await openPage(browser, proxy.url);
      const form = formOn(page);
      const failed = page.evaluate(() => new Promise((resolve) => {
        document.addEventListener("contact-update-failed", (event) => resolve(event.detail), { once: true });
      }));
      await form.find(kind, value);
      await form.field("lastName").fill("Nobody");
      await form.submit.click();
      await form.alert.filter({ hasText: expected }).waitFor();
      const detail = await failed;
      assert.equal(detail.code, { 404: "not_found", 409: "multiple_matches", 403: "forbidden" }[name]);
      assert.deepEqual(await sandboxContacts(proxy.url), before, "nothing changed");
      await context.close();
    });
  }

  test("the recent changes show who changed the contact to what, from the demo's audit trail", async () => {
    const { page, context, problems } = await openPage(browser, proxy.url);
    const form = formOn(page);
    await form.find("id", "103");
    const history = form.root.locator("#history");
    await history.locator("#history-state").filter({ hasText: "No change of this contact is recorded." }).waitFor();
    await form.field("firstName").fill("Alan M.");
    await form.submit.click();
    await form.status.filter({ hasText: "Contact updated successfully" }).waitFor();
    const item = history.locator("#history-list li").first();
    await item.filter({ hasText: "firstName → Alan M." }).waitFor();
    const text = await item.textContent();
    assert.match(text, /unknown user \(127\.0\.0\.1\)/, "no gateway: the client's address, said so");
    assert.match(text, /\(updated\)/);
    // The same entry through the read API, and as CSV.
    const trail = await (await fetch(`${proxy.url}/api/audit?contact=id:103`)).json();
    assert.equal(trail.entries[0].values.firstName, "Alan M.");
    const csv = await (await fetch(`${proxy.url}/api/audit.csv?contact=id:103`)).text();
    assert.match(csv.split("\r\n")[1], /,id,103,firstName,/);
    assert.deepEqual(problems, [], "no console errors, no CSP violations");
    await context.close();
  });

  test("keyboard only: tab to each field, type, Enter submits", async () => {
    const { page, context } = await openPage(browser, proxy.url);
    const form = formOn(page);
    await form.field("identifierKind").focus();
    await page.keyboard.press("ArrowDown"); // WhatsApp ID
    await page.keyboard.press("Tab");
    await page.keyboard.type("15550000102");
    const focusedName = () => page.evaluate(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.getAttribute("name");
    });
    assert.equal(await focusedName(), "identifier");
    for (let i = 0; i < 10 && (await focusedName()) !== "lastName"; i++) await page.keyboard.press("Tab");
    assert.equal(await focusedName(), "lastName", "every input is reachable with Tab");
    await page.keyboard.type("Hopper-Murray");
    await page.keyboard.press("Enter");
    await form.status.filter({ hasText: "Contact updated successfully" }).waitFor();
    const grace = byId(await sandboxContacts(proxy.url), 102);
    assert.equal(grace.lastName, "Hopper-Murray");
    await context.close();
  });

  test("an axe-core audit finds no serious or critical violation", async () => {
    const require = createRequire(import.meta.url);
    const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    for (const theme of ["light", "dark"]) {
      // axe is injected as a script: allow that for the audit only.
      const { page, context } = await openPage(browser, proxy.url, { bypassCSP: true, colorScheme: theme });
      await page.locator("#contacts-table").waitFor();
      // Show error texts too, so that they are audited (contrast, references).
      const form = formOn(page);
      await form.find("waId", "not-digits");
      await form.field("email").fill("bad@");
      await form.submit.click();
      await form.root.locator(".scf-error").first().waitFor();
      await page.addScriptTag({ content: axeSource });
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const serious = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], theme);
      await context.close();
    }
  });

  test("a screenshot of the demo page for the README", async () => {
    const { page, context } = await openPage(browser, proxy.url, { viewport: { width: 1280, height: 900 } });
    await page.locator("#contacts-table").waitFor();
    const form = formOn(page);
    await form.find("id", "103");
    await form.field("defaultTimeZone").fill("Europe/London");
    await form.submit.click();
    await form.status.filter({ hasText: "Contact updated successfully" }).waitFor();
    mkdirSync(`${ROOT}tests/e2e/screenshots`, { recursive: true });
    await page.screenshot({ path: `${ROOT}tests/e2e/screenshots/demo.png`, fullPage: true });
    await context.close();
  });
});

describe("a host page with two widgets", () => {
  test("each form is independent and reports on its own element", async () => {
    const { page, context, problems } = await openPage(browser, `${proxy.url}/two-forms.html`);
    const first = formOn(page, 0);
    const second = formOn(page, 1);
    await second.find("id", "101");
    await second.field("fullName").fill("Second form typed this");
    const updated = page.evaluate(() => new Promise((resolve) => {
      document.addEventListener("contact-updated", (event) => resolve({ target: event.target.id, detail: event.detail }), { once: true });
    }));
    await first.find("smsPhoneNumber", "+1 555 000 0103");
    await first.field("phoneNumber").fill("+44 20 7946 0000");
    await first.submit.click();
    await first.status.filter({ hasText: "Contact updated successfully" }).waitFor();

    const event = await updated;
    assert.equal(event.target, "first-form");
    assert.deepEqual(event.detail.changedFields, ["phoneNumber"]);
    assert.equal(await second.status.textContent(), "", "the second form did not announce anything");
    assert.equal(await second.field("fullName").inputValue(), "Second form typed this", "nor lost its input");
    const alan = byId(await sandboxContacts(proxy.url), 103);
    assert.equal(alan.phoneNumber, "+442079460000");
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe("the pre-rendered form", () => {
  test("takes typing before the widget has loaded, and the widget takes over all of it", async () => {
    const before = await sandboxContacts(proxy.url);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = [];
    page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
    page.on("pageerror", (error) => problems.push(String(error)));
    // The wasm is held back until the operator has typed: a slow network.
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    await page.route("**/*.wasm", async (route) => { await released; await route.continue(); });
    const sent = [];
    page.on("request", (request) => { if (request.url().includes("/api/contacts")) sent.push(request.method()); });
    await page.goto(proxy.url, { waitUntil: "domcontentloaded" });

    const form = formOn(page);
    assert.equal(await form.submit.isDisabled(), true, "nothing can be sent before the widget is live");
    await form.find("id", "101");
    await form.field("firstName").fill("Ada");
    // Enter in an input would submit a plain form to the page's own URL; here it does nothing.
    await form.field("identifier").press("Enter");
    await form.field("lastName").click();
    await page.keyboard.type("lace");
    await page.keyboard.press("Home");
    assert.equal(page.url(), `${proxy.url}/`, "still on the page");
    assert.deepEqual(sent, [], "nothing was sent");
    assert.match(await form.status.textContent(), /Loading/, "the form says why it cannot be sent yet");

    // An audit of the pre-rendered form, as the operator meets it (axe is
    // injected as a script, which this page's CSP forbids: a second page, with
    // the wasm held back the same way, audits it).
    const require = createRequire(import.meta.url);
    const audit = await browser.newContext({ bypassCSP: true });
    const auditPage = await audit.newPage();
    await auditPage.route("**/*.wasm", () => {}); // never answered: the form stays pre-rendered
    await auditPage.goto(proxy.url, { waitUntil: "domcontentloaded" });
    await auditPage.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
    const results = await auditPage.evaluate(() => window.axe.run(document.querySelector("setter-contact-form"), { resultTypes: ["violations"] }));
    const serious = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
    await audit.close();

    release();
    await widgetsLive(page);
    // The caret is still at the start of the last name: typing goes on there
    // (a field written anew would have it at the end).
    await page.keyboard.type("Love");
    assert.equal(await form.field("lastName").inputValue(), "Lovelace");
    assert.equal(await form.status.textContent(), "", "the live form has nothing to say yet");
    assert.equal(await form.root.locator("[data-prerendered]").count(), 0, "the pre-rendered form is gone");
    assert.deepEqual(JSON.parse(await form.preview.textContent()), { id: 101, firstName: "Ada", lastName: "Lovelace" });
    await form.submit.click();
    await form.status.filter({ hasText: "Contact updated successfully" }).waitFor();

    const after = byId(await sandboxContacts(proxy.url), 101);
    assert.deepEqual(after, { ...byId(before, 101), firstName: "Ada", lastName: "Lovelace" });
    assert.deepEqual(problems, []);
    await context.close();
  });
});
