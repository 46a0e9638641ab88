#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! naga parses and validates every shader in shaders/ (no adapter needed), and the crate
//! embeds exactly those files.

use std::path::Path;

#[test]
fn every_shader_parses_and_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("wgsl") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let module = naga::front::wgsl::parse_str(&src)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.emit_to_string(&src)));
        let mut v = naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::all(),
        );
        v.validate(&module)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.emit_to_string(&src)));
        let entries: Vec<_> = module.entry_points.iter().map(|e| e.name.clone()).collect();
        assert_eq!(
            entries,
            vec!["main".to_string()],
            "{}: one entry point, `main`",
            path.display()
        );
        n += 1;
    }
    assert_eq!(
        n,
        wgpu_resample::gpu::pipelines::SHADERS.len(),
        "every shader file is built into a pipeline"
    );
    for (label, src) in wgpu_resample::gpu::pipelines::SHADERS {
        assert!(label.starts_with("resample."));
        naga::front::wgsl::parse_str(src).unwrap();
    }
}
