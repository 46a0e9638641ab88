//! Fill a texture's mip chain with an antialiased filter (in linear light for sRGB) and write
//! every level as a PNG.
//!
//! `cargo run --release --example texture_mips [OUT_DIR]` (default: texture-mips-output)

use wgpu_resample::{Mode, Resampler};

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
        let img = image::RgbaImage::from_raw(lw, lh, rgba).ok_or("level size")?;
        let path = out_dir.join(format!("mip{level:02}_{lw}x{lh}.png"));
        img.save(&path)?;
        println!("level {level:2}: {lw:4} x {lh:<4} -> {}", path.display());
    }
    Ok(())
}
