// Types of wgpu-resample's JavaScript package (web/js/index.js).

/** torch.nn.functional.interpolate's modes. */
export type Mode =
  | "nearest"
  | "nearest-exact"
  | "linear"
  | "bilinear"
  | "bicubic"
  | "trilinear"
  | "area"
  | "lanczos";

/** interpolate's keyword arguments, in camelCase. Unknown keys are errors. */
export interface InterpolateOptions {
  /** Output spatial size: one number for every spatial dim, or one per dim. */
  size?: number | number[];
  /** Scale per spatial dim (one number for all); used as float64, as torch does. */
  scaleFactor?: number | number[];
  /** "nearest" by default, as torch. */
  mode?: Mode;
  alignCorners?: boolean;
  recomputeScaleFactor?: boolean;
  antialias?: boolean;
  /** Clamp the output to [min, max] inside the kernel. */
  clamp?: [number, number];
}

/** How an image is resized: a box (`width`, `height`, `fit`) or a `scale`. */
export interface ImageOptions {
  width?: number;
  height?: number;
  /** "exact" (default), "fit" (inside the box) or "fill" (cover it, centre cut). */
  fit?: "exact" | "fit" | "fill";
  scale?: number;
  /** "bilinear" by default. */
  mode?: Mode;
  antialias?: boolean;
  alignCorners?: boolean;
  /** "premultiply" (default: straight alpha), "premultiplied" or "ignore". */
  alpha?: "premultiply" | "premultiplied" | "ignore";
  /** Filter in linear light (sRGB decoded first). */
  linearLight?: boolean;
  /** "auto" (torch's uint8 kernels where they exist), "uint8" or "float". */
  filtering?: "auto" | "uint8" | "float";
}

export interface Tensor<T> {
  data: T;
  shape: number[];
}

export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Load the WebAssembly module (bytes, a URL or a Response; next to the package by default). */
export function init(wasm?: BufferSource | URL | string | Response): Promise<void>;

export class Resampler {
  /**
   * Open WebGPU's adapter (navigator.gpu) and a device. `kernels`: "auto" (default: the
   * kernels for CPU adapters on a fallback adapter, the gather kernels elsewhere), "cpu" or
   * "gather".
   */
  static create(options?: { kernels?: "auto" | "cpu" | "gather" }): Promise<Resampler>;
  /** The adapter, as WebGPU describes it. */
  readonly adapter: string;
  /** Whether the kernels for CPU adapters run (a fallback adapter), else the gather kernels. */
  readonly cpuKernels: boolean;
  /** float32 data through torch's float kernels. */
  interpolate(
    data: Float32Array | number[],
    shape: number[],
    options?: InterpolateOptions,
  ): Promise<Tensor<Float32Array>>;
  /** uint8 data through torch's uint8 kernels. */
  interpolate(
    data: Uint8Array | Uint8ClampedArray,
    shape: number[],
    options?: InterpolateOptions,
  ): Promise<Tensor<Uint8Array>>;
  /** The gradient with respect to the input, shaped as `inputShape`. */
  interpolateBackward(
    gradOutput: Float32Array | number[],
    inputShape: number[],
    options?: InterpolateOptions,
  ): Promise<Float32Array>;
  resizeImageData(image: ImageData | RgbaImage, options: ImageOptions): Promise<ImageData | RgbaImage>;
  resizeImageBitmap(bitmap: ImageBitmap, options: ImageOptions): Promise<ImageBitmap>;
}

/** The resampler the module-level functions share, created on first use. */
export function defaultResampler(): Promise<Resampler>;
export function interpolate(
  data: Float32Array | number[],
  shape: number[],
  options?: InterpolateOptions,
): Promise<Tensor<Float32Array>>;
export function interpolate(
  data: Uint8Array | Uint8ClampedArray,
  shape: number[],
  options?: InterpolateOptions,
): Promise<Tensor<Uint8Array>>;
export function resizeImageData(image: ImageData | RgbaImage, options: ImageOptions): Promise<ImageData | RgbaImage>;
export function resizeImageBitmap(bitmap: ImageBitmap, options: ImageOptions): Promise<ImageBitmap>;
/** The crate's CPU reference: float64 for float data, torch's uint8 kernels for bytes. */
export function referenceInterpolate(
  data: Float32Array | number[],
  shape: number[],
  options?: InterpolateOptions,
): Promise<Tensor<Float64Array>>;
export function referenceInterpolate(
  data: Uint8Array | Uint8ClampedArray,
  shape: number[],
  options?: InterpolateOptions,
): Promise<Tensor<Uint8Array>>;
