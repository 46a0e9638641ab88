//! Thumbnails: every photo of a folder to a thumbnail that fits a box, with the image API.
//!
//! ```text
//! cargo run --release --example thumbnails -- PHOTOS_DIR OUT_DIR [SIZE]
//! ```
//!
//! Each image the `image` crate can read is resized on the default GPU to fit inside a
//! SIZE x SIZE box (256 by default), aspect ratio kept, with antialiased bilinear filtering
//! (torch's uint8 kernels for 8-bit photos, alpha premultiplied), and written to OUT_DIR as
//! PNG. Files that are not images are reported and skipped.

use std::path::PathBuf;
use std::time::Instant;
use wgpu_resample::image::{resize, Engine, ImageOptions, ImageRef, Size};
use wgpu_resample::{Mode, Resampler};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(src), Some(dst)) = (args.first(), args.get(1)) else {
        eprintln!("usage: thumbnails PHOTOS_DIR OUT_DIR [SIZE]");
        std::process::exit(2);
    };
    let side: usize = match args.get(2) {
        Some(s) => s.parse()?,
        None => 256,
    };
    std::fs::create_dir_all(dst)?;
    let gpu = Resampler::new_default()?;
    let options = ImageOptions::new(Mode::Bilinear)
        .antialias(true)
        .size(Size::Fit {
            width: side,
            height: side,
        });
    let mut paths: Vec<PathBuf> = std::fs::read_dir(src)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let (mut done, start) = (0, Instant::now());
    for path in paths {
        let photo = match image::open(&path) {
            Ok(img) => img,
            Err(e) => {
                eprintln!("skipped {}: {e}", path.display());
                continue;
            }
        };
        // 8/16-bit and f32 images as they are; other kinds (f32 grey, ...) as RGBA f32.
        let photo = match ImageRef::from_dynamic(&photo) {
            Ok(_) => photo,
            Err(_) => image::DynamicImage::ImageRgba32F(photo.into_rgba32f()),
        };
        let src = ImageRef::from_dynamic(&photo)?;
        let thumb = resize(Engine::Gpu(&gpu), &src, &options)?.into_dynamic()?;
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        let out = PathBuf::from(dst).join(format!("{name}.png"));
        thumb.save(&out)?;
        println!(
            "{} ({}x{}) -> {} ({}x{})",
            path.display(),
            src.width,
            src.height,
            out.display(),
            thumb.width(),
            thumb.height()
        );
        done += 1;
    }
    println!(
        "{done} thumbnails in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
