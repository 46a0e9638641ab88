//! The `resample` command-line tool (its subcommands are `wgpu_resample::cli`).

fn main() -> std::process::ExitCode {
    wgpu_resample::cli::main()
}
