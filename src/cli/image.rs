//! `resample image` (not implemented yet).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> ExitCode {
    eprintln!("resample: error: `image` is not implemented yet");
    ExitCode::from(super::EXIT_USAGE)
}
