// The demo page in headless Chromium with WebGPU (`node test/demo.mjs`): serves web/ on a
// loopback port, opens demo/index.html with a resize to run at once, waits for it, checks
// what the page reports (the result's size, the time per call, no error) and that the result
// canvas holds an image (not one flat colour), and keeps a screenshot in
// web/test-output/demo.png.
//
// Chromium: CHROMIUM=path, else /usr/bin/chromium (Debian's `chromium` package). Headless,
// `--enable-unsafe-webgpu` gives Chromium's WebGPU on SwiftShader (a fallback adapter: the
// resampler runs its kernels for CPU adapters there).

import { createServer } from "node:http";
import { mkdir, readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("..", import.meta.url));
const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  try {
    const body = await readFile(join(root, path));
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const port = server.address().port;

let failed = false;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAILED"}: ${what}`);
  failed ||= !ok;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--enable-unsafe-webgpu", "--no-sandbox"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  page.on("pageerror", (e) => logs.push(`page error: ${e.message}`));
  const query = "run=1&mode=bicubic&width=320&height=200&fit=fit&antialias=1";
  await page.goto(`http://127.0.0.1:${port}/demo/index.html?${query}`);
  await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset.state), null, {
    timeout: 120_000,
  });
  const state = await page.evaluate(() => document.body.dataset.state);
  const status = await page.evaluate(() => document.getElementById("status").textContent);
  const result = await page.evaluate(() => document.body.dataset.result ?? "");
  console.log(`status: ${status}`);
  check(state === "done", `the page finished (state ${state})`);
  // The 640x400 test pattern fitted into 320x200.
  check(result.startsWith("320x200 "), `the result is 320x200 (${result})`);
  check(/ms per call/.test(status), "the page shows the time per call");
  const distinct = await page.evaluate(() => {
    const c = document.getElementById("result");
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  check(distinct > 100, `the result canvas holds an image (${distinct} colours)`);
  // resizeImageBitmap (an ImageBitmap of the original in, one out) gives the same pixels as
  // resizeImageData gave the page.
  const same = await page.evaluate(async () => {
    const src = document.getElementById("original");
    const bitmap = await createImageBitmap(src);
    const out = await window.demo.resampler.resizeImageBitmap(bitmap, window.demo.options());
    const c = new OffscreenCanvas(out.width, out.height);
    const ctx = c.getContext("2d");
    ctx.drawImage(out, 0, 0);
    const got = ctx.getImageData(0, 0, out.width, out.height).data;
    const r = document.getElementById("result");
    const want = r.getContext("2d").getImageData(0, 0, r.width, r.height).data;
    let differ = 0;
    for (let i = 0; i < want.length; i++) differ += got[i] !== want[i] ? 1 : 0;
    return { w: out.width, h: out.height, differ };
  });
  check(
    same.w === 320 && same.h === 200 && same.differ === 0,
    `resizeImageBitmap equals resizeImageData (${same.w}x${same.h}, ${same.differ} bytes differ)`,
  );
  await mkdir(new URL("../test-output/", import.meta.url), { recursive: true });
  const shot = fileURLToPath(new URL("../test-output/demo.png", import.meta.url));
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  if (failed) for (const l of logs) console.log(`console: ${l}`);
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
