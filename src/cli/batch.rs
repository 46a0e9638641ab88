//! `resample batch`: resize every image of a folder.
//!
//! Three stages run at once: decoder threads read and prepare images, this thread runs them
//! through the GPU one after the other, and encoder threads convert, encode and write the
//! results. Bounded channels between the stages keep only a few images in memory.

use super::image::{self as img, Loaded, Resize, ResizeArgs};
use super::{EXIT_FAILED, EXIT_GPU};
use crate::{Error, Resampler, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// Resize every image file in a folder (not recursive) into another folder, on the GPU.
///
/// Files are picked by extension (png, jpg/jpeg, webp, tif/tiff, bmp, gif, tga, ...); each
/// result gets the same file name in OUT_DIR (or the extension of --format). A file that cannot
/// be read, resized or written is reported by name on stderr and the others are still done.
#[derive(clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The folder to read images from (only its own files; sub-folders and hidden files are
    /// skipped).
    #[arg(value_name = "IN_DIR")]
    input: PathBuf,
    /// The folder to write to (created if missing; must differ from IN_DIR). Existing files
    /// of the same name are replaced, each atomically.
    #[arg(value_name = "OUT_DIR")]
    output: PathBuf,
    /// Write every result in this format (an extension such as png or jpg) instead of the
    /// input's.
    #[arg(long, value_name = "EXT")]
    format: Option<String>,
    /// Decoder and encoder threads each (default: the number of CPU cores, at most 8).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    resize: ResizeArgs,
}

const AFTER_HELP: &str = "\
Files are picked by extension (png, jpg/jpeg, webp, tif/tiff, bmp, gif, tga); each result gets
the same file name in OUT_DIR (with --format, that extension). Decoding, GPU work and encoding
overlap (--jobs threads each for decoding and encoding). A file that cannot be read, resized or
written is named on stderr and the others are still done.

The resize flags and their meaning are those of `resample image` (see `resample image --help`):
--size is WIDTHxHEIGHT, --scale is S or SX,SY; the same settings apply to every image.

Exit status: 0 all done, 1 some files failed (each is named on stderr), 2 bad arguments or an
unreadable folder, 3 no usable GPU or the GPU failed.";

fn arg_err(name: &'static str, reason: impl Into<String>) -> Error {
    Error::Argument {
        name,
        reason: reason.into(),
    }
}

/// One unit of work: input file, output file.
struct Job {
    input: PathBuf,
    output: PathBuf,
}

/// The image files of `dir`, sorted by name, with their output paths.
fn list(a: &Args) -> Result<(Vec<Job>, usize)> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let meta = std::fs::metadata(&a.input).map_err(io(&a.input))?;
    if !meta.is_dir() {
        return Err(Error::Format {
            path: a.input.clone(),
            reason: "is not a folder (use `resample image` for one file)".into(),
        });
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let mut skipped = 0;
    for entry in std::fs::read_dir(&a.input).map_err(io(&a.input))? {
        let entry = entry.map_err(io(&a.input))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden || !path.is_file() {
            continue;
        }
        match image::ImageFormat::from_path(&path) {
            Ok(f) if f.reading_enabled() => files.push(path),
            _ => skipped += 1,
        }
    }
    files.sort();
    let jobs = files
        .into_iter()
        .map(|input| {
            let name = input.file_name().map(PathBuf::from).unwrap_or_default();
            let mut output = a.output.join(name);
            if let Some(ext) = &a.format {
                output.set_extension(ext.trim_start_matches('.'));
            }
            Job { input, output }
        })
        .collect::<Vec<Job>>();
    // With --format two inputs (a.png, a.jpg) could map to one output; refuse rather than let
    // one silently replace the other.
    let mut seen = std::collections::HashMap::new();
    for j in &jobs {
        if let Some(first) = seen.insert(j.output.clone(), &j.input) {
            return Err(arg_err(
                "--format",
                format!(
                    "{} and {} would both be written to {}",
                    first.display(),
                    j.input.display(),
                    j.output.display()
                ),
            ));
        }
    }
    Ok((jobs, skipped))
}

pub fn run(a: Args) -> ExitCode {
    match run_inner(&a) {
        Ok(code) => code,
        Err(e) => super::fail(&e),
    }
}

