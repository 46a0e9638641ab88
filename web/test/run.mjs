// The JavaScript package's tests, headless, on Node (Dawn: `node test/run.mjs`) and on Deno
// (`deno run --unstable-webgpu --allow-read --allow-env --allow-ffi test/run.mjs`):
//
// 1. the torch corpus (tests/data/torch, torch-f32-picks): every case's forward result and
//    gradient within its tolerance, and every call torch rejects rejected;
// 2. randomized calls, the GPU against the crate's CPU reference (compiled into the same
//    WebAssembly module), float32 and uint8;
// 3. errors: JS `Error`s carrying the crate's messages;
// 4. the image helper on RGBA pixels.
//
// Prints each group's tally and exits non-zero when anything failed. WGPU_RESAMPLE_CASES=N
// runs only every N-th corpus case (a quicker run; CI runs them all); WGPU_RESAMPLE_KERNELS=
// cpu or gather picks the kernel family (default: the adapter's own).

import { exit, readFile, readText, runtime, setUpWebGpu } from "./env.mjs";

await setUpWebGpu();
const { Resampler, referenceInterpolate } = await import("../js/index.js");

const data = new URL("../../tests/data/", import.meta.url);
const env = (name) =>
  runtime === "deno" ? globalThis.Deno.env.get(name) : globalThis.process.env[name];
const every = Number(env("WGPU_RESAMPLE_CASES") ?? "1");

const failures = [];
const tallies = [];
function tally(name) {
  const t = { name, passed: 0, total: 0 };
  tallies.push(t);
  return (ok, what) => {
    t.total += 1;
    if (ok) t.passed += 1;
    else failures.push(`${name}: ${what}`);
  };
}

// NumPy .npy (version 1.0, little-endian f4 / f8 / u1), as the corpus stores its tensors.
function npy(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint16(8, true);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const body = bytes.slice(10 + headerLen);
  const n = shape.reduce((a, b) => a * b, 1);
  const typed = {
    "<f4": () => new Float32Array(body.buffer, 0, n),
    "<f8": () => new Float64Array(body.buffer, 0, n),
    "|u1": () => new Uint8Array(body.buffer, 0, n),
  }[descr];
  if (!typed) throw new Error(`npy: unsupported dtype ${descr}`);
  return { data: typed(), shape };
}

function options(c) {
  const o = { mode: c.mode, antialias: c.antialias ?? false };
  if (c.size != null) o.size = c.size;
  if (c.scale_factor != null) o.scaleFactor = c.scale_factor;
  if (c.align_corners != null) o.alignCorners = c.align_corners;
  if (c.recompute_scale_factor != null) o.recomputeScaleFactor = c.recompute_scale_factor;
  return o;
}

// The largest |got - want| (NaN where one is NaN and the other is not, or infinities differ).
function maxError(got, want) {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return NaN;
      continue;
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) return NaN;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - w));
  }
  return worst;
}

const sameShape = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);

// WGPU_RESAMPLE_KERNELS=cpu|gather picks the kernel family (both on every adapter).
const r = await Resampler.create({ kernels: env("WGPU_RESAMPLE_KERNELS") ?? "auto" });
console.log(`${runtime}: WebGPU adapter ${r.adapter}, ${r.cpuKernels ? "kernels for CPU adapters" : "gather kernels"}`);

// 1. The torch corpus.
for (const corpus of ["torch", "torch-f32-picks"]) {
  const dir = new URL(`${corpus}/`, data);
  const manifest = JSON.parse(await readText(new URL("manifest.json", dir)));
  const forward = tally(`${corpus} forward`);
  const rejected = tally(`${corpus} rejections`);
  const gradient = tally(`${corpus} gradient`);
  for (const [i, c] of manifest.cases.entries()) {
    if (i % every !== 0) continue;
    const input = npy(await readFile(new URL(c.input, dir)));
    const o = options(c);
    if (c.expect_error !== undefined) {
      let threw = false;
      try {
        await r.interpolate(input.data, input.shape, o);
      } catch (e) {
        threw = e instanceof Error && e.message.length > 0;
      }
      rejected(threw, `${c.id} was not rejected (torch: ${c.expect_error})`);
      continue;
    }
    const want = npy(await readFile(new URL(c.expected, dir)));
    try {
      const got = await r.interpolate(input.data, input.shape, o);
      const err = maxError(got.data, want.data);
      forward(
        sameShape(got.shape, c.output_shape) && err <= c.atol,
        `${c.id} (${c.mode}): shape ${got.shape}, max error ${err} > atol ${c.atol}`,
      );
    } catch (e) {
      forward(false, `${c.id}: ${e.message}`);
    }
    if (c.grad_output !== undefined) {
      const g = npy(await readFile(new URL(c.grad_output, dir)));
      const wantG = npy(await readFile(new URL(c.expected_grad_input, dir)));
      try {
        const got = await r.interpolateBackward(g.data, input.shape, o);
        const err = maxError(got, wantG.data);
        gradient(err <= c.grad_atol, `${c.id}: max error ${err} > grad_atol ${c.grad_atol}`);
      } catch (e) {
        gradient(false, `${c.id}: ${e.message}`);
      }
    }
  }
}

