//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;
use wgpu_resample::Resampler;

/// The GPU under test (default adapter, honouring WGPU_BACKEND / WGPU_ADAPTER_NAME).
/// Without an adapter: a failure under CI=true, else a printed skip.
pub fn gpu() -> Option<&'static Resampler> {
    static GPU: OnceLock<Option<Resampler>> = OnceLock::new();
    GPU.get_or_init(|| match Resampler::new_default() {
        Ok(r) => {
            if let Some(i) = r.adapter_info() {
                eprintln!(
                    "GPU tests on {} ({:?}, {})",
                    i.name, i.backend, i.driver_info
                );
            }
            Some(r)
        }
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true but no usable GPU adapter: {e}");
            }
            eprintln!(
                "SKIPPING GPU test: no usable GPU adapter ({e}); install mesa-vulkan-drivers"
            );
            None
        }
    })
    .as_ref()
}

/// The GPU with each of its paths: the adapter's default (on CPU adapters the row kernels
/// where a pass allows them, else uniform windows; the storage path on GPUs) and the other
/// one (row kernels off, the other input path), so that both kernel families are checked on
/// whatever adapter runs the tests; the other one also flips how the host API moves data
/// (buffers mapped directly or staging copies) where the device allows both. Empty when
/// there is no GPU (see `gpu`). tests/gpu_windows.rs checks the windows without the row
/// kernels.
pub fn gpu_paths() -> Vec<&'static Resampler> {
    static OTHER: OnceLock<Option<Resampler>> = OnceLock::new();
    let Some(main) = gpu() else {
        return Vec::new();
    };
    let other = OTHER.get_or_init(|| {
        let r = Resampler::new_default().expect("a second device on the same adapter");
        let flipped = r
            .with_row_kernels(false)
            .with_uniform_windows(!main.uniform_windows())
            .with_direct_map(!main.maps_directly());
        // An adapter without 64 KiB uniform bindings has the storage path only.
        (flipped.uniform_windows() != main.uniform_windows()).then_some(flipped)
    });
    let mut v = vec![main];
    v.extend(other.as_ref());
    v
}

/// "rows+windows", "windows", "rows+storage" or "storage", for messages.
pub fn path_name(r: &Resampler) -> &'static str {
    match (r.row_kernels(), r.uniform_windows()) {
        (true, true) => "rows+windows",
        (false, true) => "windows",
        (true, false) => "rows+storage",
        (false, false) => "storage",
    }
}

/// SplitMix64: a small, seeded, reproducible generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi] (inclusive).
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn bool(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }
    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.range(0, v.len() - 1)]
    }
    /// Values in [-4, 4).
    pub fn data(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| (self.f64() * 8.0 - 4.0) as f32).collect()
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// Largest |a - b| and the tolerance for f32 results of a sum of `taps` products whose
/// reference magnitude is `scale`.
pub fn max_abs_diff(a: &[f32], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y).abs())
        .fold(0.0, f64::max)
}

/// Largest |a - b| of two uint8 results.
pub fn max_u8_diff(a: &[u8], b: &[u8]) -> i32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x as i32 - y as i32).abs())
        .max()
        .unwrap_or(0)
}

/// Whether a GPU result matches the reference's where specials (NaN, infinities) may
/// appear: both NaN, the same infinity, or finite and close.
pub fn same_special(gpu: f32, want: f64) -> bool {
    let g = gpu as f64;
    (g.is_nan() && want.is_nan())
        || (g.is_infinite() && g == want)
        || (g.is_finite() && want.is_finite() && (g - want).abs() <= 1e-4 * want.abs().max(1.0))
}

pub fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// NCHW (flattened planes) to N, spatial..., C.
/// The inverse of `to_channels_last`: NCHW data from channels-last data of NCHW `shape`.
pub fn from_channels_last<T: Copy>(x: &[T], shape: &[usize]) -> Vec<T> {
    let (n, c) = (shape[0], shape[1]);
    let s: usize = shape[2..].iter().product();
    let mut out = Vec::with_capacity(x.len());
    for b in 0..n {
        for ch in 0..c {
            for i in 0..s {
                out.push(x[(b * s + i) * c + ch]);
            }
        }
    }
    out
}

pub fn to_channels_last<T: Copy>(x: &[T], shape: &[usize]) -> Vec<T> {
    let (n, c) = (shape[0], shape[1]);
    let s: usize = shape[2..].iter().product();
    let mut out = Vec::with_capacity(x.len());
    for b in 0..n {
        for i in 0..s {
            for ch in 0..c {
                out.push(x[(b * c + ch) * s + i]);
            }
        }
    }
    out
}
