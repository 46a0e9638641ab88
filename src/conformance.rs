//! The `resample-cases/1` corpus runner, shared by the tests and `resample verify`.
//!
//! A case counts once for its forward result and once more for its gradient when it has one;
//! an `expect_error` case passes only when the arguments are rejected.

use crate::error::{Error, Result};
use crate::npy::{self, NpyData};
use crate::options::onnx::{OnnxAttributes, OnnxOptions};
use crate::options::{Mode, Options, PerDim};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize)]
pub struct Manifest {
    pub format: String,
    #[serde(default)]
    pub generator: String,
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Case {
    pub id: String,
    /// torch's mode (torch's cases).
    #[serde(default)]
    pub mode: String,
    /// `"onnx"` for ONNX `Resize` cases (their arguments in `onnx`), else torch's.
    pub convention: Option<String>,
    pub onnx: Option<OnnxAttributes>,
    pub size: Option<Vec<i64>>,
    pub scale_factor: Option<Vec<f64>>,
    pub align_corners: Option<bool>,
    pub recompute_scale_factor: Option<bool>,
    #[serde(default)]
    pub antialias: bool,
    pub dtype: Option<String>,
    pub input: String,
    pub expected: Option<String>,
    pub output_shape: Option<Vec<usize>>,
    pub atol: Option<f64>,
    pub grad_output: Option<String>,
    pub expected_grad_input: Option<String>,
    pub grad_atol: Option<f64>,
    pub expect_error: Option<String>,
}

impl Case {
    /// Whether this is an ONNX `Resize` case.
    pub fn is_onnx(&self) -> bool {
        self.convention.as_deref() == Some("onnx")
    }

    /// The row of the report this case counts in: torch's mode, or `onnx <mode>`.
    pub fn group(&self) -> String {
        match (&self.onnx, self.is_onnx()) {
            (Some(n), true) => format!("onnx {}", n.mode),
            _ => self.mode.clone(),
        }
    }

