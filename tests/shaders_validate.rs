#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! naga parses and validates every shader in shaders/ (no adapter needed), and the crate
//! embeds exactly those files.

use std::path::Path;

#[test]
fn every_shader_parses_and_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wgsl"))
        .collect();
    on_disk.sort();
    let mut used: Vec<String> = Vec::new();
    for sh in wgpu_resample::gpu::pipelines::SHADERS {
        assert!(sh.label.starts_with("resample."), "{}", sh.label);
        // The spliced source is exactly the files, read from disk now.
        let from_disk: String = sh
            .files
            .iter()
            .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
            .collect();
        assert_eq!(from_disk, sh.source, "{}", sh.label);
        let module = naga::front::wgsl::parse_str(sh.source)
            .unwrap_or_else(|e| panic!("{}: {}", sh.label, e.emit_to_string(sh.source)));
        let mut v = naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::all(),
        );
        v.validate(&module)
            .unwrap_or_else(|e| panic!("{}: {}", sh.label, e.emit_to_string(sh.source)));
        let entries: Vec<_> = module.entry_points.iter().map(|e| e.name.clone()).collect();
        assert_eq!(
            entries,
            vec!["main".to_string()],
            "{}: one entry point, `main`",
            sh.label
        );
        used.extend(sh.files.iter().map(|f| f.to_string()));
    }
    used.sort();
    used.dedup();
    assert_eq!(
        used, on_disk,
        "every file in shaders/ is part of a pipeline"
    );
}
