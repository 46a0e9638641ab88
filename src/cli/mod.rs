//! `resample` subcommands.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use wgpu_resample::conformance::{self, Backend, CpuBackend, Only};
use wgpu_resample::gpu::GpuBackend;
use wgpu_resample::Resampler;

#[derive(Parser)]
#[command(
    name = "resample",
    version,
    about = "torch.nn.functional.interpolate on any GPU (wgpu)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendArg {
    Cpu,
    Gpu,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnlyArg {
    Forward,
    Gradient,
    Errors,
}

#[derive(Subcommand)]
enum Command {
    /// Check a backend against a resample-cases/1 corpus exported from torch.
    Verify {
        /// The corpus' manifest.json.
        manifest: PathBuf,
        #[arg(long, value_enum, default_value = "all")]
        backend: BackendArg,
        #[arg(long, value_enum)]
        only: Option<OnlyArg>,
        /// Print every failed check.
        #[arg(long)]
        verbose: bool,
    },
}

/// Exit codes: 0 success, 1 checks failed, 2 bad arguments or input, 3 GPU unavailable or failed.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify {
            manifest,
            backend,
            only,
            verbose,
        } => {
            let only = match only {
                None => Only::All,
                Some(OnlyArg::Forward) => Only::Forward,
                Some(OnlyArg::Gradient) => Only::Gradient,
                Some(OnlyArg::Errors) => Only::Errors,
            };
            let mut backends: Vec<Box<dyn Backend>> = Vec::new();
            if matches!(backend, BackendArg::Cpu | BackendArg::All) {
                backends.push(Box::new(CpuBackend));
            }
            if matches!(backend, BackendArg::Gpu | BackendArg::All) {
                match Resampler::new_default() {
                    Ok(r) => backends.push(Box::new(GpuBackend(r))),
                    Err(e) => {
                        eprintln!("resample: {e}");
                        return ExitCode::from(3);
                    }
                }
            }
            let mut failed = 0;
            let mut passed = 0;
            for b in &backends {
                match conformance::run(&manifest, b.as_ref(), only) {
                    Ok(r) => {
                        print!("{}", r.table());
                        if verbose {
                            for f in &r.failures {
                                println!("  FAIL {f}");
                            }
                        }
                        println!();
                        passed += r.passed();
                        failed += r.failed();
                    }
                    Err(e) => {
                        eprintln!("resample: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            println!("{passed} passed, {failed} failed");
            if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
