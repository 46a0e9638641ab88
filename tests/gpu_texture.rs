#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The texture path: every supported format (sRGB filtered in linear light) against the CPU
//! reference, and a mip chain.

mod common;

use common::Rng;
use wgpu_resample::gpu::TexelFormat;
use wgpu_resample::{reference, Error, Mode, Options, Resampler};

tests!(
    gpu: every_format_and_2d_mode_matches_the_reference,
    gpu: mip_chain_levels_match_the_reference,
    gpu: source_without_copy_src_is_an_input_error,
    gpu: destination_without_copy_dst_is_an_input_error,
);

/// A 2-D rgba8unorm texture of one level with only `usage`.
fn bare_texture(r: &Resampler, w: u32, h: u32, usage: wgpu::TextureUsages) -> wgpu::Texture {
    r.device().create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage,
        view_formats: &[],
    })
}

fn make_texture(
    r: &Resampler,
    format: wgpu::TextureFormat,
    w: u32,
    h: u32,
    mips: u32,
    bytes: &[u8],
) -> wgpu::Texture {
    let t = r.device().create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: mips,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST
            | wgpu::TextureUsages::TEXTURE_BINDING,
        view_formats: &[],
    });
    let bpt = TexelFormat::of(format).unwrap().bytes_per_texel();
    r.queue().write_texture(
        wgpu::TexelCopyTextureInfo {
            texture: &t,
            mip_level: 0,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        bytes,
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(w * bpt),
            rows_per_image: Some(h),
        },
        wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
    );
    t
}

fn read_level(r: &Resampler, t: &wgpu::Texture, mip: u32) -> Vec<u8> {
    let (w, h) = ((t.width() >> mip).max(1), (t.height() >> mip).max(1));
    let bpt = TexelFormat::of(t.format()).unwrap().bytes_per_texel();
    let bpr = (w * bpt).div_ceil(256) * 256;
    let buf = r.device().create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: (bpr * h) as u64,
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC,
        mapped_at_creation: false,
    });
    let mut enc = r.device().create_command_encoder(&Default::default());
    enc.copy_texture_to_buffer(
        wgpu::TexelCopyTextureInfo {
            texture: t,
            mip_level: mip,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        wgpu::TexelCopyBufferInfo {
            buffer: &buf,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(bpr),
                rows_per_image: Some(h),
            },
        },
        wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
    );
    r.queue().submit([enc.finish()]);
    let raw = r.read_buffer(&buf, 0, (bpr * h) as u64).unwrap();
    raw.chunks(bpr as usize)
        .flat_map(|row| row[..(w * bpt) as usize].to_vec())
        .collect()
}

/// Decode texels to NCHW planes (N = 1).
fn planes(fmt: TexelFormat, bytes: &[u8], w: usize, h: usize) -> Vec<f32> {
    let (c, bpt) = (fmt.channels(), fmt.bytes_per_texel() as usize);
    let mut out = vec![0.0; c * w * h];
    for i in 0..w * h {
        for (ch, v) in fmt
            .decode(&bytes[i * bpt..(i + 1) * bpt])
            .into_iter()
            .enumerate()
        {
            out[ch * w * h + i] = v;
        }
    }
    out
}

fn check(fmt: TexelFormat, got: &[f32], want: &[f64]) {
    // unorm: one 8-bit step (in sRGB, a step is larger in linear light near 1); float: f16 rounding.
    for (g, w) in got.iter().zip(want) {
        let w = *w as f32;
        let tol = match fmt {
            TexelFormat::Rgba8Unorm => 1.01 / 255.0,
            TexelFormat::Rgba8UnormSrgb => 0.01,
            TexelFormat::Rgba16Float => 2e-3 * w.abs().max(1.0),
            _ => 1e-5 * w.abs().max(1.0),
        };
        let w = if matches!(fmt, TexelFormat::Rgba8Unorm | TexelFormat::Rgba8UnormSrgb) {
            w.clamp(0.0, 1.0)
        } else {
            w
        };
        assert!((g - w).abs() <= tol, "{fmt:?}: {g} vs {w}");
    }
}

fn every_format_and_2d_mode_matches_the_reference() {
    let r = common::gpu();
    let mut rng = Rng::new(21);
    let (w, h) = (37u32, 23u32);
    let formats = [
        wgpu::TextureFormat::Rgba8Unorm,
        wgpu::TextureFormat::Rgba8UnormSrgb,
        wgpu::TextureFormat::Rgba16Float,
        wgpu::TextureFormat::Rgba32Float,
        wgpu::TextureFormat::R32Float,
    ];
    let modes = [
        Options::new(Mode::Nearest).size([40, 16]),
        Options::new(Mode::NearestExact).size([40, 16]),
        Options::new(Mode::Bilinear).size([40, 16]),
        Options::new(Mode::Bicubic).size([11, 70]).clamp(0.0, 1.0),
        Options::new(Mode::Area).size([7, 9]),
        Options::new(Mode::Bilinear).size([9, 13]).antialias(true),
        Options::new(Mode::Lanczos).size([9, 13]).antialias(true),
    ];
    for format in formats {
        let fmt = TexelFormat::of(format).unwrap();
        let bytes: Vec<u8> = match fmt {
            TexelFormat::Rgba16Float => (0..w * h * 4)
                .flat_map(|_| half::f16::from_f32(rng.f64() as f32).to_le_bytes())
                .collect(),
            TexelFormat::Rgba32Float | TexelFormat::R32Float => (0..w * h * fmt.channels() as u32)
                .flat_map(|_| (rng.f64() as f32).to_le_bytes())
                .collect(),
            _ => rng.bytes((w * h * 4) as usize),
        };
        let src = make_texture(r, format, w, h, 1, &bytes);
        let x = planes(fmt, &bytes, w as usize, h as usize);
        for o in &modes {
            let g = o
                .resolve(&[1, fmt.channels(), h as usize, w as usize])
                .unwrap();
            let (oh, ow) = (g.output[0] as u32, g.output[1] as u32);
            let dst = make_texture(
                r,
                format,
                ow,
                oh,
                1,
                &vec![0u8; (ow * oh * fmt.bytes_per_texel()) as usize],
            );
            let mut enc = r.device().create_command_encoder(&Default::default());
            r.encode_texture(&mut enc, &src, 0, &dst, 0, o).unwrap();
            r.queue().submit([enc.finish()]);
            let got = planes(fmt, &read_level(r, &dst, 0), ow as usize, oh as usize);
            let (want, _) = reference::interpolate(&x, &g.input_shape(), o).unwrap();
            check(fmt, &got, &want);
        }
    }
}

