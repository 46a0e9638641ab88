//! Composing a pipeline's WGSL from the files under shaders/.
//!
//! Each file names its own parts: lines `//! import "dir/file.wgsl"` at its top list the
//! files it needs. A pipeline is an entry file; its source is every file it imports
//! (transitively, each once, imports first) followed by itself. WGSL declarations may come in
//! any order, so the order only makes the source easier to read. An unknown file, an import
//! cycle or an import line after the file's first declaration is an error.

include!(concat!(env!("OUT_DIR"), "/shader_files.rs"));

/// Why a shader could not be composed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ShaderError {
    /// No such file under shaders/ (`needed_by` imports it; empty for an entry).
    Unknown { file: String, needed_by: String },
    /// A file imports itself, through the files listed.
    Cycle(Vec<String>),
    /// An import line where imports are no longer allowed (after code).
    LateImport { file: String, line: usize },
}

impl std::fmt::Display for ShaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShaderError::Unknown { file, needed_by } if needed_by.is_empty() => {
                write!(f, "no shader file {file:?}")
            }
            ShaderError::Unknown { file, needed_by } => {
                write!(f, "{needed_by} imports {file:?}, which does not exist")
            }
            ShaderError::Cycle(files) => write!(f, "import cycle: {}", files.join(" -> ")),
            ShaderError::LateImport { file, line } => {
                write!(f, "{file}:{line}: imports come before any code")
            }
        }
    }
}

/// The files `text` imports, in order.
pub(crate) fn imports(name: &str, text: &str) -> Result<Vec<String>, ShaderError> {
    let mut out = Vec::new();
    let mut code_seen = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("//! import ") {
            if code_seen {
                return Err(ShaderError::LateImport {
                    file: name.to_string(),
                    line: i + 1,
                });
            }
            out.push(rest.trim().trim_matches('"').to_string());
        } else if !t.is_empty() && !t.starts_with("//") {
            code_seen = true;
        }
    }
    Ok(out)
}

/// The WGSL of the pipeline whose entry file is `entry`.
pub(crate) fn compose(entry: &str) -> Result<String, ShaderError> {
    compose_from(FILES, entry)
}

/// [`compose`] over the files `files` (path, text).
fn compose_from(files: &[(&str, &str)], entry: &str) -> Result<String, ShaderError> {
    let mut order = Vec::new();
    visit(files, entry, "", &mut Vec::new(), &mut order)?;
    let mut source = String::new();
    for (path, text) in order {
        source.push_str(&format!("// ---- shaders/{path}\n"));
        source.push_str(text);
        source.push('\n');
    }
    Ok(source)
}

