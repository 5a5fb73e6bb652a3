// Time to interactive, widget against a plain HTML form: median over N cold
// loads each (a fresh browser context, so an empty cache), interleaved, from
// contact-proxy on 127.0.0.1, in Debian's headless Chromium. The time is from
// navigation start to the identifier input existing and enabled.
//   node scripts/bench/tti.mjs BASE_URL [LOADS]
import { createRequire } from "node:module";

const require = createRequire(new URL("../../tests/e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [base, loadsArg] = process.argv.slice(2);
const loads = Number(loadsArg ?? 20);
const pages = {
  plain: { path: "/plain-form.html", find: () => document.querySelector('input[name="identifier"]') },
  widget: {
    path: "/widget-form.html",
    find: () => document.querySelector("setter-contact-form")?.shadowRoot?.querySelector('input[name="identifier"]'),
  },
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});

async function coldLoad({ path, find }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + path, { waitUntil: "commit" });
  // A string expression: Playwright evaluates it over the DevTools protocol,
  // which the pages' Content-Security-Policy (no eval) does not govern.
  const probe = `(() => { const input = (${find})(); return input && !input.disabled ? performance.now() : false; })()`;
  const ready = await page.waitForFunction(probe, null, { polling: 1, timeout: 10_000 });
  const ms = await ready.jsonValue();
  await context.close();
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

for (const page of Object.values(pages)) await coldLoad(page); // warm the server, not the browser cache
const times = { plain: [], widget: [] };
for (let i = 0; i < loads; i++) {
  for (const [name, page] of Object.entries(pages)) times[name].push(await coldLoad(page));
}
await browser.close();

const plain = median(times.plain);
const widget = median(times.widget);
console.log(`cold loads: ${loads} each, interleaved, Chromium ${browser.version()}`);
console.log(`plain HTML form   median ${plain.toFixed(1)} ms   (min ${Math.min(...times.plain).toFixed(1)}, max ${Math.max(...times.plain).toFixed(1)})`);
console.log(`widget            median ${widget.toFixed(1)} ms   (min ${Math.min(...times.widget).toFixed(1)}, max ${Math.max(...times.widget).toFixed(1)})`);
console.log(`ratio widget / plain: ${(widget / plain).toFixed(2)}x   goal: <= 1.5x and <= 150 ms median: ${widget <= 150 && widget / plain <= 1.5 ? "met" : "NOT met"}`);