    /// The case's arguments as [`Options`] (an unknown mode is an error of the case itself).
    pub fn options(&self) -> Result<Options> {
        let mode: Mode = self.mode.parse()?;
        let mut o = Options::new(mode);
        o.size = self.size.clone().map(PerDim::Each);
        o.scale_factor = self.scale_factor.clone().map(PerDim::Each);
        o.align_corners = self.align_corners;
        o.recompute_scale_factor = self.recompute_scale_factor;
        o.antialias = self.antialias;
        Ok(o)
    }
    pub fn is_u8(&self) -> bool {
        self.dtype.as_deref() == Some("uint8")
    }
}

/// What a backend must do to be checked against the corpus.
pub trait Backend {
    fn name(&self) -> String;
    fn forward_f32(&self, input: &[f32], shape: &[usize], options: &Options) -> Result<Vec<f64>>;
    fn forward_u8(&self, input: &[u8], shape: &[usize], options: &Options) -> Result<Vec<u8>>;
    fn backward_f32(
        &self,
        grad_output: &[f32],
        input_shape: &[usize],
        options: &Options,
    ) -> Result<Vec<f64>>;
    /// ONNX `Resize` on f32 data.
    fn resize_f32(&self, input: &[f32], shape: &[usize], options: &OnnxOptions)
        -> Result<Vec<f64>>;
}

/// The CPU reference as a backend.
pub struct CpuBackend;

impl Backend for CpuBackend {
    fn name(&self) -> String {
        "cpu".into()
    }
    fn forward_f32(&self, input: &[f32], shape: &[usize], o: &Options) -> Result<Vec<f64>> {
        crate::reference::interpolate(input, shape, o).map(|r| r.0)
    }
    fn forward_u8(&self, input: &[u8], shape: &[usize], o: &Options) -> Result<Vec<u8>> {
        crate::reference::interpolate_u8(input, shape, o).map(|r| r.0)
    }
    fn backward_f32(&self, g: &[f32], shape: &[usize], o: &Options) -> Result<Vec<f64>> {
        crate::reference::interpolate_backward(g, shape, o)
    }
    fn resize_f32(&self, input: &[f32], shape: &[usize], o: &OnnxOptions) -> Result<Vec<f64>> {
        crate::reference::resize(input, shape, o).map(|r| r.0)
    }
}

/// The GPU as a conformance backend (blocking: not on wasm32).
#[cfg(not(target_arch = "wasm32"))]
pub struct GpuBackend(pub crate::gpu::Resampler);

#[cfg(not(target_arch = "wasm32"))]
impl Backend for GpuBackend {
    fn name(&self) -> String {
        match self.0.adapter_info() {
            Some(i) => format!(
                "gpu ({}, {:?}, {} {})",
                i.name, i.backend, i.driver, i.driver_info
            ),
            None => "gpu".into(),
        }
    }
    fn forward_f32(&self, input: &[f32], shape: &[usize], o: &Options) -> Result<Vec<f64>> {
        Ok(self
            .0
            .interpolate(input, shape, o)?
            .0
            .into_iter()
            .map(f64::from)
            .collect())
    }
    fn forward_u8(&self, input: &[u8], shape: &[usize], o: &Options) -> Result<Vec<u8>> {
        Ok(self.0.interpolate_u8(input, shape, o)?.0)
    }
    fn backward_f32(&self, g: &[f32], shape: &[usize], o: &Options) -> Result<Vec<f64>> {
        Ok(self
            .0
            .interpolate_backward(g, shape, o)?
            .into_iter()
            .map(f64::from)
            .collect())
    }
    fn resize_f32(&self, input: &[f32], shape: &[usize], o: &OnnxOptions) -> Result<Vec<f64>> {
        Ok(self
            .0
            .resize(input, shape, o)?
            .0
            .into_iter()
            .map(f64::from)
            .collect())
    }
}

/// Which kinds of check to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Only {
    All,
    Forward,
    Gradient,
    Errors,
}

#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub passed: usize,
    pub total: usize,
    /// Largest `|got - expected| / atol` seen (0/0 counts as 0; x/0 as infinity).
    pub worst: f64,
}

impl Tally {
    fn add(&mut self, ok: bool, ratio: f64) {
        self.total += 1;
        if ok {
            self.passed += 1;
        }
        if ratio > self.worst || ratio.is_nan() {
            self.worst = ratio;
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ModeReport {
    pub forward: Tally,
    pub gradient: Tally,
    pub errors: Tally,
}

/// The outcome of one corpus run on one backend.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub backend: String,
    pub modes: BTreeMap<String, ModeReport>,
    /// One line per failed check: case id, what, why.
    pub failures: Vec<String>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.modes
            .values()
            .map(|m| m.forward.passed + m.gradient.passed + m.errors.passed)
            .sum()
    }
    pub fn total(&self) -> usize {
        self.modes
            .values()
            .map(|m| m.forward.total + m.gradient.total + m.errors.total)
            .sum()
    }
    pub fn failed(&self) -> usize {
        self.total() - self.passed()
    }

    /// The table printed by `resample verify`.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "backend: {}", self.backend);
        let _ = writeln!(
            s,
            "{:<14} {:>10} {:>9} {:>10} {:>9} {:>11}",
            "mode", "forward", "worst/at", "gradient", "worst/at", "rejections"
        );
        let cell = |t: &Tally| {
            if t.total == 0 {
                "-".to_string()
            } else {
                format!("{}/{}", t.passed, t.total)
            }
        };
        let worst = |t: &Tally| {
            if t.total == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", t.worst)
            }
        };
        for (mode, m) in &self.modes {
            let _ = writeln!(
                s,
                "{:<14} {:>10} {:>9} {:>10} {:>9} {:>11}",
                mode,
                cell(&m.forward),
                worst(&m.forward),
                cell(&m.gradient),
                worst(&m.gradient),
                cell(&m.errors)
            );
        }
        s
    }

    /// The closing line defined by FORMAT.md.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }
}

