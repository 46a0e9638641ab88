//! Fill a texture's mip chain with an antialiased filter (in linear light for sRGB) and write
//! every level as a PNG.
//!
//! `cargo run --release --example texture_mips [OUT_DIR]` (default: texture-mips-output)
//!
//! Each level is checked against the CPU reference computed from the level above it (decoded
//! to linear light, filtered in f64, encoded back): the example fails if a texel differs by
//! more than one step.

use wgpu_resample::gpu::TexelFormat;
use wgpu_resample::{reference, Mode, Options, Resampler};

/// linear -> sRGB (the inverse of `TexelFormat::Rgba8UnormSrgb`'s decode), as a u8 step.
fn encode_srgb(v: f64) -> f64 {
    let v = v.clamp(0.0, 1.0);
    let s = if v <= 0.0031308 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    };
    (s * 255.0).round()
}

/// The reference for level `(lw, lh)` from the RGBA8 sRGB texels of the level above.
fn expected_level(above: &[u8], (w, h): (u32, u32), (lw, lh): (u32, u32)) -> Vec<f64> {
    let n = (w * h) as usize;
    let texels: Vec<Vec<f32>> = above
        .chunks(4)
        .map(|t| TexelFormat::Rgba8UnormSrgb.decode(t))
        .collect();
    let planes: Vec<f32> = (0..4)
        .flat_map(|c| (0..n).map(move |i| (c, i)))
        .map(|(c, i)| texels[i][c])
        .collect();
    let o = Options::new(Mode::Lanczos)
        .size([lh as usize, lw as usize])
        .antialias(true);
    let (y, _) =
        reference::interpolate(&planes, &[1, 4, h as usize, w as usize], &o).unwrap_or_default();
    let m = (lw * lh) as usize;
    (0..m)
        .flat_map(|i| {
            let y = &y;
            (0..4).map(move |c| {
                let v = y[c * m + i];
                if c == 3 {
                    (v.clamp(0.0, 1.0) * 255.0).round()
                } else {
                    encode_srgb(v)
                }
            })
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "texture-mips-output".into()),
    );
    std::fs::create_dir_all(&out_dir)?;
    let r = Resampler::new_default()?;
    if let Some(i) = r.adapter_info() {
        println!("adapter: {} ({:?})", i.name, i.backend);
    }
    let (w, h) = (512u32, 512u32);
    // Fine stripes and rings: aliasing shows at once if a level is filtered badly.
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let d = ((x - 256.0).powi(2) + (y - 256.0).powi(2)).sqrt();
            let ring = if ((d / 3.0) as u32).is_multiple_of(2) {
                255
            } else {
                20
            };
            let stripe = if (x as u32 / 2).is_multiple_of(2) {
                230
            } else {
                30
            };
            [ring, stripe, (y / 2.0) as u8, 255]
        })
        .collect();
    let levels = 32 - w.max(h).leading_zeros();
    let texture = r.device().create_texture(&wgpu::TextureDescriptor {
        label: Some("albedo"),
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: levels,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8UnormSrgb,
        usage: wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST
            | wgpu::TextureUsages::TEXTURE_BINDING,
        view_formats: &[],
    });
    r.queue().write_texture(
        wgpu::TexelCopyTextureInfo {
            texture: &texture,
            mip_level: 0,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        &pixels,
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(w * 4),
            rows_per_image: Some(h),
        },
        wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
    );
    let mut encoder = r.device().create_command_encoder(&Default::default());
    r.generate_mips(&mut encoder, &texture, Mode::Lanczos)?;
    r.queue().submit([encoder.finish()]);

    let mut above: Option<(Vec<u8>, (u32, u32))> = None;
    for level in 0..levels {
        let (lw, lh) = ((w >> level).max(1), (h >> level).max(1));
        let bpr = (lw * 4).div_ceil(256) * 256;
        let buf = r.device().create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: (bpr * lh) as u64,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let mut enc = r.device().create_command_encoder(&Default::default());
        enc.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: level,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &buf,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(bpr),
                    rows_per_image: Some(lh),
                },
            },
            wgpu::Extent3d {
                width: lw,
                height: lh,
                depth_or_array_layers: 1,
            },
        );
        r.queue().submit([enc.finish()]);
        let raw = r.read_buffer(&buf, 0, (bpr * lh) as u64)?;
        let rgba: Vec<u8> = raw
            .chunks(bpr as usize)
            .flat_map(|row| row[..(lw * 4) as usize].to_vec())
            .collect();
        if let Some((prev, size)) = &above {
            let want = expected_level(prev, *size, (lw, lh));
            let worst = rgba
                .iter()
                .zip(&want)
                .map(|(&g, &w)| (f64::from(g) - w).abs())
                .fold(0.0, f64::max);
            if worst > 1.0 {
                return Err(
                    format!("level {level} differs from the reference by {worst} steps").into(),
                );
            }
        }
        above = Some((rgba.clone(), (lw, lh)));
        let img = image::RgbaImage::from_raw(lw, lh, rgba).ok_or("level size")?;
        let path = out_dir.join(format!("mip{level:02}_{lw}x{lh}.png"));
        img.save(&path)?;
        println!("level {level:2}: {lw:4} x {lh:<4} -> {}", path.display());
    }
    println!("ok: every level matches the reference within one step");
    Ok(())
}
