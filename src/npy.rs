//! A small, strict reader and writer for NumPy `.npy` files (format versions 1.0 to 3.0,
//! little-endian `<f4`, `<f8`, `<f2` and `|u1`, C order).
//!
//! Every malformed, truncated or oversized header is an error, never a panic.

use crate::error::{Error, Result};
use std::path::Path;

const MAGIC: &[u8] = b"\x93NUMPY";
/// Headers longer than this are rejected (numpy itself writes a few hundred bytes).
const MAX_HEADER: usize = 1 << 16;

/// The element data of an array.
#[derive(Clone, Debug, PartialEq)]
pub enum NpyData {
    F32(Vec<f32>),
    F64(Vec<f64>),
    /// IEEE half floats, as raw bits.
    F16(Vec<u16>),
    U8(Vec<u8>),
}

impl NpyData {
    pub fn len(&self) -> usize {
        match self {
            NpyData::F32(v) => v.len(),
            NpyData::F64(v) => v.len(),
            NpyData::F16(v) => v.len(),
            NpyData::U8(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn descr(&self) -> &'static str {
        match self {
            NpyData::F32(_) => "<f4",
            NpyData::F64(_) => "<f8",
            NpyData::F16(_) => "<f2",
            NpyData::U8(_) => "|u1",
        }
    }
    /// The values as f64 (f16 decoded).
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            NpyData::F32(v) => v.iter().map(|&x| x as f64).collect(),
            NpyData::F64(v) => v.clone(),
            NpyData::F16(v) => v
                .iter()
                .map(|&x| half::f16::from_bits(x).to_f64())
                .collect(),
            NpyData::U8(v) => v.iter().map(|&x| x as f64).collect(),
        }
    }
}

/// An array read from or written to `.npy`.
#[derive(Clone, Debug, PartialEq)]
pub struct NpyArray {
    pub shape: Vec<usize>,
    pub data: NpyData,
}

fn bad(reason: impl Into<String>) -> String {
    reason.into()
}

/// Parse a `.npy` file's bytes. The error is a reason; [`read`] adds the path.
pub fn parse(bytes: &[u8]) -> std::result::Result<NpyArray, String> {
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(bad("not a .npy file (bad magic)"));
    }
    let major = bytes[6];
    let (header_len, start): (usize, usize) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 => {
            if bytes.len() < 12 {
                return Err(bad("truncated header length"));
            }
            let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
            (n, 12)
        }
        v => return Err(bad(format!("unsupported .npy version {v}"))),
    };
    if header_len > MAX_HEADER {
        return Err(bad(format!(
            "header of {header_len} bytes is larger than {MAX_HEADER}"
        )));
    }
    let end = start
        .checked_add(header_len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| bad("truncated header"))?;
    let header = std::str::from_utf8(&bytes[start..end]).map_err(|_| bad("header is not text"))?;
    let descr = dict_value(header, "descr").ok_or_else(|| bad("header has no 'descr'"))?;
    let descr = descr.trim().trim_matches(|c| c == '\'' || c == '"');
    let fortran =
        dict_value(header, "fortran_order").ok_or_else(|| bad("header has no 'fortran_order'"))?;
    match fortran.trim() {
        "False" => {}
        "True" => {
            return Err(bad(
                "Fortran-order arrays are not supported; save with C order",
            ))
        }
        v => return Err(bad(format!("bad fortran_order {v:?}"))),
    }
    let shape_txt = dict_value(header, "shape").ok_or_else(|| bad("header has no 'shape'"))?;
    let shape = parse_shape(shape_txt)?;
    let count = shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or_else(|| bad(format!("shape {shape:?} overflows")))?;
    let size = match descr {
        "<f4" => 4,
        "<f8" => 8,
        "<f2" => 2,
        "|u1" | "<u1" | "u1" | "|b1" => 1,
        d => {
            return Err(bad(format!(
                "unsupported dtype {d:?} (expected <f4, <f8, <f2 or |u1)"
            )))
        }
    };
    let nbytes = count
        .checked_mul(size)
        .ok_or_else(|| bad(format!("shape {shape:?} overflows")))?;
    let body = &bytes[end..];
    if body.len() != nbytes {
        return Err(bad(format!(
            "data has {} bytes but shape {shape:?} of {descr} needs {nbytes}",
            body.len()
        )));
    }
    let data = match size {
        4 => NpyData::F32(
            body.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        8 => NpyData::F64(
            body.chunks_exact(8)
                .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect(),
        ),
        2 => NpyData::F16(
            body.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect(),
        ),
        _ => NpyData::U8(body.to_vec()),
    };
    Ok(NpyArray { shape, data })
}

/// The text of `'key': value` in a Python dict literal (value up to the next top-level comma).
fn dict_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let pos = header
        .find(&format!("'{key}'"))
        .or_else(|| header.find(&format!("\"{key}\"")))?;
    let rest = &header[pos + key.len() + 2..];
    let rest = rest.trim_start().strip_prefix(':')?;
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' | '}' if depth == 0 => return Some(&rest[..i]),
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    None
}

fn parse_shape(txt: &str) -> std::result::Result<Vec<usize>, String> {
    let t = txt.trim();
    let inner = t
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| bad(format!("bad shape {t:?}")))?;
    let mut shape = Vec::new();
    for part in inner.split(',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let v: usize = p
            .parse()
            .map_err(|_| bad(format!("bad shape entry {p:?}")))?;
        shape.push(v);
    }
    if shape.len() > 32 {
        return Err(bad(format!("shape has {} dims", shape.len())));
    }
    Ok(shape)
}

/// Read a `.npy` file.
pub fn read(path: &Path) -> Result<NpyArray> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes).map_err(|reason| Error::Format {
        path: path.to_path_buf(),
        reason,
    })
}

/// Encode an array as `.npy` (version 1.0) bytes.
pub fn encode(array: &NpyArray) -> Result<Vec<u8>> {
    let count: usize = array.shape.iter().product();
    if count != array.data.len() {
        return Err(Error::input(
            "array",
            format!(
                "shape {:?} needs {count} elements, data has {}",
                array.shape,
                array.data.len()
            ),
        ));
    }
    let shape = match array.shape.len() {
        1 => format!("({},)", array.shape[0]),
        _ => format!(
            "({})",
            array
                .shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {shape}, }}",
        array.data.descr()
    );
    // Pad so that the data starts on a 64-byte boundary, ending in '\n'.
    let total = 10 + header.len() + 1;
    header.push_str(&" ".repeat((64 - total % 64) % 64));
    header.push('\n');
    let hlen = u16::try_from(header.len())
        .map_err(|_| Error::input("array", "too many dims for a .npy header"))?;
    let mut out = Vec::with_capacity(10 + header.len() + count * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&hlen.to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    match &array.data {
        NpyData::F32(v) => v
            .iter()
            .for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        NpyData::F64(v) => v
            .iter()
            .for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        NpyData::F16(v) => v
            .iter()
            .for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        NpyData::U8(v) => out.extend_from_slice(v),
    }
    Ok(out)
}

/// Write a `.npy` file atomically: to a temporary name beside it, then renamed.
pub fn write(path: &Path, array: &NpyArray) -> Result<()> {
    let bytes = encode(array)?;
    crate::util::write_atomic(path, &bytes)
}