fn mip_chain_levels_match_the_reference() {
    let r = common::gpu();
    let (w, h) = (64u32, 48u32);
    let bytes: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            let v = if (x / 4 + y / 4) % 2 == 0 { 255 } else { 0 };
            [v, (x * 4) as u8, (y * 5) as u8, 255]
        })
        .collect();
    let mips = 7;
    let t = make_texture(r, wgpu::TextureFormat::Rgba8UnormSrgb, w, h, mips, &bytes);
    let mut enc = r.device().create_command_encoder(&Default::default());
    r.generate_mips(&mut enc, &t, Mode::Lanczos).unwrap();
    r.queue().submit([enc.finish()]);
    let fmt = TexelFormat::Rgba8UnormSrgb;
    let mut prev = read_level(r, &t, 0);
    assert_eq!(prev, bytes);
    for level in 1..mips {
        let (pw, ph) = (
            (w >> (level - 1)).max(1) as usize,
            (h >> (level - 1)).max(1) as usize,
        );
        let (lw, lh) = ((w >> level).max(1) as usize, (h >> level).max(1) as usize);
        let got = read_level(r, &t, level);
        assert_eq!(got.len(), lw * lh * 4);
        let o = Options::new(Mode::Lanczos).size([lh, lw]).antialias(true);
        let (want, _) =
            reference::interpolate(&planes(fmt, &prev, pw, ph), &[1, 4, ph, pw], &o).unwrap();
        check(fmt, &planes(fmt, &got, lw, lh), &want);
        prev = got;
    }
    // Misuse: a filter that is not a mip filter, a texture without COPY_SRC.
    let mut enc = r.device().create_command_encoder(&Default::default());
    assert!(r.generate_mips(&mut enc, &t, Mode::Nearest).is_err());
}

/// Resize a 16x8 `src` into an 8x4 `dst` (both rgba8unorm, a valid resize otherwise), expect an
/// input error naming `name`, and check that the encoder still submits cleanly (with the same
/// call between textures of full usage in it) and the Resampler still works.
fn expect_usage_error(src: &wgpu::Texture, dst: &wgpu::Texture, name: &str) {
    let r = common::gpu();
    let o = Options::new(Mode::Bilinear).size([4, 8]);
    let full = wgpu::TextureUsages::COPY_SRC | wgpu::TextureUsages::COPY_DST;
    let (good_src, good_dst) = (bare_texture(r, 16, 8, full), bare_texture(r, 8, 4, full));
    let val = r.device().push_error_scope(wgpu::ErrorFilter::Validation);
    let mut enc = r.device().create_command_encoder(&Default::default());
    r.encode_texture(&mut enc, &good_src, 0, &good_dst, 0, &o)
        .unwrap();
    match r.encode_texture(&mut enc, src, 0, dst, 0, &o) {
        Err(Error::Input { name: n, .. }) => assert_eq!(n, name),
        other => panic!(
            "src {:?}, dst {:?}: expected an input error naming {name}, got {other:?}",
            src.usage(),
            dst.usage()
        ),
    }
    r.encode_texture(&mut enc, &good_src, 0, &good_dst, 0, &o)
        .unwrap();
    r.queue().submit([enc.finish()]);
    r.device()
        .poll(wgpu::PollType::wait_indefinitely())
        .expect("the device polls without error");
    let error = pollster::block_on(val.pop());
    assert!(error.is_none(), "validation error: {error:?}");
    let (got, _) = r.interpolate(&[1.0; 16], &[1, 1, 4, 4], &o).unwrap();
    assert!(got.iter().all(|&v| (v - 1.0).abs() < 1e-6), "{got:?}");
}

fn source_without_copy_src_is_an_input_error() {
    let r = common::gpu();
    let src = bare_texture(
        r,
        16,
        8,
        wgpu::TextureUsages::COPY_DST | wgpu::TextureUsages::TEXTURE_BINDING,
    );
    let dst = bare_texture(
        r,
        8,
        4,
        wgpu::TextureUsages::COPY_SRC | wgpu::TextureUsages::COPY_DST,
    );
    expect_usage_error(&src, &dst, "src");
}

fn destination_without_copy_dst_is_an_input_error() {
    let r = common::gpu();
    let src = bare_texture(
        r,
        16,
        8,
        wgpu::TextureUsages::COPY_SRC | wgpu::TextureUsages::COPY_DST,
    );
    let dst = bare_texture(
        r,
        8,
        4,
        wgpu::TextureUsages::COPY_SRC | wgpu::TextureUsages::TEXTURE_BINDING,
    );
    expect_usage_error(&src, &dst, "dst");
}