fn visit<'a>(
    files: &[(&'a str, &'a str)],
    name: &str,
    needed_by: &str,
    stack: &mut Vec<String>,
    order: &mut Vec<(&'a str, &'a str)>,
) -> Result<(), ShaderError> {
    let Some(&(path, text)) = files.iter().find(|(p, _)| *p == name) else {
        return Err(ShaderError::Unknown {
            file: name.to_string(),
            needed_by: needed_by.to_string(),
        });
    };
    if order.iter().any(|(p, _)| *p == path) {
        return Ok(());
    }
    if stack.iter().any(|s| s == name) {
        let mut cycle = stack.clone();
        cycle.push(name.to_string());
        return Err(ShaderError::Cycle(cycle));
    }
    stack.push(name.to_string());
    for dep in imports(name, text)? {
        visit(files, &dep, name, stack, order)?;
    }
    stack.pop();
    order.push((path, text));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::pipelines::ENTRIES;

    fn validate(label: &str, source: &str) -> naga::Module {
        let module = naga::front::wgsl::parse_str(source)
            .unwrap_or_else(|e| panic!("{label}: {}", e.emit_to_string(source)));
        let mut v = naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::all(),
        );
        v.validate(&module)
            .unwrap_or_else(|e| panic!("{label}: {}", e.emit_to_string(source)));
        module
    }

    /// Every pipeline's entry composes, parses and validates with naga (no adapter needed),
    /// has one entry point, `main`, and every file under shaders/ is part of some pipeline.
    #[test]
    fn every_entry_composes_and_validates() {
        let mut used = std::collections::BTreeSet::new();
        for label in ENTRIES {
            let source = compose(&format!("{label}.wgsl")).unwrap_or_else(|e| panic!("{e}"));
            let module = validate(label, &source);
            let entries: Vec<_> = module.entry_points.iter().map(|e| e.name.clone()).collect();
            assert_eq!(entries, vec!["main".to_string()], "{label}");
            for (path, _) in FILES {
                if source.contains(&format!("// ---- shaders/{path}\n")) {
                    used.insert(*path);
                }
            }
        }
        let all: std::collections::BTreeSet<&str> = FILES.iter().map(|f| f.0).collect();
        assert_eq!(used, all, "every file under shaders/ is part of a pipeline");
        // The files are the ones on disk, as they are now.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
        for (path, text) in FILES {
            let on_disk = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
            assert_eq!(&on_disk, text, "{path}");
        }
    }

    /// Every uniform struct written in Rust (`uniform_struct!`) has the fields of its WGSL
    /// twin, by name and byte offset, and its size.
    #[test]
    fn uniform_structs_match_their_wgsl_twins() {
        use super::super::{fill, gather, pixels, rows, strips};
        type Fields = &'static [(&'static str, usize)];
        let cases: [(&str, &str, Fields, usize); 6] = [
            (
                "image/pack",
                "PixelParams",
                pixels::PixelParams::FIELDS,
                std::mem::size_of::<pixels::PixelParams>(),
            ),
            (
                "strips/row_u64",
                "StripParams",
                strips::plan::StripParams::FIELDS,
                std::mem::size_of::<strips::plan::StripParams>(),
            ),
            (
                "strips/tile_u64",
                "TileParams",
                strips::tile::TileParams::FIELDS,
                std::mem::size_of::<strips::tile::TileParams>(),
            ),
            (
                "gather/uniform_tables",
                "Params",
                gather::Params::FIELDS,
                std::mem::size_of::<gather::Params>(),
            ),
            (
                "rows/periodic",
                "RowParams",
                rows::RowParams::FIELDS,
                std::mem::size_of::<rows::RowParams>(),
            ),
            (
                "common/fill",
                "Params",
                fill::FillParams::FIELDS,
                std::mem::size_of::<fill::FillParams>(),
            ),
        ];
        for (label, name, fields, size) in cases {
            let source = compose(&format!("{label}.wgsl")).unwrap_or_else(|e| panic!("{e}"));
            let module = validate(label, &source);
            let ty = module
                .types
                .iter()
                .map(|(_, t)| t)
                .find(|t| t.name.as_deref() == Some(name))
                .unwrap_or_else(|| panic!("{label}: no struct {name}"));
            let naga::TypeInner::Struct { members, span } = &ty.inner else {
                panic!("{label}: {name} is not a struct")
            };
            let wgsl: Vec<(String, usize)> = members
                .iter()
                .map(|m| (m.name.clone().unwrap_or_default(), m.offset as usize))
                .collect();
            let rust: Vec<(String, usize)> = fields.iter().map(|&(n, o)| (n.into(), o)).collect();
            assert_eq!(wgsl, rust, "{label}: {name}");
            assert_eq!(*span as usize, size, "{label}: {name}'s size");
        }
    }

    /// Composition is strict: an unknown entry or import, a late import and a cycle are
    /// errors, and each file comes once.
    #[test]
    fn composition_is_strict() {
        assert_eq!(
            compose("no/such.wgsl"),
            Err(ShaderError::Unknown {
                file: "no/such.wgsl".into(),
                needed_by: String::new()
            })
        );
        assert_eq!(
            imports("x.wgsl", "// a\n//! import \"a/b.wgsl\"\nfn f() {}\n"),
            Ok(vec!["a/b.wgsl".to_string()])
        );
        assert_eq!(
            imports("x.wgsl", "fn f() {}\n//! import \"a/b.wgsl\"\n"),
            Err(ShaderError::LateImport {
                file: "x.wgsl".into(),
                line: 2
            })
        );
        let cyclic = [
            ("a.wgsl", "//! import \"b.wgsl\"\n"),
            ("b.wgsl", "//! import \"a.wgsl\"\n"),
        ];
        assert_eq!(
            compose_from(&cyclic, "a.wgsl"),
            Err(ShaderError::Cycle(vec![
                "a.wgsl".into(),
                "b.wgsl".into(),
                "a.wgsl".into()
            ]))
        );
        let missing = [("a.wgsl", "//! import \"c.wgsl\"\n")];
        assert_eq!(
            compose_from(&missing, "a.wgsl"),
            Err(ShaderError::Unknown {
                file: "c.wgsl".into(),
                needed_by: "a.wgsl".into()
            })
        );
        let source = compose("strips/row_u64.wgsl").unwrap_or_default();
        assert_eq!(
            source.matches("// ---- shaders/common/finish.wgsl").count(),
            1
        );
        // Imports come before the files that import them.
        let finish = source.find("shaders/common/finish.wgsl");
        let main = source.find("shaders/strips/row_main.wgsl");
        assert!(finish < main && finish.is_some());
    }
}
