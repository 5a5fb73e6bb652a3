// Debian's headless Chromium driven over the DevTools protocol directly, for
// benchmarks that send many requests.
//
// Why not Playwright, as the tests use: Playwright turns on the protocol's
// Network domain in every page, so the browser process writes an event to the
// driver for each request's every step. For one page load that is nothing;
// for 2,000 PUTs it is most of the browser's work: plain fetch of the same
// 2,000 PUTs to the same proxy measured about 460 rows/s under Playwright and
// 720 rows/s here, with the browser process's CPU falling from 1.07 to 0.34 ms
// a request. This client enables nothing: it only evaluates script in the
// page, so the figures are the page's own.
//
// The protocol runs over a pipe (--remote-debugging-pipe: Chromium reads
// commands on fd 3 and writes answers on fd 4, each message ending in NUL),
// so no WebSocket and no port is needed.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_ARGS } from "../../tests/e2e/harness.mjs";

/** Starts Chromium; resolves with a handle that opens pages. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "bench-chromium-"));
  const child = spawn("/usr/bin/chromium", [
    "--headless", "--remote-debugging-pipe", `--user-data-dir=${profile}`, ...CHROMIUM_ARGS, "about:blank",
  ], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
  const [toBrowser, fromBrowser] = [child.stdio[3], child.stdio[4]];
  let nextId = 0;
  const waiting = new Map();
  let pending = "";
  fromBrowser.setEncoding("utf8");
  fromBrowser.on("data", (text) => {
    const messages = (pending + text).split("\0");
    pending = messages.pop();
    for (const message of messages) {
      const { id, result, error } = JSON.parse(message);
      const waiter = waiting.get(id);
      if (!waiter) continue; // an event: none is enabled, but targets announce themselves
      waiting.delete(id);
      if (error) waiter.reject(new Error(`${waiter.method}: ${error.message}`));
      else waiter.resolve(result);
    }
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  exited.then(() => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`Chromium exited during ${waiter.method}`));
  });

  /** Sends one command (to a page when `sessionId` is given). */
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = ++nextId;
    waiting.set(id, { resolve, reject, method });
    toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
  });

  return {
    /** Chromium's version, as "Chrome/…" says it. */
    async version() {
      return (await send("Browser.getVersion")).product.replace(/^[^/]*\//, "");
    },
    /**
     * A page in a context of its own (fresh storage and cache), at `url` once
     * loaded; `beforeLoad`, a script's text, runs in it before the page's own.
     */
    async open(url, { beforeLoad } = {}) {
      const { browserContextId } = await send("Target.createBrowserContext");
      const { targetId } = await send("Target.createTarget",
        { url: beforeLoad ? "about:blank" : url, browserContextId });
      const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
      if (beforeLoad) {
        // The Page domain only for this: its events are per page, not per request.
        await send("Page.enable", {}, sessionId);
        await send("Page.addScriptToEvaluateOnNewDocument", { source: beforeLoad }, sessionId);
        await send("Page.navigate", { url }, sessionId);
      }
      const page = {
        /** The value of `expression` in the page, promises awaited. */
        async evaluate(expression) {
          const { result, exceptionDetails } = await send("Runtime.evaluate",
            { expression, awaitPromise: true, returnByValue: true }, sessionId);
          if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
          return result.value;
        },
        /** Waits (polling, at most `ms`) until `expression` is true in the page. */
        async waitFor(expression, ms = 20_000) {
          const deadline = Date.now() + ms;
          // A page still loading may have no context to evaluate in yet.
          while (!(await page.evaluate(expression).catch(() => false))) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        },
        /** The page's JS heap in use, in bytes (the Performance domain, enabled only for this). */
        async heapUsed() {
          await send("Performance.enable", {}, sessionId);
          const { metrics } = await send("Performance.getMetrics", {}, sessionId);
          await send("Performance.disable", {}, sessionId);
          return metrics.find((metric) => metric.name === "JSHeapUsedSize").value;
        },
        async close() {
          await send("Target.closeTarget", { targetId });
          await send("Target.disposeBrowserContext", { browserContextId });
        },
      };
      await page.waitFor(`location.protocol !== "about:" && document.readyState === "complete"`);
      return page;
    },
    async close() {
      child.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
