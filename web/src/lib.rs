//! wgpu-resample for JavaScript: the async host API on the browser's WebGPU, through
//! wasm-bindgen. `web/js/index.js` wraps these bindings in the package's API (torch's names,
//! options objects, typed arrays); nothing here blocks.
//!
//! Options arrive as JSON text (the wrapper serialises the caller's object), so that every
//! mistake in them is one of the crate's typed errors, thrown as a JS `Error` with the same
//! message as on native targets.

mod options;

use js_sys::{Array, Float32Array, Float64Array, Object, Promise, Reflect, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use wgpu_resample::image::{self, Engine, ImageRef, PixelVec, Pixels};

/// A resampler on one WebGPU device: `Resampler.create()`, then its methods, each of which
/// returns a promise.
#[wasm_bindgen]
pub struct Resampler {
    inner: Rc<wgpu_resample::Resampler>,
}

fn js_error(e: wgpu_resample::Error) -> JsValue {
    JsError::new(&e.to_string()).into()
}

fn shape_of(shape: &[u32]) -> Vec<usize> {
    shape.iter().map(|&d| d as usize).collect()
}

/// `{ data, shape }` for JS.
fn tensor(data: JsValue, shape: &[usize]) -> Result<JsValue, JsValue> {
    let out = Object::new();
    let dims: Array = shape.iter().map(|&d| JsValue::from(d as f64)).collect();
    Reflect::set(&out, &"data".into(), &data)?;
    Reflect::set(&out, &"shape".into(), &dims)?;
    Ok(out.into())
}

#[wasm_bindgen]
impl Resampler {
    /// Open WebGPU's adapter (`navigator.gpu`) and a device with the limits and features the
    /// resampler needs (see the crate's `needed_limits` and `wanted_features`). `kernels`:
    /// "auto" (the kernels for CPU adapters on a fallback adapter, else the gather kernels),
    /// "cpu" or "gather".
    pub async fn create(kernels: &str) -> Result<Resampler, JsValue> {
        let cpu = match kernels {
            "auto" => None,
            "cpu" => Some(true),
            "gather" => Some(false),
            other => {
                return Err(js_error(wgpu_resample::Error::Argument {
                    name: "kernels",
                    reason: format!("{other:?} is not one of \"auto\", \"cpu\", \"gather\""),
                }))
            }
        };
        let mut inner = wgpu_resample::Resampler::new_default_async()
            .await
            .map_err(js_error)?;
        if let Some(on) = cpu {
            inner = inner.with_cpu_kernels(on);
            if inner.cpu_kernels() != on {
                return Err(js_error(wgpu_resample::Error::Unsupported(
                    "the kernels for CPU adapters need 64 KiB uniform bindings".into(),
                )));
            }
        }
        Ok(Resampler {
            inner: Rc::new(inner),
        })
    }

    /// The adapter's description, as WebGPU gives it (browsers may give none), and whether
    /// it is a fallback (software) adapter.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> String {
        let Some(i) = self.inner.adapter_info() else {
            return "WebGPU".into();
        };
        let name = if i.name.is_empty() {
            "WebGPU adapter"
        } else {
            &i.name
        };
        if i.device_type == wgpu_resample::wgpu::DeviceType::Cpu {
            format!("{name} (fallback adapter)")
        } else {
            name.to_string()
        }
    }

    /// Which kernels run: the gather kernels (GPUs) or the kernels for CPU adapters.
    #[wasm_bindgen(getter, js_name = cpuKernels)]
    pub fn cpu_kernels(&self) -> bool {
        self.inner.cpu_kernels()
    }

    /// torch's `interpolate` on float32 data (N, C, [D,] [H,] W, contiguous); resolves to
    /// `{ data: Float32Array, shape }`.
    pub fn interpolate(&self, data: Vec<f32>, shape: Vec<u32>, options: &str) -> Promise {
        let r = self.inner.clone();
        let options = options.to_string();
        future_to_promise(async move {
            let o = options::torch(&options).map_err(js_error)?;
            let (out, shape) = r
                .interpolate_async(&data, &shape_of(&shape), &o)
                .await
                .map_err(js_error)?;
            tensor(Float32Array::from(&out[..]).into(), &shape)
        })
    }

    /// torch's `interpolate` on uint8 data (its uint8 kernels); resolves to
    /// `{ data: Uint8Array, shape }`.
    #[wasm_bindgen(js_name = interpolateU8)]
    pub fn interpolate_u8(&self, data: Vec<u8>, shape: Vec<u32>, options: &str) -> Promise {
        let r = self.inner.clone();
        let options = options.to_string();
        future_to_promise(async move {
            let o = options::torch(&options).map_err(js_error)?;
            let (out, shape) = r
                .interpolate_u8_async(&data, &shape_of(&shape), &o)
                .await
                .map_err(js_error)?;
            tensor(Uint8Array::from(&out[..]).into(), &shape)
        })
    }

    /// The gradient of `interpolate` with respect to its input; resolves to a Float32Array
    /// of the input's shape.
    #[wasm_bindgen(js_name = interpolateBackward)]
    pub fn interpolate_backward(
        &self,
        grad_output: Vec<f32>,
        input_shape: Vec<u32>,
        options: &str,
    ) -> Promise {
        let r = self.inner.clone();
        let options = options.to_string();
        future_to_promise(async move {
            let o = options::torch(&options).map_err(js_error)?;
            let g = r
                .interpolate_backward_async(&grad_output, &shape_of(&input_shape), &o)
                .await
                .map_err(js_error)?;
            Ok(Float32Array::from(&g[..]).into())
        })
    }

    /// An 8-bit image (interleaved samples, `channels` per pixel, rows packed) resized as
    /// `options` says (see `web/js/index.d.ts`); resolves to `{ data: Uint8Array, width,
    /// height }`.
    #[wasm_bindgen(js_name = resizeImage)]
    pub fn resize_image(
        &self,
        pixels: Vec<u8>,
        width: u32,
        height: u32,
        channels: u32,
        options: &str,
    ) -> Promise {
        let r = self.inner.clone();
        let options = options.to_string();
        future_to_promise(async move {
            let o = options::image(&options).map_err(js_error)?;
            let src = ImageRef::new(
                Pixels::U8(&pixels),
                width as usize,
                height as usize,
                channels as usize,
            )
            .map_err(js_error)?;
            let out = image::resize_async(Engine::Gpu(&r), &src, &o)
                .await
                .map_err(js_error)?;
            let PixelVec::U8(data) = out.pixels else {
                return Err(JsError::new("an 8-bit image came back with other samples").into());
            };
            let obj = Object::new();
            Reflect::set(&obj, &"data".into(), &Uint8Array::from(&data[..]))?;
            Reflect::set(&obj, &"width".into(), &(out.width as f64).into())?;
            Reflect::set(&obj, &"height".into(), &(out.height as f64).into())?;
            Ok(obj.into())
        })
    }
}

/// The CPU reference (float64), for checking the GPU from JS: torch's `interpolate` on
/// float32 data. Returns `{ data: Float64Array, shape }`.
#[wasm_bindgen(js_name = referenceInterpolate)]
pub fn reference_interpolate(
    data: Vec<f32>,
    shape: Vec<u32>,
    options: &str,
) -> Result<JsValue, JsValue> {
    let o = options::torch(options).map_err(js_error)?;
    let (out, shape) =
        wgpu_resample::reference::interpolate(&data, &shape_of(&shape), &o).map_err(js_error)?;
    tensor(Float64Array::from(&out[..]).into(), &shape)
}

/// The CPU reference of torch's uint8 kernels. Returns `{ data: Uint8Array, shape }`.
#[wasm_bindgen(js_name = referenceInterpolateU8)]
pub fn reference_interpolate_u8(
    data: Vec<u8>,
    shape: Vec<u32>,
    options: &str,
) -> Result<JsValue, JsValue> {
    let o = options::torch(options).map_err(js_error)?;
    let (out, shape) =
        wgpu_resample::reference::interpolate_u8(&data, &shape_of(&shape), &o).map_err(js_error)?;
    tensor(Uint8Array::from(&out[..]).into(), &shape)
}
