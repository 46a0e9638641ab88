//! `resample verify`: run a torch corpus on the CPU reference and/or the GPU.

use super::{fail, EXIT_FAILED};
use crate::conformance::GpuBackend;
use crate::conformance::{self, Backend, CpuBackend, Only};
use crate::Resampler;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum BackendArg {
    Cpu,
    Gpu,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnlyArg {
    Forward,
    Gradient,
    Errors,
}

#[derive(clap::Args)]
pub struct Args {
    /// The corpus' manifest.json (e.g. tests/data/torch/manifest.json).
    manifest: PathBuf,
    /// Which backend(s) to check.
    #[arg(long, value_enum, default_value = "all")]
    backend: BackendArg,
    /// Run only one kind of check.
    #[arg(long, value_enum)]
    only: Option<OnlyArg>,
    /// Print every failed check.
    #[arg(long)]
    verbose: bool,
}

pub fn run(a: Args) -> ExitCode {
    let only = match a.only {
        None => Only::All,
        Some(OnlyArg::Forward) => Only::Forward,
        Some(OnlyArg::Gradient) => Only::Gradient,
        Some(OnlyArg::Errors) => Only::Errors,
    };
    let mut backends: Vec<Box<dyn Backend>> = Vec::new();
    if matches!(a.backend, BackendArg::Cpu | BackendArg::All) {
        backends.push(Box::new(CpuBackend));
    }
    if matches!(a.backend, BackendArg::Gpu | BackendArg::All) {
        match Resampler::new_default() {
            Ok(r) => backends.push(Box::new(GpuBackend(r))),
            Err(e) => return fail(&e),
        }
    }
    let (mut passed, mut failed) = (0, 0);
    for b in &backends {
        let r = match conformance::run(&a.manifest, b.as_ref(), only) {
            Ok(r) => r,
            Err(e) => return fail(&e),
        };
        print!("{}", r.table());
        if a.verbose {
            for f in &r.failures {
                println!("  FAIL {f}");
            }
        }
        println!();
        passed += r.passed();
        failed += r.failed();
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}
