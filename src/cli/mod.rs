//! `resample` subcommands. Each lives in its own file; this one only parses and dispatches.
//!
//! Exit codes (documented in the README):
//! 0 success; 1 a check failed (verify) or some files of a batch failed;
//! 2 bad arguments or unreadable/invalid input; 3 no usable GPU or a GPU error.

mod batch;
mod bench;
mod image;
mod info;
mod onnx;
mod tensor;
mod verify;

use crate::Error;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "resample",
    version,
    about = "torch.nn.functional.interpolate, exactly, on any GPU (wgpu)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// The help texts are clap's, not rustdoc's: `[D,]` is no link.
#[allow(rustdoc::broken_intra_doc_links)]
#[derive(Subcommand)]
enum Command {
    /// Resize an image file (PNG, JPEG, WebP, TIFF, BMP, GIF, TGA).
    Image(image::Args),
    /// Resize a tensor stored as .npy (N, C, [D,] [H,] W; float32, float16 or uint8).
    Tensor(tensor::Args),
    /// Resize every image in a folder.
    Batch(batch::Args),
    /// Check a backend against a resample-cases/1 corpus exported from torch.
    Verify(verify::Args),
    /// List the GPU adapters found, the one chosen, and its limits.
    Info(info::Args),
    /// Time the standard workloads (kernel, end to end, copy-kernel yardstick, CPU reference).
    Bench(bench::Args),
}

pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_GPU: u8 = 3;

/// The exit code for a library error: GPU trouble is 3, anything the user handed in is 2.
pub fn exit_code(e: &Error) -> u8 {
    match e {
        Error::NoAdapter(_)
        | Error::Validation(_)
        | Error::OutOfMemory(_)
        | Error::DeviceLost(_)
        | Error::Gpu(_)
        | Error::Unsupported(_) => EXIT_GPU,
        _ => EXIT_USAGE,
    }
}

/// Print one line and return the matching exit code.
pub fn fail(e: &Error) -> ExitCode {
    eprintln!("resample: error: {e}");
    ExitCode::from(exit_code(e))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Image(a) => image::run(a),
        Command::Tensor(a) => tensor::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Info(a) => info::run(a),
        Command::Bench(a) => bench::run(a),
    }
}
