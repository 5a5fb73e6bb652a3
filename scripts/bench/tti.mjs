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

// Debian's Chromium with the flags every browser test here uses, driven over a
// bare DevTools pipe: Playwright's per-request instrumentation would weigh on
// the widget's page (six requests) more than on the plain form's (one).
import { launch } from "./cdp.mjs";

const [base, loadsArg, baselineBase] = process.argv.slice(2);
const loads = Number(loadsArg ?? 20);
const pages = {
  plain: { path: "/plain-form.html", inShadowRoot: false },
  oneScript: { path: "/plain-form-one-script.html", inShadowRoot: false },
  widget: { path: "/widget-form.html", inShadowRoot: true },
};

const browser = await launch();

/** Runs in the page before its own scripts (so the page's CSP does not apply):
 * looks for the input on every turn of the event loop and notes when it is
 * there and enabled. Measuring inside the page keeps the driver's own latency
 * out of both numbers. */
function probe(shadow) {
  const look = () => {
    const root = shadow ? document.querySelector("setter-contact-form")?.shadowRoot : document;
    const input = root?.querySelector('input[name="identifier"]');
    const submit = root?.querySelector('button[type="submit"]');
    const now = performance.now();
    if (input && !input.disabled) window.__acceptsInputAt ??= now;
    if (submit && !submit.disabled) window.__liveAt ??= now;
    if (window.__acceptsInputAt === undefined || window.__liveAt === undefined) setTimeout(look, 0);
  };
  look();
}

async function coldLoad({ path, inShadowRoot, from = base }) {
  const page = await browser.open(from + path, { beforeLoad: `(${probe})(${inShadowRoot})` });
  await page.waitFor("window.__liveAt !== undefined", 10_000);
  const times = await page.evaluate("({ input: window.__acceptsInputAt, live: window.__liveAt })");
  await page.close();
  // The browser tears a context down after closing it; let that finish, or
  // it lands on the next load (the first page of each round was the slowest).
  await new Promise((resolve) => setTimeout(resolve, 150));
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
// Each round starts with the next page in turn, so that no page is always the
// one loaded right after another page's context went away.
const names = Object.keys(pages);
for (let i = 0; i < loads; i++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + k) % names.length];
    const { input, live } = await coldLoad(pages[name]);
    times[name].push(input);
    if (name === "widget") times.live.push(live);
    if (name === "baseline") times.baselineLive.push(live);
  }
}
const version = await browser.version();
await browser.close();

const line = (label, values) =>
  console.log(`${label.padEnd(34)} median ${median(values).toFixed(1).padStart(6)} ms   (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`);
const plain = median(times.plain);
const widget = median(times.widget);
console.log(`cold loads: ${loads} each, interleaved, Chromium ${version}`);
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