pub fn load_manifest(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| Error::Format {
        path: path.to_path_buf(),
        reason: format!("not a resample-cases manifest: {e}"),
    })?;
    if m.format != "resample-cases/1" {
        return Err(Error::Format {
            path: path.to_path_buf(),
            reason: format!(
                "unsupported corpus format {:?} (expected resample-cases/1)",
                m.format
            ),
        });
    }
    Ok(m)
}

/// `max |got - expected| / atol` and whether every element is within `atol`
/// (NaN must match NaN; infinities must match exactly).
pub fn compare(got: &[f64], expected: &[f64], atol: f64) -> (bool, f64) {
    if got.len() != expected.len() {
        return (false, f64::INFINITY);
    }
    let mut ok = true;
    let mut worst = 0.0f64;
    for (&g, &e) in got.iter().zip(expected) {
        let err = if g.is_nan() && e.is_nan() || g == e {
            0.0
        } else {
            (g - e).abs()
        };
        let err = if err.is_nan() { f64::INFINITY } else { err };
        if err > atol {
            ok = false;
        }
        let ratio = if atol > 0.0 {
            err / atol
        } else if err == 0.0 {
            0.0
        } else {
            f64::INFINITY
        };
        worst = worst.max(ratio);
    }
    (ok, worst)
}

fn load(dir: &Path, rel: &str) -> Result<npy::NpyArray> {
    npy::read(&dir.join(rel))
}

/// Run the corpus at `manifest_path` on `backend`.
pub fn run(manifest_path: &Path, backend: &dyn Backend, only: Only) -> Result<Report> {
    let manifest = load_manifest(manifest_path)?;
    let dir: PathBuf = manifest_path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut report = Report {
        backend: backend.name(),
        ..Default::default()
    };
    for case in &manifest.cases {
        // A case whose files cannot be read fails on its own; the rest still run.
        if let Err(e) = run_case(&dir, case, backend, only, &mut report) {
            let entry = report.modes.entry(case.group()).or_default();
            if case.expect_error.is_some() {
                entry.errors.add(false, 0.0);
            } else {
                entry.forward.add(false, f64::INFINITY);
            }
            report.failures.push(format!("{}: {e}", case.id));
        }
    }
    Ok(report)
}

