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

/// Bytes of host memory available to new allocations, where the platform says (Linux:
/// `MemAvailable` of /proc/meminfo); `None` elsewhere, where only failed allocations tell.
pub fn host_memory_available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// Check, before anything is allocated, that what a call needs on the host (`parts`: what,
/// bytes) fits the memory available: a `Limit` error naming each part and the total
/// otherwise. torch would accept such sizes; this machine cannot hold them.
pub fn check_host_memory(parts: &[(&str, u64)]) -> Result<()> {
    let total = parts.iter().fold(0u64, |t, &(_, b)| t.saturating_add(b));
    let fits = match host_memory_available() {
        Some(avail) => total <= avail,
        // Unknown: at least the total must be addressable (each allocation is fallible too).
        None => total <= isize::MAX as u64,
    };
    if fits {
        return Ok(());
    }
    let detail = parts
        .iter()
        .filter(|p| p.1 > 0)
        .map(|&(what, b)| format!("{what} {}", bytes_text(b)))
        .collect::<Vec<_>>()
        .join(", ");
    let avail = host_memory_available().map_or("less".into(), bytes_text);
    Err(Error::limit(
        "host memory",
        format!(
            "the call needs {} ({detail}) but this machine has {avail} available; the sizes \
             are valid, but too large to compute here",
            bytes_text(total)
        ),
    ))
}

/// `bytes` as a short human text (`1.5 GB`, `512 B`).
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
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
