//! The crate's error type: every user mistake and every GPU failure is a value, never a panic.

use std::path::PathBuf;

/// Everything that can go wrong in wgpu-resample.
///
/// Argument errors name the argument (`name`) and the reason; they are raised before any GPU
/// work starts, so nothing is half-done when they are returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument of `interpolate` (or of a CLI command) was rejected, as torch rejects it.
    #[error("invalid argument `{name}`: {reason}")]
    Argument { name: &'static str, reason: String },

    /// The tensor or buffer handed in has the wrong shape, length, layout or type.
    #[error("invalid input `{name}`: {reason}")]
    Input { name: &'static str, reason: String },

    /// The work does not fit a limit of the adapter or of the index arithmetic.
    #[error("limit exceeded ({what}): {reason}")]
    Limit { what: &'static str, reason: String },

    /// The adapter lacks a feature this call needs (for example `SHADER_F16`).
    #[error("unsupported on this adapter: {0}")]
    Unsupported(String),

    /// No GPU adapter (hardware or software) could be found.
    #[error("no GPU adapter found: {0}")]
    NoAdapter(String),

    /// wgpu reported a validation error (a bug in this crate or a misuse of the embedding API).
    #[error("GPU validation error: {0}")]
    Validation(String),

    /// The device ran out of memory.
    #[error("GPU out of memory: {0}")]
    OutOfMemory(String),

    /// The device was lost; create a new `Resampler`.
    #[error("GPU device lost: {0}")]
    DeviceLost(String),

    /// Another GPU failure (request_device, map_async, ...).
    #[error("GPU error: {0}")]
    Gpu(String),

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file was read but its content is malformed.
    #[error("{}: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
}

impl Error {
    pub(crate) fn arg(name: &'static str, reason: impl Into<String>) -> Self {
        Error::Argument {
            name,
            reason: reason.into(),
        }
    }
    pub(crate) fn input(name: &'static str, reason: impl Into<String>) -> Self {
        Error::Input {
            name,
            reason: reason.into(),
        }
    }
    pub(crate) fn limit(what: &'static str, reason: impl Into<String>) -> Self {
        Error::Limit {
            what,
            reason: reason.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
