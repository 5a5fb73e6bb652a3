// Shared by the end-to-end tests: the release build served by a real
// `contact-proxy --demo --dist dist` on 127.0.0.1, and Debian's headless Chromium
// driven by playwright-core (never a browser of its own download).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BINARY = `${ROOT}target/release/contact-proxy`;

export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** Starts contact-proxy serving dist/ with `args` on a free loopback port. */
export function startProxy(args = ["--demo"], env = {}) {
  return start(["--listen", "127.0.0.1:0", "--dist", `${ROOT}dist`, ...args], env);
}

/** Starts `contact-proxy sandbox` with `key` on a free loopback port. */
export function startSandbox(key, env = {}) {
  return start(["sandbox", "--listen", "127.0.0.1:0"], { SANDBOX_API_KEY: key, ...env });
}

/** Runs the binary with `args`; resolves when it says where it listens. */
async function start(args, env) {
  const child = spawn(BINARY, args, {
    env: { ...process.env, RUST_LOG: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = [];
  child.stdout.on("data", (chunk) => log.push(chunk.toString()));
  const lines = createInterface({ input: child.stderr });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`contact-proxy did not start:\n${log.join("")}`)), 20_000);
    lines.on("line", (line) => {
      log.push(line + "\n");
      const match = line.match(/listening on (http:\/\/[\d.:]+)/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.once("exit", (code) => reject(new Error(`contact-proxy exited with ${code}:\n${log.join("")}`)));
  });
  return {
    url,
    log: () => log.join(""),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A fresh page whose console errors (CSP violations among them) are collected. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(url);
  await widgetsLive(page);
  return { page, context, problems };
}

/** Until every form on the page is the widget's own: a pre-rendered form
 *  takes typing at once, but its buttons are disabled until the takeover. */
export async function widgetsLive(page) {
  await page.waitForFunction(() => {
    const forms = [...document.querySelectorAll("setter-contact-form")];
    return forms.length > 0 &&
      forms.every((form) => form.shadowRoot?.querySelector("button[type=submit]:not([disabled])"));
  });
}

export async function sandboxContacts(proxyUrl) {
  const response = await fetch(`${proxyUrl}/sandbox/contacts`);
  return response.json();
}

/** The contact with `id`, from a list of sandbox contacts. */
export const byId = (contacts, id) => contacts.find((contact) => contact.id === id);
