//! Small helpers shared by the library and the CLI.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` without ever leaving a half-written file there: write a temporary
/// file in the same folder, sync it, then rename it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::arg("output", format!("{} is not a file path", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// A vector with room for `len` elements, or an error (never an abort) when the allocation
/// cannot be made.
pub fn try_vec<T>(len: usize, what: &'static str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        Error::limit(
            "host memory",
            format!(
                "cannot allocate {what} of {len} elements ({} bytes)",
                len.saturating_mul(std::mem::size_of::<T>())
            ),
        )
    })?;
    Ok(v)
}

/// Check that `len` elements of `T` can be allocated, before building anything proportional to
/// them (the per-axis tables of a huge output would otherwise abort the process).
pub fn check_alloc<T>(len: usize, what: &'static str) -> Result<()> {
    try_vec::<T>(len, what).map(drop)
}

/// `got` elements must be exactly what `shape` holds; `name` is the argument's name.
pub fn check_len(name: &'static str, got: usize, shape: &[usize]) -> Result<()> {
    let want: usize = shape.iter().product();
    if got != want {
        return Err(Error::input(
            name,
            format!("has {got} elements but shape {shape:?} needs {want}"),
        ));
    }
    Ok(())
}
