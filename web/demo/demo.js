// The demo page: an image (a chosen file, or a drawn test pattern), resized on WebGPU by
// wgpu-resample, shown next to the original with the time per call. URL parameters (mode,
// width, height, fit, antialias, linear, run=1) set the controls and resize at once, which
// is how the headless test drives it; when a run ends, <body data-state> is "done" (or
// "error") and #status says what happened.

import { Resampler } from "../js/index.js";

const $ = (id) => document.getElementById(id);
const status = (text, error = false) => {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
};

// A test pattern with fine detail (rings, stripes, text) where resampling modes differ.
function pattern(w, h) {
  const canvas = $("original");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d");
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, "#1d3557");
  g.addColorStop(0.5, "#e63946");
  g.addColorStop(1, "#f1c453");
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  ctx.lineWidth = 1;
  for (let r = 4; r < Math.min(w, h) / 2; r += 5) {
    ctx.strokeStyle = r % 10 === 4 ? "#ffffff" : "#000000";
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, r, 0, 2 * Math.PI);
    ctx.stroke();
  }
  for (let x = 0; x < w; x += 3) {
    ctx.fillStyle = x % 6 === 0 ? "#000" : "#fff";
    ctx.fillRect(x, h - 40, 1, 40);
  }
  ctx.fillStyle = "#fff";
  ctx.font = "bold 40px sans-serif";
  ctx.fillText("wgpu-resample", 20, 60);
  $("original-caption").textContent = `original: test pattern, ${w}x${h}`;
}

async function loadFile(file) {
  const bitmap = await createImageBitmap(file);
  const canvas = $("original");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  $("original-caption").textContent = `original: ${file.name}, ${bitmap.width}x${bitmap.height}`;
}

function options() {
  return {
    mode: $("mode").value,
    width: Number($("width").value),
    height: Number($("height").value),
    fit: $("fit").value,
    antialias: $("antialias").checked,
    linearLight: $("linear").checked,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(resampler) {
  document.body.dataset.state = "running";
  const src = $("original");
  const pixels = src.getContext("2d").getImageData(0, 0, src.width, src.height);
  const o = options();
  try {
    const t0 = performance.now();
    let out = await resampler.resizeImageData(pixels, o);
    const first = performance.now() - t0;
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      out = await resampler.resizeImageData(pixels, o);
      times.push(performance.now() - t);
    }
    const dst = $("result");
    dst.width = out.width;
    dst.height = out.height;
    dst.getContext("2d").putImageData(out, 0, 0);
    const aa = o.antialias ? " antialiased" : "";
    $("result-caption").textContent = `result: ${out.width}x${out.height}, ${o.mode}${aa}`;
    let sum = 0;
    for (const v of out.data) sum = (sum + v) % 1000000007;
    document.body.dataset.result = `${out.width}x${out.height} sum ${sum}`;
    status(
      `${src.width}x${src.height} -> ${out.width}x${out.height} ${o.mode}${aa}: ` +
        `${median(times).toFixed(2)} ms per call (median of 5; the first call, which builds ` +
        `the pipelines, ${first.toFixed(1)} ms) on ${resampler.adapter}`,
    );
    document.body.dataset.state = "done";
  } catch (e) {
    status(`error: ${e.message}`, true);
    document.body.dataset.state = "error";
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  for (const key of ["mode", "width", "height", "fit"]) {
    if (params.has(key)) $(key).value = params.get(key);
  }
  if (params.has("antialias")) $("antialias").checked = params.get("antialias") === "1";
  if (params.has("linear")) $("linear").checked = params.get("linear") === "1";
  pattern(640, 400);
  if (!navigator.gpu) {
    status("This browser has no WebGPU (navigator.gpu): try Chrome or Edge 113+, or Chromium with --enable-unsafe-webgpu.", true);
    document.body.dataset.state = "error";
    return;
  }
  let resampler;
  try {
    resampler = await Resampler.create();
  } catch (e) {
    status(`error: ${e.message}`, true);
    document.body.dataset.state = "error";
    return;
  }
  status(`Ready: ${resampler.adapter}`);
  // For the headless test (web/test/demo.mjs): the page's resampler and its options.
  window.demo = { resampler, options };
  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    if (file) {
      await loadFile(file);
      await run(resampler);
    }
  });
  $("controls").addEventListener("submit", (e) => {
    e.preventDefault();
    run(resampler);
  });
  if (params.get("run") === "1") await run(resampler);
}

main();
