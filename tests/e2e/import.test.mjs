// End to end: the bulk importer on the demo dashboard, against
// `contact-proxy --demo` with generated sandbox contacts, in headless Chromium.
// What lands in the sandbox, what the results file says, what a reload keeps.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { ROOT, byId, launchBrowser, openPage, sandboxContacts, startProxy } from "./harness.mjs";

let proxy;
let browser;
const dir = mkdtempSync(`${tmpdir()}/import-e2e-`);

before(async () => {
  proxy = await startProxy(["--demo", "--demo-contacts", "3000", "--rate-limit-per-minute", "0"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
});

/** A CSV text of `rows` (arrays of cells), quoted where needed. */
function csv(rows) {
  const cell = (value) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Parses CSV text (RFC 4180) into rows of cells. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\r") {}
    else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
    else cell += c;
  }
  return rows;
}

/** 1,000 rows for the contacts `first`.., with problems and answers planted:
 *  10 bad emails and 10 unknown zones (never sent), a contact that does not
 *  exist (404), a WhatsApp ID two contacts share (409), another
 *  organization's contact (403), and a second row for the first contact
 *  (held back). Returns the file and each row's expected status. */
function plantedFile(first, tag) {
  const rows = [["Contact ID", "WhatsApp ID", "First name", "E-mail", "Time zone", "metadata.batch"]];
  const expected = [];
  for (let i = 0; i < 1000; i++) {
    const row = [String(first + i), "", `Bulk${i}`, `bulk${i}@example.com`, "Europe/Paris", tag];
    let status = "updated";
    if (i % 100 === 7) { row[3] = `bulk${i}@`; status = "invalid"; }
    if (i % 100 === 13) { row[4] = "Mars/Olympus_Mons"; status = "invalid"; }
    rows.push(row);
    expected.push(status);
  }
  const plant = (i, row, status) => { rows[i + 1] = row; expected[i] = status; };
  plant(500, ["999999", "", "Nobody", "", "", tag], "not_found");
  plant(501, ["", "15550000199", "Twin", "", "", tag], "several_contacts");
  plant(502, ["201", "", "Wile", "", "", tag], "no_access");
  plant(503, [String(first), "", "Again", "", "", tag], "duplicate");
  return { text: csv(rows), rows, expected };
}

function importerOn(page) {
  const root = page.locator("setter-contact-import");
  return {
    root,
    part: (id) => root.locator(`#${id}`),
    async choose(path) {
      await root.locator("#file").setInputFiles(path);
      await root.locator("#counts").filter({ hasText: "rows:" }).waitFor();
    },
    async finished() {
      await root.locator("#summary").filter({ hasText: /Import (finished|cancelled)/ }).waitFor({ timeout: 60_000 });
    },
  };
}

async function received() {
  const response = await fetch(`${proxy.url}/sandbox/requests`);
  return (await response.json()).received;
}

describe("the bulk importer", () => {
  test("a 1,000-row file: exactly the ready rows land, every outcome right, the results file says so", async () => {
    const { text, rows, expected } = plantedFile(1001, "e2e-one");
    const path = `${dir}/planted.csv`;
    writeFileSync(path, text);
    const before = await sandboxContacts(proxy.url);
    const receivedBefore = await received();
    const { page, context } = await openPage(browser, proxy.url);
    const importer = importerOn(page);
    await importer.choose(path);
    const ready = expected.filter((s) => ["updated", "not_found", "several_contacts", "no_access"].includes(s)).length;
    assert.equal(await importer.part("counts").textContent(),
      `1,000 rows: ${ready} ready, 20 with problems, 1 held back as duplicates.`);
    await importer.part("start").click();
    await importer.finished();
    assert.equal(await received() - receivedBefore, ready, "every ready row sent once, no other");

    const after = await sandboxContacts(proxy.url);
    expected.forEach((status, i) => {
      const [id, , firstName, email, zone] = rows[i + 1];
      const contact = byId(after, Number(id));
      if (status === "updated") {
        assert.equal(contact.firstName, firstName, `row ${i + 1}`);
        assert.equal(contact.email, email);
        assert.equal(contact.defaultTimeZone, zone);
        assert.equal(contact.metadata.batch, "e2e-one");
      } else if (status === "invalid") {
        assert.deepEqual(contact, byId(before, Number(id)), `row ${i + 1} was not sent`);
      }
    });
    assert.equal(byId(after, 1001).firstName, "Bulk0", "the held-back row did not win");
    // Every row went with the run's X-Batch-Id, which the proxy checked and
    // the trail kept: one batch for the run, the same in each row's entry.
    const trail = async (id) => (await (await fetch(`${proxy.url}/api/audit?contact=id:${id}`)).json()).entries;
    const batches = new Set();
    for (const i of [0, 1, 499, 998]) {
      const [entry] = await trail(rows[i + 1][0]);
      assert.equal(`${entry.identifier.kind}:${entry.identifier.value}`, `id:${rows[i + 1][0]}`);
      batches.add(entry.batch);
    }
    assert.equal(batches.size, 1, [...batches].join(" "));
    assert.match([...batches][0], /^import-[0-9a-f]{16}$/);
    assert.deepEqual(byId(after, 201), byId(before, 201), "another organization's contact untouched");

    const [download] = await Promise.all([page.waitForEvent("download"), importer.part("download-results").click()]);
    assert.equal(download.suggestedFilename(), "planted-results.csv");
    const results = parseCsv(readFileSync(await download.path(), "utf8"));
    assert.deepEqual(results[0], [...rows[0], "status", "code", "message"]);
    assert.equal(results.length, 1001, "every row, not only failures");
    expected.forEach((status, i) => {
      assert.deepEqual(results[i + 1].slice(0, 6), rows[i + 1], `row ${i + 1}'s own cells`);
      assert.equal(results[i + 1][6], status, `row ${i + 1}: ${results[i + 1].join(",")}`);
    });
    assert.match(results[501][8], /No contact has that contact ID/);
    assert.match(results[502][8], /use the contact ID/);
    assert.match(results[8][8], /E-mail: /, "a problem names its column");

    const [problems] = await Promise.all([page.waitForEvent("download"), importer.part("download-problems").click()]);
    const problemRows = parseCsv(readFileSync(await problems.path(), "utf8"));
    assert.equal(problemRows.length, 1 + 20 + 1 + 3, "the invalid, the held back, the three refused");
    await context.close();
  });

  test("a reload half-way resumes without sending answered rows again", async () => {
    const { text, expected } = plantedFile(2001, "e2e-resume");
    const path = `${dir}/resume.csv`;
    writeFileSync(path, text);
    const ready = expected.filter((s) => s !== "invalid" && s !== "duplicate").length;
    const receivedBefore = await received();
    const { page, context } = await openPage(browser, proxy.url);
    // Slow each update down, so that the reload comes half-way.
    await context.route("**/api/contacts", (route) => setTimeout(() => route.continue(), 25));
    let importer = importerOn(page);
    await importer.choose(path);
    await importer.part("start").click();
    await page.waitForFunction(() => {
      const text = document.querySelector("setter-contact-import").shadowRoot.querySelector("#progress").textContent;
      const answered = Number(text.split(" of ")[0].replace(",", ""));
      return answered >= 400;
    });
    await page.reload();
    const sentBeforeReload = await received() - receivedBefore;
    await context.unroute("**/api/contacts");
    importer = importerOn(page);
    await importer.choose(path);
    await importer.part("saved").waitFor();
    const offer = await importer.part("saved-state").textContent();
    assert.match(offer, /rows were answered/);
    assert.match(offer, /sent again, which is safe/);
    const answeredBefore = Number(offer.match(/: ([\d,]+) of its/)[1].replace(",", ""));
    assert.ok(answeredBefore >= 400 && answeredBefore < ready, offer);
    await importer.part("resume-saved").click();
    await importer.finished();
    const total = await received() - receivedBefore;
    const resent = total - ready;
    assert.ok(resent >= 0 && resent <= 4, `${resent} sent twice: at most the 4 on their way at the reload`);
    assert.ok(sentBeforeReload - answeredBefore <= 4, "only rows in flight were unanswered");
    const after = await sandboxContacts(proxy.url);
    expected.forEach((status, i) => {
      if (status === "updated") assert.equal(byId(after, 2001 + i).metadata.batch, "e2e-resume", `row ${i + 1}`);
    });
    await context.close();
  });

  test("keyboard only: choose the file, send, read the summary", async () => {
    const { page, context } = await openPage(browser, proxy.url);
    const focusedId = () => page.evaluate(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.id;
    });
    await page.locator("setter-contact-import").scrollIntoViewIfNeeded();
    await page.locator("#bulk-title").click(); // a start point just before the importer
    for (let i = 0; i < 60 && (await focusedId()) !== "file"; i++) await page.keyboard.press("Tab");
    assert.equal(await focusedId(), "file", "the file button is reachable with Tab");
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
    await chooser.setFiles(`${ROOT}www/sample-contacts.csv`);
    const importer = importerOn(page);
    await importer.part("counts").filter({ hasText: "rows:" }).waitFor();
    for (let i = 0; i < 200 && (await focusedId()) !== "start"; i++) await page.keyboard.press("Tab");
    assert.equal(await focusedId(), "start", "Send is reachable with Tab, through the table");
    await page.keyboard.press("Enter");
    await importer.finished();
    assert.match(await importer.part("summary").textContent(), /Import finished: \d+ rows updated/);
    await context.close();
  });

  test("an axe-core audit finds no serious or critical violation, light and dark", async () => {
    const require = createRequire(import.meta.url);
    const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    for (const theme of ["light", "dark"]) {
      const { page, context } = await openPage(browser, proxy.url, { bypassCSP: true, colorScheme: theme });
      const importer = importerOn(page);
      await importer.choose(`${ROOT}www/sample-contacts.csv`);
      await importer.part("start").click();
      await importer.finished();
      await page.addScriptTag({ content: axeSource });
      const results = await page.evaluate(() =>
        window.axe.run(document.querySelector("setter-contact-import"), { resultTypes: ["violations"] }));
      const serious = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], theme);
      // The element alone: the page below it lists every generated contact.
      await page.locator("setter-contact-import").screenshot({ path: `${ROOT}tests/e2e/screenshots/import-${theme}.png` });
      await context.close();
    }
  });
});

describe("the bulk importer against a rate limit", () => {
  test("with --rate-limit-per-minute 120 the run waits and still finishes with nothing lost", async () => {
    const limited = await startProxy(["--demo", "--demo-contacts", "200", "--rate-limit-per-minute", "120"]);
    try {
      const rows = [["id", "lastName"]];
      for (let i = 0; i < 130; i++) rows.push([String(1001 + i), `Limited${i}`]);
      const path = `${dir}/limited.csv`;
      writeFileSync(path, csv(rows));
      const { page, context } = await openPage(browser, limited.url);
      const importer = importerOn(page);
      await importer.choose(path);
      await importer.part("start").click();
      await importer.part("summary").filter({ hasText: "asked to slow down" }).waitFor({ timeout: 30_000 });
      await importer.finished();
      assert.match(await importer.part("summary").textContent(), /Import finished: 130 rows updated, 0 failed/);
      const contacts = await sandboxContacts(limited.url);
      for (let i = 0; i < 130; i++) assert.equal(byId(contacts, 1001 + i).lastName, `Limited${i}`);
      await context.close();
    } finally {
      await limited.stop();
    }
  });
});
