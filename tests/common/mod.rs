//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod onnx;

use std::process::ExitCode;
use std::sync::OnceLock;
use wgpu_resample::{Error, Resampler};

/// Whether this run requires a GPU adapter: `CI` set to anything but empty, `false` or `0`.
pub fn ci_requires_gpu() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "false" | "0"))
}

/// The default device (honouring WGPU_BACKEND / WGPU_ADAPTER_NAME), opened once per test binary.
fn opened() -> &'static Result<Resampler, Error> {
    static GPU: OnceLock<Result<Resampler, Error>> = OnceLock::new();
    GPU.get_or_init(Resampler::new_default)
}

/// The GPU under test. Only GPU tests (see [`run`]) call it, and [`run`] runs them only when
/// the device opened.
pub fn gpu() -> &'static Resampler {
    match opened() {
        Ok(r) => r,
        Err(e) => panic!("a GPU test ran without a GPU: {e}"),
    }
}

/// One test of a binary that uses this harness (`harness = false` in Cargo.toml).
pub struct Test {
    name: &'static str,
    run: fn(),
    gpu: bool,
    /// A device feature the test needs beyond a GPU: without it the test is `ignored`.
    needs: Option<wgpu::Features>,
}

impl Test {
    /// A test that needs the GPU.
    pub fn gpu(name: &'static str, run: fn()) -> Test {
        Test {
            name,
            run,
            gpu: true,
            needs: None,
        }
    }
    /// A GPU test of 64-bit integer shader code (`SHADER_INT64`).
    pub fn gpu_int64(name: &'static str, run: fn()) -> Test {
        Test {
            needs: Some(wgpu::Features::SHADER_INT64),
            ..Test::gpu(name, run)
        }
    }
    /// A test that does not.
    pub fn cpu(name: &'static str, run: fn()) -> Test {
        Test {
            name,
            run,
            gpu: false,
            needs: None,
        }
    }
}

/// `fn main` of a test binary: `tests!(gpu: a, gpu: b, cpu: c)`.
#[macro_export]
macro_rules! tests {
    ($($kind:ident : $name:ident),* $(,)?) => {
        fn main() -> std::process::ExitCode {
            common::run(vec![$(common::Test::$kind(stringify!($name), $name)),*])
        }
    };
}

/// Run `tests` like libtest does (filters, `--list`, parallel threads). GPU tests need the
/// default adapter: without one they are reported `ignored` (and this says why, in the output
/// `cargo test` shows), unless CI requires a GPU (see [`ci_requires_gpu`]), where they fail.
/// Any other failure to open the device or build its pipelines fails them: never a skip.
pub fn run(tests: Vec<Test>) -> ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let wants_gpu = !args.list && tests.iter().any(|t| t.gpu);
    // None: the GPU is there; Some((ignore, why)) otherwise.
    let missing: Option<(bool, String)> = if !wants_gpu {
        None
    } else {
        match opened() {
            Ok(r) => {
                if let Some(i) = r.adapter_info() {
                    eprintln!(
                        "GPU tests on {} ({:?}, {})",
                        i.name, i.backend, i.driver_info
                    );
                }
                None
            }
            Err(Error::NoAdapter(e)) if !ci_requires_gpu() => {
                let n = tests.iter().filter(|t| t.gpu).count();
                eprintln!(
                    "{n} GPU tests IGNORED: no GPU adapter ({e}); install mesa-vulkan-drivers, \
                     or set CI=true to make a missing adapter fail"
                );
                Some((true, String::new()))
            }
            Err(Error::NoAdapter(e)) => Some((false, format!("CI requires a GPU adapter: {e}"))),
            Err(e) => Some((false, format!("the GPU could not be opened: {e}"))),
        }
    };
    let lacking = |t: &Test| {
        missing.is_none()
            && t.needs.is_some_and(|f| {
                !opened()
                    .as_ref()
                    .is_ok_and(|r| r.device().features().contains(f))
            })
    };
    let unmet: Vec<&str> = tests
        .iter()
        .filter(|t| lacking(t))
        .map(|t| t.name)
        .collect();
    if !unmet.is_empty() {
        eprintln!(
            "{} GPU tests IGNORED: the device lacks a feature they need ({})",
            unmet.len(),
            unmet.join(", ")
        );
    }
    let trials = tests
        .into_iter()
        .map(|t| {
            let run = t.run;
            if lacking(&t) {
                return libtest_mimic::Trial::test(t.name, || Ok(())).with_ignored_flag(true);
            }
            match (&missing, t.gpu) {
                (Some((true, _)), true) => {
                    libtest_mimic::Trial::test(t.name, || Ok(())).with_ignored_flag(true)
                }
                (Some((false, why)), true) => {
                    let why = why.clone();
                    libtest_mimic::Trial::test(t.name, move || Err(why.into()))
                }
                _ => libtest_mimic::Trial::test(t.name, move || {
                    run();
                    Ok(())
                }),
            }
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// The GPU with each of its kernel families: the adapter's default (on CPU adapters the
/// kernels for CPU adapters, the gather kernels on GPUs) and the other one, so that both are
/// checked on whatever adapter runs the tests; the other one also flips how the host API
/// moves data (buffers mapped directly or staging copies) where the device allows both.
pub fn gpu_paths() -> Vec<&'static Resampler> {
    static OTHER: OnceLock<Resampler> = OnceLock::new();
    let main = gpu();
    let other = OTHER.get_or_init(|| {
        Resampler::new_default()
            .expect("a second device on the same adapter")
            .with_cpu_kernels(!main.cpu_kernels())
            .with_direct_map(!main.maps_directly())
    });
    vec![main, other]
}

/// "cpu kernels" or "gather kernels", for messages.
pub fn path_name(r: &Resampler) -> &'static str {
    if r.cpu_kernels() {
        "cpu kernels"
    } else {
        "gather kernels"
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