fn run_inner(a: &Args) -> Result<ExitCode> {
    let settings = a.resize.parse()?;
    if let Some(ext) = &a.format {
        img::output_format(Path::new(&format!("x.{}", ext.trim_start_matches('.'))))
            .map_err(|_| arg_err("--format", format!("cannot write images of type {ext:?}")))?;
    }
    if a.jobs == Some(0) {
        return Err(arg_err("--jobs", "must be at least 1"));
    }
    let (jobs, skipped) = list(a)?;
    if jobs.is_empty() {
        return Err(Error::Format {
            path: a.input.clone(),
            reason: "contains no image files (png, jpg, webp, tif, bmp, gif, tga)".into(),
        });
    }
    // A missing OUT_DIR cannot be IN_DIR.
    let same = match (a.input.canonicalize(), a.output.canonicalize()) {
        (Ok(i), Ok(o)) => i == o,
        _ => false,
    };
    if same {
        return Err(arg_err(
            "OUT_DIR",
            "is the input folder; the inputs would be overwritten",
        ));
    }
    // The GPU before the output folder: without one, nothing is created.
    let resampler = Resampler::new_default()?;
    std::fs::create_dir_all(&a.output).map_err(|source| Error::Io {
        path: a.output.clone(),
        source,
    })?;

    let threads = a.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8)
    });
    let pb = ProgressBar::new(jobs.len() as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}")
    {
        pb.set_style(style);
    }
    let (done, failed, fatal) = pipeline(&jobs, &settings, &resampler, threads, &pb);
    pb.finish_and_clear();

    if let Some(e) = fatal {
        eprintln!(
            "resample: error: the GPU failed, batch stopped after {done} of {} files: {e}",
            jobs.len()
        );
        return Ok(ExitCode::from(EXIT_GPU));
    }
    let skipped_note = if skipped > 0 {
        format!(" ({skipped} non-image files skipped)")
    } else {
        String::new()
    };
    println!(
        "resized {} of {} images into {}{skipped_note}",
        done - failed,
        jobs.len(),
        a.output.display()
    );
    if failed > 0 {
        eprintln!("resample: error: {failed} of {} files failed", jobs.len());
        return Ok(ExitCode::from(EXIT_FAILED));
    }
    Ok(ExitCode::SUCCESS)
}

/// Run all jobs. Returns (files finished, files failed, the error that stopped the batch).
fn pipeline(
    jobs: &[Job],
    s: &Resize,
    r: &Resampler,
    threads: usize,
    pb: &ProgressBar,
) -> (usize, usize, Option<String>) {
    let depth = threads * 2;
    let next = AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let finished = AtomicUsize::new(0);
    let failures = AtomicUsize::new(0);
    let mut fatal = None;
    let report = |i: usize, res: Result<Vec<String>>| {
        let name = jobs[i].input.display();
        match res {
            Ok(warnings) => {
                for w in warnings {
                    pb.suspend(|| eprintln!("resample: warning: {w}"));
                }
            }
            Err(e) => {
                failures.fetch_add(1, Ordering::Relaxed);
                // Io and Format errors name their file already.
                let msg = match &e {
                    Error::Io { .. } | Error::Format { .. } => format!("{e}"),
                    _ => format!("{name}: {e}"),
                };
                pb.suspend(|| eprintln!("resample: error: {msg}"));
            }
        }
        finished.fetch_add(1, Ordering::Relaxed);
        pb.inc(1);
    };

    std::thread::scope(|scope| {
        let (dec_tx, dec_rx) = sync_channel::<(usize, Result<Loaded>)>(depth);
        let (enc_tx, enc_rx) = sync_channel::<(usize, Result<Loaded>)>(depth);
        let enc_rx: Arc<Mutex<Receiver<_>>> = Arc::new(Mutex::new(enc_rx));
        let (next, stop, report) = (&next, &stop, &report);

        for _ in 0..threads {
            let tx = dec_tx.clone();
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let res = img::load(&job.input, s);
                if tx.send((i, res)).is_err() {
                    break;
                }
            });
        }
        drop(dec_tx);

        for _ in 0..threads {
            let rx = enc_rx.clone();
            scope.spawn(move || loop {
                let msg = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => break,
                };
                let Ok((i, res)) = msg else { break };
                let res = res.and_then(|p| img::save(&p, &jobs[i].output));
                report(i, res);
            });
        }

        // The GPU stage, on this thread.
        for (i, res) in dec_rx.iter() {
            if fatal.is_some() {
                continue; // drain what the decoders had in flight
            }
            let res = res.and_then(|p| img::resize(r, &p, s));
            if let Err(e) = &res {
                if is_fatal(e) {
                    stop.store(true, Ordering::Relaxed);
                    fatal = Some(format!("{}: {e}", jobs[i].input.display()));
                    continue;
                }
            }
            if enc_tx.send((i, res)).is_err() {
                break;
            }
        }
        drop(enc_tx);
    });
    (
        finished.load(Ordering::Relaxed),
        failures.load(Ordering::Relaxed),
        fatal,
    )
}

/// GPU errors after which the device cannot be trusted for the remaining files.
fn is_fatal(e: &Error) -> bool {
    matches!(
        e,
        Error::DeviceLost(_) | Error::Validation(_) | Error::Gpu(_)
    )
}
