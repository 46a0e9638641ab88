//! The `resample` command-line tool (its subcommands are `wgpu_resample::cli`). Native
//! targets only: on wasm32 the crate is a library (see `web/` for the JavaScript package).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    wgpu_resample::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