fn run_case(
    dir: &Path,
    case: &Case,
    backend: &dyn Backend,
    only: Only,
    report: &mut Report,
) -> Result<()> {
    if case.is_onnx() {
        return run_onnx_case(dir, case, backend, only, report);
    }
    let entry = report.modes.entry(case.mode.clone()).or_default();
    let input = load(dir, &case.input)?;
    let options = case.options();

    if let Some(msg) = &case.expect_error {
        if !matches!(only, Only::All | Only::Errors) {
            return Ok(());
        }
        let result = options.and_then(|o| match &input.data {
            NpyData::U8(v) => backend.forward_u8(v, &input.shape, &o).map(|_| ()),
            NpyData::F32(v) => backend.forward_f32(v, &input.shape, &o).map(|_| ()),
            _ => Err(Error::input(
                "input",
                "corpus input must be float32 or uint8",
            )),
        });
        let ok = result.is_err();
        entry.errors.add(ok, 0.0);
        if !ok {
            report.failures.push(format!(
                "{}: accepted arguments torch rejects ({msg})",
                case.id
            ));
        }
        return Ok(());
    }
    let options = options?;
    let fail = |report: &mut Report, what: &str, why: String| {
        report.failures.push(format!("{}: {what}: {why}", case.id))
    };

    if matches!(only, Only::All | Only::Forward) {
        if let (Some(exp), Some(atol)) = (&case.expected, case.atol) {
            let expected = load(dir, exp)?;
            let got = match &input.data {
                NpyData::U8(v) => backend
                    .forward_u8(v, &input.shape, &options)
                    .map(|o| o.into_iter().map(f64::from).collect()),
                NpyData::F32(v) => backend.forward_f32(v, &input.shape, &options),
                _ => Err(Error::input(
                    "input",
                    "corpus input must be float32 or uint8",
                )),
            };
            let entry = report.modes.entry(case.mode.clone()).or_default();
            match got {
                Ok(got) => {
                    let (ok, worst) = compare(&got, &expected.data.to_f64(), atol);
                    entry.forward.add(ok, worst);
                    if !ok {
                        fail(
                            report,
                            "forward",
                            format!("max error {worst:.3} x atol ({atol:e})"),
                        );
                    }
                }
                Err(e) => {
                    entry.forward.add(false, f64::INFINITY);
                    fail(report, "forward", e.to_string());
                }
            }
        }
    }
    if matches!(only, Only::All | Only::Gradient) {
        if let (Some(go), Some(exp), Some(atol)) =
            (&case.grad_output, &case.expected_grad_input, case.grad_atol)
        {
            let grad_output = load(dir, go)?;
            let expected = load(dir, exp)?;
            let got = match &grad_output.data {
                NpyData::F32(g) => backend.backward_f32(g, &input.shape, &options),
                _ => Err(Error::input("grad_output", "must be float32")),
            };
            let entry = report.modes.entry(case.mode.clone()).or_default();
            match got {
                Ok(got) => {
                    let (ok, worst) = compare(&got, &expected.data.to_f64(), atol);
                    entry.gradient.add(ok, worst);
                    if !ok {
                        fail(
                            report,
                            "gradient",
                            format!("max error {worst:.3} x atol ({atol:e})"),
                        );
                    }
                }
                Err(e) => {
                    entry.gradient.add(false, f64::INFINITY);
                    fail(report, "gradient", e.to_string());
                }
            }
        }
    }
    Ok(())
}

/// An ONNX `Resize` case: its forward result, or its rejection.
fn run_onnx_case(
    dir: &Path,
    case: &Case,
    backend: &dyn Backend,
    only: Only,
    report: &mut Report,
) -> Result<()> {
    let group = case.group();
    let input = load(dir, &case.input)?;
    let options = case
        .onnx
        .as_ref()
        .ok_or_else(|| Error::input("case", "an onnx case needs its `onnx` object"))
        .and_then(OnnxAttributes::options);
    let NpyData::F32(x) = &input.data else {
        return Err(Error::input("input", "onnx cases hold float32 input"));
    };
    let got = options.and_then(|o| backend.resize_f32(x, &input.shape, &o));
    let entry = report.modes.entry(group).or_default();
    if let Some(msg) = &case.expect_error {
        if matches!(only, Only::All | Only::Errors) {
            let ok = got.is_err();
            entry.errors.add(ok, 0.0);
            if !ok {
                report.failures.push(format!(
                    "{}: accepted arguments the spec rejects ({msg})",
                    case.id
                ));
            }
        }
        return Ok(());
    }
    let (Some(exp), Some(atol)) = (&case.expected, case.atol) else {
        return Ok(());
    };
    if !matches!(only, Only::All | Only::Forward) {
        return Ok(());
    }
    let expected = load(dir, exp)?;
    match got {
        Ok(got) => {
            let (ok, worst) = compare(&got, &expected.data.to_f64(), atol);
            entry.forward.add(ok, worst);
            if !ok {
                report.failures.push(format!(
                    "{}: forward: max error {worst:.3} x atol ({atol:e})",
                    case.id
                ));
            }
        }
        Err(e) => {
            entry.forward.add(false, f64::INFINITY);
            report.failures.push(format!("{}: forward: {e}", case.id));
        }
    }
    Ok(())
}
