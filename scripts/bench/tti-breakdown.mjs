// Where the widget's time to interactive goes: per cold load, when each of its
// files finished arriving, how long WebAssembly compiled and instantiated, and
// when the form accepted input and when the widget was live; medians over N loads.
//   node scripts/bench/tti-breakdown.mjs BASE_URL [LOADS]
//   LATENCY_MS=40 node ...   every request delayed by that much (Chromium's own
//     network emulation), as a dashboard across a network sees it: requests
//     made one after another show there, not on loopback.

// Debian's Chromium with the flags every browser test here uses.
import { launchBrowser } from "../../tests/e2e/harness.mjs";

const [base, loadsArg] = process.argv.slice(2);
const loads = Number(loadsArg ?? 20);
const browser = await launchBrowser();

async function coldLoad() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const t = (window.__t = {});
    // Time the instantiation, whichever entry point wasm-bindgen's glue takes.
    for (const name of ["instantiateStreaming", "instantiate"]) {
      const original = WebAssembly[name];
      WebAssembly[name] = async (...args) => {
        t.instantiateStart ??= performance.now();
        const result = await original.apply(WebAssembly, args);
        t.instantiateEnd = performance.now();
        t.via = name;
        return result;
      };
    }
    // As in tti.mjs: the form accepts input (the pre-rendered one does), and
    // the widget is live (its submit button enabled).
    const probe = () => {
      const root = document.querySelector("setter-contact-form")?.shadowRoot;
      const input = root?.querySelector('input[name="identifier"]');
      const submit = root?.querySelector('button[type="submit"]');
      if (input && !input.disabled) t.acceptsInput ??= performance.now();
      if (submit && !submit.disabled) t.live ??= performance.now();
      if (t.live === undefined) setTimeout(probe, 0);
    };
    probe();
  });
  if (process.env.LATENCY_MS) {
    const client = await context.newCDPSession(page);
    await client.send("Network.enable");
    await client.send("Network.emulateNetworkConditions",
      { offline: false, latency: Number(process.env.LATENCY_MS), downloadThroughput: -1, uploadThroughput: -1 });
  }
  await page.goto(base + "/widget-form.html", { waitUntil: "commit" });
  await page.waitForFunction(() => window.__t.live, null, { timeout: 10_000 });
  const result = await page.evaluate(() => {
    const t = window.__t;
    const done = (suffix) => performance.getEntriesByType("resource").find((e) => e.name.endsWith(suffix))?.responseEnd;
    return {
      html: performance.getEntriesByType("navigation")[0].responseEnd,
      loader: done("/setter-contact-form.js"),
      glue: done("/setter-contacts.js"),
      wasm: done("/setter-contacts_bg.wasm"),
      snippet: done("/inline0.js"),
      snippetStart: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/inline0.js"))?.startTime,
      loaderStart: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/setter-contact-form.js"))?.startTime,
      domContentLoaded: performance.getEntriesByType("navigation")[0].domContentLoadedEventStart,
      instantiateStart: t.instantiateStart,
      instantiateEnd: t.instantiateEnd,
      acceptsInput: t.acceptsInput,
      live: t.live,
      via: t.via,
    };
  });
  await context.close();
  return result;
}

await coldLoad(); // warm the server
const runs = [];
for (let i = 0; i < loads; i++) runs.push(await coldLoad());
await browser.close();
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
console.log(`widget, ${loads} cold loads, medians in ms from navigation start (instantiate via ${runs[0].via}):`);
for (const key of ["html", "loaderStart", "loader", "glue", "wasm", "snippetStart", "snippet", "domContentLoaded", "instantiateStart", "instantiateEnd", "acceptsInput", "live"]) {
  console.log(`  ${key.padEnd(17)} ${median(runs.map((r) => r[key]))?.toFixed(1)}`);
}
console.log(`  instantiate took  ${median(runs.map((r) => r.instantiateEnd - r.instantiateStart)).toFixed(1)}`);
console.log(`  live after it     ${median(runs.map((r) => r.live - r.instantiateEnd)).toFixed(1)}`);
