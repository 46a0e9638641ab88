// wgpu-resample for JavaScript: torch's `interpolate` on WebGPU (the package's API over the
// wasm-bindgen bindings of web/src/lib.rs, built into web/pkg/ by web/build.sh).
//
// Every call is async; errors are thrown as `Error`s whose messages are the Rust crate's.

import initWasm, {
  Resampler as Bindings,
  referenceInterpolate as refF32,
  referenceInterpolateU8 as refU8,
} from "../pkg/wgpu_resample_web.js";

let ready = null;

/// Load the WebAssembly module once: from `wasm` (bytes, a URL or a Response) if given, else
/// next to this file (fetched in a browser, read from disk on Node and Deno).
export function init(wasm) {
  if (!ready) {
    ready = (async () => {
      let source = wasm;
      if (source === undefined) {
        const url = new URL("../pkg/wgpu_resample_web_bg.wasm", import.meta.url);
        if (globalThis.Deno) {
          source = await globalThis.Deno.readFile(url);
        } else if (globalThis.process?.versions?.node) {
          const fs = await import("node:fs/promises");
          source = await fs.readFile(url);
        } else {
          source = url;
        }
      }
      await initWasm({ module_or_path: source });
    })();
  }
  return ready;
}

const json = (options) => JSON.stringify(options ?? {});

function floats(data, name) {
  if (data instanceof Float32Array) return data;
  if (Array.isArray(data) || data instanceof Float64Array) return Float32Array.from(data);
  throw new TypeError(`${name}: expected a Float32Array, a Uint8Array or an array of numbers`);
}

const isBytes = (data) => data instanceof Uint8Array || data instanceof Uint8ClampedArray;

/// A resampler on one WebGPU device.
export class Resampler {
  #inner;

  constructor(inner) {
    this.#inner = inner;
  }

  /// Open WebGPU's adapter and a device. `options.kernels`: "auto" (default: the kernels
  /// for CPU adapters on a fallback adapter, the gather kernels elsewhere), "cpu" or
  /// "gather" (to compare them).
  static async create(options = {}) {
    await init();
    return new Resampler(await Bindings.create(options.kernels ?? "auto"));
  }

  /// The adapter, as WebGPU describes it.
  get adapter() {
    return this.#inner.adapter;
  }

  /// Whether the kernels for CPU adapters run (a fallback adapter), else the gather kernels.
  get cpuKernels() {
    return this.#inner.cpuKernels;
  }

  /// torch.nn.functional.interpolate(data viewed as `shape`, **options): float32 data (a
  /// Float32Array or an array of numbers) through torch's float kernels, uint8 data (a
  /// Uint8Array or Uint8ClampedArray) through torch's uint8 kernels. Options: `size` or
  /// `scaleFactor` (a number or one per spatial dim), `mode` ("nearest", "nearest-exact",
  /// "linear", "bilinear", "bicubic", "trilinear", "area", "lanczos"), `alignCorners`,
  /// `recomputeScaleFactor`, `antialias`, `clamp: [min, max]`. Resolves to `{ data, shape }`
  /// with data of the input's element type.
  async interpolate(data, shape, options) {
    if (isBytes(data)) {
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
      return this.#inner.interpolateU8(bytes, Uint32Array.from(shape), json(options));
    }
    return this.#inner.interpolate(floats(data, "data"), Uint32Array.from(shape), json(options));
  }

  /// The gradient of `interpolate` with respect to its input: `gradOutput` shaped as the
  /// output, resolves to a Float32Array shaped as `inputShape`.
  async interpolateBackward(gradOutput, inputShape, options) {
    return this.#inner.interpolateBackward(
      floats(gradOutput, "gradOutput"),
      Uint32Array.from(inputShape),
      json(options),
    );
  }

  /// An RGBA8 image (an `ImageData`, or any `{ data, width, height }` of 4 bytes per pixel)
  /// resized. Options: `width` and `height` with `fit` ("exact", "fit", "fill"), or `scale`;
  /// `mode` ("bilinear" by default), `antialias`, `alignCorners`, `alpha` ("premultiply" by
  /// default, "premultiplied", "ignore"), `linearLight`, `filtering` ("auto", "uint8",
  /// "float"). Resolves to an `ImageData` where the platform has one, else to
  /// `{ data: Uint8ClampedArray, width, height }`.
  async resizeImageData(image, options) {
    const { data, width, height } = image;
    if (!isBytes(data) || data.length !== width * height * 4) {
      throw new TypeError("image: expected RGBA8 pixels, width * height * 4 bytes");
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
    const out = await this.#inner.resizeImage(bytes, width, height, 4, json(options));
    const pixels = new Uint8ClampedArray(out.data.buffer, out.data.byteOffset, out.data.length);
    if (typeof ImageData === "function") return new ImageData(pixels, out.width, out.height);
    return { data: pixels, width: out.width, height: out.height };
  }

  /// An `ImageBitmap` (or anything `drawImage` takes, with `width` and `height`) resized as
  /// `resizeImageData` does; resolves to an `ImageBitmap`. Needs `OffscreenCanvas`.
  async resizeImageBitmap(bitmap, options) {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return createImageBitmap(await this.resizeImageData(pixels, options));
  }
}

let shared = null;

/// The resampler the module-level functions use, created on first use.
export function defaultResampler() {
  shared ??= Resampler.create();
  return shared;
}

/// `Resampler.interpolate` on the default resampler.
export async function interpolate(data, shape, options) {
  return (await defaultResampler()).interpolate(data, shape, options);
}

/// `Resampler.resizeImageData` on the default resampler.
export async function resizeImageData(image, options) {
  return (await defaultResampler()).resizeImageData(image, options);
}

/// `Resampler.resizeImageBitmap` on the default resampler.
export async function resizeImageBitmap(bitmap, options) {
  return (await defaultResampler()).resizeImageBitmap(bitmap, options);
}

/// The crate's CPU reference (float64 for float data, torch's uint8 kernels for bytes), to
/// check the GPU against: `{ data, shape }`, data a Float64Array or a Uint8Array.
export async function referenceInterpolate(data, shape, options) {
  await init();
  if (isBytes(data)) {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
    return refU8(bytes, Uint32Array.from(shape), json(options));
  }
  return refF32(floats(data, "data"), Uint32Array.from(shape), json(options));
}