// 2. Randomized calls against the CPU reference.
let seed = 2026n;
function random() {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  return Number(seed >> 11n) / 2 ** 53;
}
const range = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const modes = {
  1: ["nearest", "nearest-exact", "linear", "area"],
  2: ["nearest", "nearest-exact", "bilinear", "bicubic", "area", "lanczos"],
  3: ["nearest", "nearest-exact", "trilinear", "area"],
};
const randomized = tally("randomized GPU vs reference (float32)");
const randomizedU8 = tally("randomized GPU vs reference (uint8)");
for (let i = 0; i < 48; i++) {
  const dims = range(1, 3);
  const mode = pick(modes[dims]);
  const spatial = Array.from({ length: dims }, () => range(1, dims === 3 ? 9 : 40));
  const shape = [range(1, 2), range(1, 4), ...spatial];
  const o = { mode };
  if (random() < 0.5) o.size = spatial.map((s) => Math.max(1, Math.round(s * (0.3 + 2 * random()))));
  else o.scaleFactor = spatial.map(() => Math.round((0.4 + 2 * random()) * 8) / 8);
  if (["linear", "bilinear", "bicubic", "trilinear"].includes(mode)) o.alignCorners = random() < 0.4;
  if (["bilinear", "bicubic"].includes(mode)) o.antialias = random() < 0.4;
  if (mode === "lanczos") o.antialias = true;
  const n = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: n }, () => random() * 2 - 1);
  const label = `${JSON.stringify(o)} on [${shape}]`;
  try {
    const want = await referenceInterpolate(x, shape, o);
    const got = await r.interpolate(x, shape, o);
    const exact = mode === "nearest" || mode === "nearest-exact";
    const scale = want.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const tol = exact ? 0 : 1e-5 + 1e-5 * scale;
    const err = maxError(got.data, want.data);
    randomized(sameShape(got.shape, want.shape) && err <= tol, `${label}: ${err} > ${tol}`);
    // uint8 where torch has a uint8 kernel for the mode (the reference refuses the others,
    // and the GPU must too).
    const bytes = Uint8Array.from(x, (v) => Math.round((v + 1) * 127.5));
    const wantU8 = await referenceInterpolate(bytes, shape, o).catch(() => null);
    if (wantU8) {
      const gotU8 = await r.interpolate(bytes, shape, o);
      const errU8 = maxError(gotU8.data, wantU8.data);
      randomizedU8(errU8 <= (exact ? 0 : 1), `uint8 ${label}: ${errU8}`);
    } else {
      const gpuThrew = await r.interpolate(bytes, shape, o).then(() => false, () => true);
      randomizedU8(gpuThrew, `uint8 ${label}: the reference refused it, the GPU did not`);
    }
  } catch (e) {
    // Calls torch rejects (a scale giving an empty output, say) must be rejected by both.
    let refThrew = false;
    try {
      await referenceInterpolate(x, shape, o);
    } catch {
      refThrew = true;
    }
    randomized(refThrew, `${label}: the GPU threw "${e.message}", the reference did not`);
  }
}

// 3. Errors: JS Errors with the crate's messages, before any GPU work.
const errors = tally("errors");
async function message(f) {
  try {
    await f();
  } catch (e) {
    return e instanceof Error ? e.message : `not an Error: ${e}`;
  }
  return "(no error)";
}
const x16 = new Float32Array(16);
const cases = [
  [
    () => r.interpolate(x16, [1, 1, 4, 4], { mode: "cubic", size: [8, 8] }),
    'invalid argument `mode`: unknown mode "cubic"; expected one of nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area, lanczos',
  ],
  [() => r.interpolate(x16, [1, 1, 4, 4], { mode: "bilinear", sise: [8, 8] }), "invalid argument `options`: unknown field `sise`"],
  [() => r.interpolate(x16, [1, 1, 4, 5], { mode: "bilinear", size: [8, 8] }), "invalid input `input`"],
  [() => r.interpolate(x16, [1, 1, 4, 4], { mode: "bilinear" }), "invalid argument"],
];
for (const [f, want] of cases) {
  const got = await message(f);
  errors(got.startsWith(want), `got "${got}", want it to start with "${want}"`);
}
const typeError = await message(() => r.interpolate("pixels", [1, 1, 4, 4], { size: [2, 2] }));
errors(typeError.startsWith("data: expected"), `got "${typeError}"`);

// 4. The image helper: RGBA8 pixels in, RGBA8 pixels out.
const images = tally("image helper");
{
  const [w, h] = [6, 4];
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([200, 100, 50, 255], 4 * i);
  const out = await r.resizeImageData({ data: rgba, width: w, height: h }, { width: 3, height: 2, antialias: true });
  const flat = out.data.every((v, i) => v === [200, 100, 50, 255][i % 4]);
  images(out.width === 3 && out.height === 2 && flat, `a flat colour changed: ${out.width}x${out.height} ${out.data}`);
  // A 2x1 image of transparent red and opaque blue to 1x1: blue at half alpha (straight
  // alpha premultiplied first), not purple.
  const two = new Uint8ClampedArray([255, 0, 0, 0, 0, 0, 255, 255]);
  const one = await r.resizeImageData({ data: two, width: 2, height: 1 }, { width: 1, height: 1, antialias: true });
  const [red, green, blue, alpha] = one.data;
  images(red === 0 && green === 0 && blue === 255 && Math.abs(alpha - 128) <= 1, `got ${one.data}`);
  const fit = await r.resizeImageData({ data: rgba, width: w, height: h }, { width: 3, height: 3, fit: "fit" });
  images(fit.width === 3 && fit.height === 2, `fit: ${fit.width}x${fit.height}`);
}

let failed = 0;
for (const t of tallies) {
  console.log(`${t.name}: ${t.passed}/${t.total}`);
  failed += t.total - t.passed;
}
for (const f of failures.slice(0, 30)) console.log(`FAILED ${f}`);
const total = tallies.reduce((s, t) => s + t.total, 0);
console.log(`${total - failed} passed, ${failed} failed (${runtime})`);
exit(failed === 0 && total > 0 ? 0 : 1);
