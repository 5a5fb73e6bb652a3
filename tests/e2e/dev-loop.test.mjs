// The development loop as README's Developing section promises it: `scripts/dev`
// starts the demo proxy and `trunk serve`; a submit on trunk's page lands in the
// sandbox; an edit of the widget's Rust rebuilds it and reloads the page; Ctrl-C
// (here SIGTERM, which scripts/dev treats the same) stops both.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { ROOT, byId, launchBrowser, openPage } from "./harness.mjs";

const PAGE = "http://127.0.0.1:8081";
const PROXY = "http://127.0.0.1:8080";

let dev;
let output = "";
let browser;

/** Until `scripts/dev`'s output matches `pattern` (or `ms` pass). */
async function waitForOutput(pattern, ms) {
  const deadline = Date.now() + ms;
  while (!pattern.test(output)) {
    if (dev.exitCode !== null) throw new Error(`scripts/dev exited with ${dev.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} from scripts/dev within ${ms} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Whether something answers on `url`. */
async function answers(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  // Its own process group, so that stopping it reaches trunk and the proxy even
  // if scripts/dev itself failed to.
  dev = spawn(`${ROOT}scripts/dev`, [], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [dev.stdout, dev.stderr]) stream.on("data", (chunk) => { output += chunk; });
  // A cold debug build of the widget for wasm32 takes minutes on two cores.
  await waitForOutput(/server listening at/, 600_000);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (dev && dev.exitCode === null) {
    try { process.kill(-dev.pid, "SIGKILL"); } catch {}
  }
});

describe("scripts/dev", () => {
  test("serves the widget on trunk's port, and a submit there reaches the demo proxy's sandbox", async () => {
    const { page, context, problems } = await openPage(browser, `${PAGE}/`);
    const form = page.locator("setter-contact-form");
    await form.locator('input[name="identifier"]').fill("102");
    await form.locator('[name="lastName"]').fill("Hopper-Devloop");
    await form.getByRole("button", { name: "Update contact" }).click();
    await form.locator('[role="status"]').filter({ hasText: "Contact updated successfully" }).waitFor();

    // Read back through trunk's proxy, as the dashboard does, and from the proxy itself.
    for (const base of [PAGE, PROXY]) {
      const contacts = await (await fetch(`${base}/sandbox/contacts`)).json();
      assert.equal(byId(contacts, 102).lastName, "Hopper-Devloop", `seen through ${base}`);
    }
    assert.deepEqual(problems, [], "no console errors");
    await context.close();
  });

  test("the demo proxy accepts trunk's page and no other page", async () => {
    const put = (origin) => fetch(`${PROXY}/api/contacts`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Origin: origin },
      body: JSON.stringify({ id: 103, firstName: "Origin" }),
    });
    assert.equal((await put(PAGE)).status, 200);
    const foreign = await put("http://127.0.0.1:9999");
    assert.equal(foreign.status, 403);
    assert.equal((await foreign.json()).error.code, "origin_not_allowed");
  });

  test("an edit of the widget's Rust rebuilds it and reloads the page", async () => {
    const { page, context } = await openPage(browser, `${PAGE}/`);
    await page.evaluate(() => { window.beforeTheEdit = true; });
    const reloaded = page.waitForEvent("load", { timeout: 300_000 });
    // Rewritten with the same bytes: a change for trunk's watcher and cargo
    // (a new write), none for git.
    const source = `${ROOT}src/lib.rs`;
    writeFileSync(source, readFileSync(source));
    await reloaded;
    assert.equal(await page.evaluate(() => window.beforeTheEdit), undefined, "a fresh page");
    await page.locator("setter-contact-form").getByRole("button", { name: "Update contact" }).waitFor();
    await context.close();
  });

  test("stopping it stops the proxy and trunk", async () => {
    dev.kill("SIGTERM");
    await once(dev, "exit");
    for (const url of [PAGE, PROXY]) {
      assert.equal(await answers(`${url}/`), false, `nothing listens on ${url} any more`);
    }
  });
});
