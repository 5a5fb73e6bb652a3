// Time to interactive, widget against a plain HTML form (and, for reference,
// that form with one empty module script: what any scripted page pays, a
// React form's too): median over N cold loads each (a fresh browser context,
// so an empty cache), interleaved, from contact-proxy on 127.0.0.1, in
// Debian's headless Chromium. The time is from navigation start to the form
// accepting input: its identifier input there and enabled. The widget's page holds the pre-rendered form, which accepts input
// as soon as it is parsed; the widget's second figure is when the widget has
// taken it over (its submit button enabled: validating, and able to send).
//   node scripts/bench/tti.mjs BASE_URL [LOADS] [BASELINE_URL]
// With BASELINE_URL (another build's files, served the same way), its widget
// page is loaded too, interleaved with the others: a before/after in one run.

// Debian's Chromium with the flags every browser test here uses.
import { launchBrowser } from "../../tests/e2e/harness.mjs";

const [base, loadsArg, baselineBase] = process.argv.slice(2);
const loads = Number(loadsArg ?? 20);
const pages = {
  plain: { path: "/plain-form.html", inShadowRoot: false },
  oneScript: { path: "/plain-form-one-script.html", inShadowRoot: false },
  widget: { path: "/widget-form.html", inShadowRoot: true },
};

const browser = await launchBrowser();

async function coldLoad({ path, inShadowRoot, from = base }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Injected before the page's own scripts (over the DevTools protocol, so the
  // page's CSP does not apply): looks for the input on every turn of the event
  // loop and notes when it is there and enabled. Measuring inside the page keeps
  // the driver's own latency out of both numbers.
  await page.addInitScript((shadow) => {
    const probe = () => {
      const root = shadow ? document.querySelector("setter-contact-form")?.shadowRoot : document;
      const input = root?.querySelector('input[name="identifier"]');
      const submit = root?.querySelector('button[type="submit"]');
      const now = performance.now();
      if (input && !input.disabled) window.__acceptsInputAt ??= now;
      if (submit && !submit.disabled) window.__liveAt ??= now;
      if (window.__acceptsInputAt === undefined || window.__liveAt === undefined) setTimeout(probe, 0);
    };
    probe();
  }, inShadowRoot);
  await page.goto(from + path, { waitUntil: "commit" });
  const ready = await page.waitForFunction(
    () => window.__liveAt !== undefined && { input: window.__acceptsInputAt, live: window.__liveAt },
    null, { timeout: 10_000 });
  const times = await ready.jsonValue();
  await context.close();
  return times;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

if (baselineBase) pages.baseline = { ...pages.widget, from: baselineBase };
for (const page of Object.values(pages)) await coldLoad(page); // warm the server, not the browser cache
const times = { plain: [], oneScript: [], widget: [], live: [], baseline: [], baselineLive: [] };
for (let i = 0; i < loads; i++) {
  times.plain.push((await coldLoad(pages.plain)).input);
  times.oneScript.push((await coldLoad(pages.oneScript)).input);
  const widget = await coldLoad(pages.widget);
  times.widget.push(widget.input);
  times.live.push(widget.live);
  if (pages.baseline) {
    const baseline = await coldLoad(pages.baseline);
    times.baseline.push(baseline.input);
    times.baselineLive.push(baseline.live);
  }
}
await browser.close();

const line = (label, values) =>
  console.log(`${label.padEnd(34)} median ${median(values).toFixed(1).padStart(6)} ms   (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`);
const plain = median(times.plain);
const widget = median(times.widget);
console.log(`cold loads: ${loads} each, interleaved, Chromium ${browser.version()}`);
line("plain HTML form: accepts input", times.plain);
line("  with one empty module script", times.oneScript);
line("widget: accepts input", times.widget);
line("widget: live (validates, can send)", times.live);
console.log(`ratio widget / plain (accepts input): ${(widget / plain).toFixed(2)}x   live / plain: ${(median(times.live) / plain).toFixed(2)}x`);
console.log(`ratio one empty script / plain: ${(median(times.oneScript) / plain).toFixed(2)}x   widget / one empty script: ${(widget / median(times.oneScript)).toFixed(2)}x`);
if (pages.baseline) {
  line("baseline build: accepts input", times.baseline);
  line("baseline build: live", times.baselineLive);
  console.log(`this build / baseline: accepts input ${(widget / median(times.baseline)).toFixed(2)}x, live ${(median(times.live) / median(times.baselineLive)).toFixed(2)}x`);
}
console.log(`goal: <= 1.5x and <= 150 ms median: ${widget <= 150 && widget / plain <= 1.5 ? "met" : "NOT met"}`);
