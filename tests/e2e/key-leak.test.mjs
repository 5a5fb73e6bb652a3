// The key never leaves the proxy: with a canary key (and the sandbox accepting
// it), drive the widget through every outcome, then look for the canary in
// every answer the browser saw, in the proxy's and the sandbox's logs at trace
// level, and in every file of dist/. It must be nowhere.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launchBrowser, openPage, startProxy, startSandbox } from "./harness.mjs";

const CANARY = "sk-canary-e2e-5d41402abc4b2a76b9719d911017c592";
let sandbox;
let proxy;
let browser;

before(async () => {
  sandbox = await startSandbox(CANARY, { RUST_LOG: "trace" });
  proxy = await startProxy(["--upstream", sandbox.url], { SETTER_API_KEY: CANARY, RUST_LOG: "trace" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
  await sandbox?.stop();
});

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("the canary key is in no answer, no log and no built file", async () => {
  const { page, context } = await openPage(browser, proxy.url);
  const answers = [];
  page.on("response", async (response) => {
    const body = await response.body().catch(() => Buffer.alloc(0));
    answers.push(JSON.stringify(response.headers()) + body.toString("latin1"));
  });
  const form = page.locator("setter-contact-form");
  const updates = [
    ["id", "101", "firstName", "Ada", "Contact updated successfully"],
    ["id", "999", "firstName", "Nobody", "No contact has that contact ID"],
    ["waId", "15550000199", "lastName", "Twin", "Several contacts share that WhatsApp ID"],
    ["id", "201", "email", "x@example.com", "Your organization has no access"],
  ];
  for (const [kind, value, field, typed, expected] of updates) {
    await form.locator('select[name="identifierKind"]').selectOption(kind);
    await form.locator('input[name="identifier"]').fill(value);
    await form.locator(`input[name="${field}"]`).fill(typed);
    await form.getByRole("button", { name: "Update contact" }).click();
    await form.locator('[role="status"], [role="alert"]').filter({ hasText: expected }).waitFor();
    await form.locator(`input[name="${field}"]`).fill("");
  }
  // Answers the form never provokes: refusals, unknown routes, health.
  for (const [path, init] of [
    ["/api/contacts", { method: "PUT", body: "{}", headers: { "content-type": "text/plain" } }],
    ["/api/contacts", { method: "PUT", body: "{", headers: { "content-type": "application/json" } }],
    ["/api/contacts", { method: "GET" }],
    ["/nowhere", {}],
    ["/healthz", {}],
  ]) {
    const response = await fetch(proxy.url + path, init);
    answers.push(JSON.stringify([...response.headers]) + (await response.text()));
  }
  await context.close();
  await proxy.stop();
  await sandbox.stop();

  assert.ok(answers.length >= 10, `answers seen: ${answers.length}`);
  for (const answer of answers) assert.ok(!answer.includes(CANARY), `in an answer: ${answer.slice(0, 200)}`);
  assert.match(proxy.log(), /update forwarded/, "the proxy did log");
  assert.match(sandbox.log(), /sandbox Setter listening/);
  assert.ok(!proxy.log().includes(CANARY), "the key is in the proxy's log");
  assert.ok(!sandbox.log().includes(CANARY), "the key is in the sandbox's log");
  const built = filesUnder(`${ROOT}dist`);
  assert.ok(built.some((file) => file.endsWith(".wasm")), "dist/ holds the build");
  for (const file of built) assert.ok(!readFileSync(file).includes(CANARY), `in ${file}`);
});
