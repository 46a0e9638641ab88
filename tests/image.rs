#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The image API on both engines (the CPU reference and the GPU): 8-bit images against
//! torch's uint8 corpus cases exactly, alpha edge cases, linear light against float64, tiles
//! and destination rectangles against the whole image, the size policies, and bad input as
//! typed errors.

mod common;

use std::path::Path;
use wgpu::util::DeviceExt;
use wgpu_resample::conformance::load_manifest;
use wgpu_resample::image::{
    encode, linear_to_srgb, output_size, resize, resize_into, srgb_to_linear, Alpha, Engine,
    Filtering, GpuImage, ImageBuf, ImageMut, ImageOptions, ImageRef, PixelVec, Pixels, PixelsMut,
    Rect, Sample, Size,
};
use wgpu_resample::npy::{self, NpyData};
use wgpu_resample::{reference, Error, Mode, Options};

tests!(
    cpu: uint8_corpus_cases_equal_torch_on_the_reference,
    gpu: uint8_corpus_cases_equal_torch_on_the_gpu,
    cpu: alpha_edge_cases_on_the_reference,
    gpu: alpha_edge_cases_on_the_gpu,
    cpu: linear_light_matches_float64_on_the_reference,
    gpu: linear_light_matches_float64_on_the_gpu,
    cpu: tiles_equal_the_whole_on_the_reference,
    gpu: tiles_equal_the_whole_on_the_gpu,
    gpu: every_sample_type_and_stride_agrees_with_the_reference,
    gpu: encode_into_the_callers_buffers,
    cpu: policies_give_their_sizes,
    cpu: bad_input_is_a_typed_error,
);

fn gpu() -> Engine<'static> {
    Engine::Gpu(common::gpu())
}

fn u8s(img: &ImageBuf) -> &[u8] {
    match &img.pixels {
        PixelVec::U8(v) => v,
        other => panic!("u8 pixels expected, got {other:?}"),
    }
}

/// Every 2-D uint8 case of the torch corpus with 1 to 4 channels, each batch element as an
/// interleaved image with alpha ignored (torch has no alpha handling), through the uint8
/// kernels: equal to torch's output (within the case's tolerance: 0, or 1 for lanczos).
fn uint8_corpus(engine: Engine<'_>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/torch");
    let manifest = load_manifest(&dir.join("manifest.json")).unwrap();
    let mut checked = 0;
    for case in manifest
        .cases
        .iter()
        .filter(|c| c.is_u8() && c.expect_error.is_none())
    {
        let x = npy::read(&dir.join(&case.input)).unwrap();
        let [n, c, h, w] = x.shape[..] else { continue };
        let Some(out_shape) = &case.output_shape else {
            continue;
        };
        let (oh, ow) = (out_shape[2], out_shape[3]);
        if !(1..=4).contains(&c) || oh == 0 || ow == 0 {
            continue;
        }
        let mode: Mode = case.mode.parse().unwrap();
        let size = match (&case.scale_factor, case.recompute_scale_factor) {
            (Some(s), Some(false) | None) => Size::Scale { x: s[1], y: s[0] },
            _ => Size::Exact {
                width: ow,
                height: oh,
            },
        };
        let o = ImageOptions::new(mode)
            .size(size)
            .antialias(case.antialias)
            .align_corners(case.align_corners == Some(true))
            .alpha(Alpha::Ignore)
            .filtering(Filtering::Uint8);
        let NpyData::U8(xs) = x.data else {
            panic!("{}: u8 input", case.id)
        };
        let want = npy::read(&dir.join(case.expected.as_ref().unwrap())).unwrap();
        let NpyData::U8(want) = want.data else {
            panic!("{}: u8 output", case.id)
        };
        let atol = case.atol.unwrap_or(0.0);
        for b in 0..n {
            let interleave = |data: &[u8], h: usize, w: usize| -> Vec<u8> {
                let plane = h * w;
                let base = b * c * plane;
                (0..plane)
                    .flat_map(|i| (0..c).map(move |k| data[base + k * plane + i]))
                    .collect()
            };
            let src = interleave(&xs, h, w);
            let img = ImageRef::new(Pixels::U8(&src), w, h, c).unwrap();
            let got = resize(engine, &img, &o).unwrap_or_else(|e| panic!("{}: {e}", case.id));
            assert_eq!((got.width, got.height), (ow, oh), "{}", case.id);
            let expect = interleave(&want, oh, ow);
            for (i, (&g, &e)) in u8s(&got).iter().zip(&expect).enumerate() {
                assert!(
                    (f64::from(g) - f64::from(e)).abs() <= atol,
                    "{} ({mode}): sample {i}: {g} vs torch {e}",
                    case.id
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked} uint8 images checked");
}

fn uint8_corpus_cases_equal_torch_on_the_reference() {
    uint8_corpus(Engine::Reference);
}

fn uint8_corpus_cases_equal_torch_on_the_gpu() {
    uint8_corpus(gpu());
}

fn rgba(px: &[[u8; 4]]) -> Vec<u8> {
    px.iter().flatten().copied().collect()
}

/// Alpha: a transparent red pixel beside an opaque blue one averages to blue at half
/// alpha when premultiplied (no red fringe), to purple when alpha is ignored; fully
/// transparent pixels come out transparent with colour 0; premultiplied input is filtered
/// as it is. In 8 bits (uint8 kernels) and in 16 bits (float).
fn alpha_edge_cases(engine: Engine<'_>) {
    let half = ImageOptions::new(Mode::Bilinear)
        .antialias(true)
        .size(Size::Exact {
            width: 1,
            height: 1,
        });
    let src = rgba(&[[255, 0, 0, 0], [0, 0, 255, 255]]);
    let img = ImageRef::new(Pixels::U8(&src), 2, 1, 4).unwrap();
    let out = resize(engine, &img, &half).unwrap();
    assert_eq!(u8s(&out), &[0, 0, 255, 128], "premultiplied: no red fringe");
    let out = resize(engine, &img, &half.clone().alpha(Alpha::Ignore)).unwrap();
    assert_eq!(
        u8s(&out),
        &[128, 0, 128, 128],
        "alpha ignored: the colours average"
    );
    // Already premultiplied input (transparent red is 0, 0, 0, 0): filtered as it is.
    let pre = rgba(&[[0, 0, 0, 0], [0, 0, 255, 255]]);
    let img = ImageRef::new(Pixels::U8(&pre), 2, 1, 4).unwrap();
    let out = resize(engine, &img, &half.clone().alpha(Alpha::Premultiplied)).unwrap();
    assert_eq!(
        u8s(&out),
        &[0, 0, 128, 128],
        "premultiplied input stays premultiplied"
    );
    // Fully transparent everywhere: colour 0, alpha 0, whatever the colour was.
    let clear = rgba(&[[200, 100, 50, 0], [10, 20, 30, 0]]);
    let img = ImageRef::new(Pixels::U8(&clear), 2, 1, 4).unwrap();
    let out = resize(engine, &img, &half).unwrap();
    assert_eq!(
        u8s(&out),
        &[0, 0, 0, 0],
        "transparent stays transparent, colour 0"
    );
    // Grey + alpha in 16 bits (float filtering): the same rule.
    let la: Vec<u16> = vec![65535, 0, 0, 65535];
    let img = ImageRef::new(Pixels::U16(&la), 2, 1, 2).unwrap();
    let out = resize(engine, &img, &half).unwrap();
    assert_eq!(
        out.pixels,
        PixelVec::U16(vec![0, 32768]),
        "16-bit grey + alpha"
    );
    // An opaque image is the same with or without alpha handling (8 bits, uint8 kernels).
    let mut rng = common::Rng::new(5);
    let opaque: Vec<u8> = rng
        .data(9 * 7 * 4)
        .iter()
        .enumerate()
        .map(|(i, v)| if i % 4 == 3 { 255 } else { (v * 255.0) as u8 })
        .collect();
    let img = ImageRef::new(Pixels::U8(&opaque), 9, 7, 4).unwrap();
    let o = ImageOptions::new(Mode::Bicubic).size(Size::Exact {
        width: 5,
        height: 11,
    });
    let a = resize(engine, &img, &o).unwrap();
    let b = resize(engine, &img, &o.clone().alpha(Alpha::Ignore)).unwrap();
    assert_eq!(a, b, "opaque: alpha handling changes nothing");
}

fn alpha_edge_cases_on_the_reference() {
    alpha_edge_cases(Engine::Reference);
}

fn alpha_edge_cases_on_the_gpu() {
    alpha_edge_cases(gpu());
}

/// Linear light: a 0/255 checkerboard 512 -> 32 (antialiased) averages to sRGB 187.5, not
/// 127.5; every sample equals a float64 computation (decode, the reference's f64 filter,
/// encode, round) within one step of 8 bits.
fn linear_light(engine: Engine<'_>) {
    let (w, h) = (64, 48);
    let board: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let v = if (i % w + i / w) % 2 == 0 { 255 } else { 0 };
            [v, v, v]
        })
        .collect();
    let img = ImageRef::new(Pixels::U8(&board), w, h, 3).unwrap();
    let o = ImageOptions::new(Mode::Bilinear)
        .antialias(true)
        .size(Size::Exact {
            width: 8,
            height: 6,
        })
        .linear_light(true);
    let got = resize(engine, &img, &o).unwrap();
    let mean = u8s(&got).iter().map(|&v| f64::from(v)).sum::<f64>() / u8s(&got).len() as f64;
    assert!(
        (mean - 187.5).abs() < 1.0,
        "mean {mean}: linear light averages light"
    );
    let plain = resize(engine, &img, &o.clone().linear_light(false)).unwrap();
    let mean_plain =
        u8s(&plain).iter().map(|&v| f64::from(v)).sum::<f64>() / u8s(&plain).len() as f64;
    assert!(
        (mean_plain - 127.5).abs() < 1.0,
        "mean {mean_plain} without"
    );
    // A random RGB image against float64.
    let mut rng = common::Rng::new(11);
    let (w, h) = (23, 17);
    let src: Vec<u8> = rng
        .data(w * h * 3)
        .iter()
        .map(|v| (v * 255.0) as u8)
        .collect();
    let img = ImageRef::new(Pixels::U8(&src), w, h, 3).unwrap();
    let o = ImageOptions::new(Mode::Bicubic)
        .size(Size::Exact {
            width: 31,
            height: 9,
        })
        .linear_light(true);
    let got = resize(engine, &img, &o).unwrap();
    let planar: Vec<f32> = (0..3)
        .flat_map(|c| {
            let src = &src;
            (0..w * h).map(move |i| srgb_to_linear(f64::from(src[i * 3 + c]) / 255.0) as f32)
        })
        .collect();
    let (lin, _) = reference::interpolate(
        &planar,
        &[1, 3, h, w],
        &Options::new(Mode::Bicubic).size([9, 31]),
    )
    .unwrap();
    let plane = 9 * 31;
    for (i, &g) in u8s(&got).iter().enumerate() {
        let (p, c) = (i / 3, i % 3);
        let want = (linear_to_srgb(lin[c * plane + p]) * 255.0).clamp(0.0, 255.0);
        assert!(
            (f64::from(g) - want).abs() <= 1.0,
            "sample {i}: {g} vs {want}"
        );
    }
}

fn linear_light_matches_float64_on_the_reference() {
    linear_light(Engine::Reference);
}

fn linear_light_matches_float64_on_the_gpu() {
    linear_light(gpu());
}

/// The output cut into 2 x 3 tiles, each made three ways, equals the whole result: as a
/// window of the output, as a source rectangle (fractional edges) resized to the tile's
/// size, and written by `resize_into` at its place in a destination image.
fn tiles(engine: Engine<'_>) {
    let mut rng = common::Rng::new(23);
    let (w, h) = (37, 23);
    let src: Vec<u8> = rng
        .data(w * h * 4)
        .iter()
        .map(|v| (v * 255.0) as u8)
        .collect();
    let img = ImageRef::new(Pixels::U8(&src), w, h, 4).unwrap();
    let cases = [
        (Mode::Bilinear, true, Filtering::Auto),
        (Mode::Bicubic, false, Filtering::Auto),
        (Mode::Nearest, false, Filtering::Auto),
        (Mode::Lanczos, true, Filtering::Float),
        (Mode::Area, false, Filtering::Auto),
    ];
    for (mode, aa, filtering) in cases {
        let (ow, oh) = (30, 20);
        let o = ImageOptions::new(mode)
            .antialias(aa)
            .filtering(filtering)
            .size(Size::Exact {
                width: ow,
                height: oh,
            });
        let whole = resize(engine, &img, &o).unwrap();
        let mut dst = vec![0u8; ow * oh * 4 + 8];
        let mut assembled = ImageMut::new(PixelsMut::U8(&mut dst), ow, oh, 4, ow * 4).unwrap();
        let (xs, ys) = ([0, 13, ow], [0, 7, 14, oh]);
        for ty in 0..3 {
            for tx in 0..2 {
                let win = Rect {
                    x: xs[tx],
                    y: ys[ty],
                    width: xs[tx + 1] - xs[tx],
                    height: ys[ty + 1] - ys[ty],
                };
                let part = resize(engine, &img, &o.clone().window(win)).unwrap();
                let (sx, sy) = (w as f64 / ow as f64, h as f64 / oh as f64);
                let boxed = o
                    .clone()
                    .size(Size::Exact {
                        width: win.width,
                        height: win.height,
                    })
                    .source(Rect {
                        x: win.x as f64 * sx,
                        y: win.y as f64 * sy,
                        width: win.width as f64 * sx,
                        height: win.height as f64 * sy,
                    });
                let from_box = resize(engine, &img, &boxed).unwrap();
                resize_into(engine, &img, &mut assembled, (win.x, win.y), &boxed).unwrap();
                for y in 0..win.height {
                    let at = ((win.y + y) * ow + win.x) * 4;
                    let row = &u8s(&whole)[at..at + win.width * 4];
                    let r = y * win.width * 4..(y + 1) * win.width * 4;
                    assert_eq!(
                        &u8s(&part)[r.clone()],
                        row,
                        "{mode}: window {win:?} row {y}"
                    );
                    assert_eq!(
                        &u8s(&from_box)[r],
                        row,
                        "{mode}: source rectangle {win:?} row {y}"
                    );
                }
            }
        }
        assert_eq!(
            &dst[..ow * oh * 4],
            u8s(&whole),
            "{mode}: tiles put together"
        );
        assert!(
            dst[ow * oh * 4..].iter().all(|&b| b == 0),
            "nothing written past"
        );
    }
}

fn tiles_equal_the_whole_on_the_reference() {
    tiles(Engine::Reference);
}

fn tiles_equal_the_whole_on_the_gpu() {
    tiles(gpu());
}

/// The GPU's conversions (shaders/image/, which the GPU engine runs where the kernels for
/// CPU adapters are off) and the host's on a CPU adapter, against the reference's
/// (src/image/light.rs) for every sample type, 1 to 4 channels, padded rows, each alpha rule,
/// with and without linear light: integer samples within one step, float samples within 1e-4
/// (f32 against f64 arithmetic, and f16's own rounding).
fn every_sample_type_and_stride_agrees_with_the_reference() {
    let gpu_kernels = wgpu_resample::Resampler::new_default()
        .unwrap()
        .with_cpu_kernels(false);
    for r in [common::gpu(), &gpu_kernels] {
        sample_types_against_the_reference(r);
    }
}

fn sample_types_against_the_reference(r: &wgpu_resample::Resampler) {
    let mut rng = common::Rng::new(41);
    let (w, h) = (13, 9);
    for channels in 1..=4 {
        let stride = w * channels + 3;
        let n = stride * h;
        let unit: Vec<f64> = rng
            .data(n)
            .iter()
            .map(|&v| f64::from(v) / 8.0 + 0.5)
            .collect();
        let u8s: Vec<u8> = unit.iter().map(|v| (v * 255.0) as u8).collect();
        let u16s: Vec<u16> = unit.iter().map(|v| (v * 65535.0) as u16).collect();
        let f16s: Vec<half::f16> = unit.iter().map(|&v| half::f16::from_f64(v)).collect();
        let f32s: Vec<f32> = unit.iter().map(|&v| v as f32).collect();
        let images = [
            Pixels::U8(&u8s),
            Pixels::U16(&u16s),
            Pixels::F16(&f16s),
            Pixels::F32(&f32s),
        ];
        for pixels in images {
            let img = ImageRef::with_stride(pixels, w, h, channels, stride).unwrap();
            for alpha in [Alpha::Premultiply, Alpha::Premultiplied, Alpha::Ignore] {
                for linear in [false, true] {
                    let o = ImageOptions::new(Mode::Bicubic)
                        .size(Size::Exact {
                            width: 7,
                            height: 12,
                        })
                        .alpha(alpha)
                        .linear_light(linear);
                    let want = resize(Engine::Reference, &img, &o).unwrap();
                    let got = resize(Engine::Gpu(r), &img, &o).unwrap();
                    let what = format!(
                        "{:?} x{channels} {alpha:?} linear {linear} (cpu kernels {})",
                        pixels.sample(),
                        r.cpu_kernels()
                    );
                    let pairs: Vec<(f64, f64)> = match (&got.pixels, &want.pixels) {
                        (PixelVec::U8(g), PixelVec::U8(e)) => g
                            .iter()
                            .zip(e)
                            .map(|(&a, &b)| (a.into(), b.into()))
                            .collect(),
                        (PixelVec::U16(g), PixelVec::U16(e)) => g
                            .iter()
                            .zip(e)
                            .map(|(&a, &b)| (a.into(), b.into()))
                            .collect(),
                        (PixelVec::F16(g), PixelVec::F16(e)) => g
                            .iter()
                            .zip(e)
                            .map(|(a, b)| (a.to_f64(), b.to_f64()))
                            .collect(),
                        (PixelVec::F32(g), PixelVec::F32(e)) => g
                            .iter()
                            .zip(e)
                            .map(|(&a, &b)| (a.into(), b.into()))
                            .collect(),
                        other => panic!("{what}: {other:?}"),
                    };
                    let tol = match pixels.sample() {
                        Sample::U8 | Sample::U16 => 1.0,
                        Sample::F16 => 2e-3,
                        Sample::F32 => 1e-4,
                    };
                    for (i, (g, e)) in pairs.into_iter().enumerate() {
                        let close =
                            (g - e).abs() <= tol * e.abs().max(1.0) || (g.is_nan() && e.is_nan());
                        assert!(close, "{what}: sample {i}: gpu {g} vs reference {e}");
                    }
                }
            }
        }
    }
}

/// `encode`: an RGBA8 image at an offset with padded rows in one of the caller's buffers,
/// resized into a window of another's, recorded into the caller's encoder: the host API's
/// result, and the destination's other bytes kept. Mismatched destinations are typed errors.
fn encode_into_the_callers_buffers() {
    let r = common::gpu();
    let mut rng = common::Rng::new(3);
    let (w, h, c, stride) = (21, 14, 4, 21 * 4 + 8);
    let bytes: Vec<u8> = rng
        .data(16 + stride * h)
        .iter()
        .map(|v| (v * 255.0) as u8)
        .collect();
    let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC;
    let src_buf = r
        .device()
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: &bytes,
            usage,
        });
    let o = ImageOptions::new(Mode::Bilinear)
        .antialias(true)
        .size(Size::Fit {
            width: 10,
            height: 10,
        });
    let (ow, oh) = output_size(w, h, c, &o).unwrap();
    assert_eq!((ow, oh), (10, 7));
    let host_src = ImageRef::with_stride(Pixels::U8(&bytes[16..]), w, h, c, stride).unwrap();
    let want = resize(Engine::Gpu(r), &host_src, &o).unwrap();
    let want_ref = resize(Engine::Reference, &host_src, &o).unwrap();
    assert_eq!(want, want_ref, "the GPU's uint8 result is the reference's");
    let dst_buf = r
        .device()
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: &vec![0xAB; 4 + ow * oh * c + 8],
            usage,
        });
    let src = GpuImage {
        buffer: &src_buf,
        offset: 16,
        sample: Sample::U8,
        width: w,
        height: h,
        channels: c,
        stride,
    };
    let dst = GpuImage {
        offset: 4,
        ..GpuImage::new(&dst_buf, Sample::U8, ow, oh, c)
    };
    let mut enc = r.device().create_command_encoder(&Default::default());
    encode(r, &mut enc, &src, &dst, &o).unwrap();
    r.queue().submit([enc.finish()]);
    let got = r.read_buffer(&dst_buf, 0, dst_buf.size()).unwrap();
    assert!(got[..4].iter().all(|&b| b == 0xAB), "bytes before kept");
    assert_eq!(
        &got[4..4 + ow * oh * c],
        u8s(&want),
        "the host API's result"
    );
    assert!(
        got[4 + ow * oh * c..].iter().all(|&b| b == 0xAB),
        "bytes after kept"
    );
    let mut enc = r.device().create_command_encoder(&Default::default());
    let small = GpuImage::new(&dst_buf, Sample::U8, ow - 1, oh, c);
    match encode(r, &mut enc, &src, &small, &o) {
        Err(Error::Input { name: "dst", .. }) => {}
        other => panic!("a destination of the wrong size: {other:?}"),
    }
    let same = GpuImage::new(&src_buf, Sample::U8, ow, oh, c);
    match encode(r, &mut enc, &src, &same, &o) {
        Err(Error::Input { name: "dst", .. }) => {}
        other => panic!("one buffer for both: {other:?}"),
    }
}

fn policies_give_their_sizes() {
    let src = vec![0.5f32; 40 * 30 * 3];
    let img = ImageRef::new(Pixels::F32(&src), 40, 30, 3).unwrap();
    let size = |s: Size| {
        let out = resize(
            Engine::Reference,
            &img,
            &ImageOptions::new(Mode::Bilinear).size(s),
        )
        .unwrap();
        (out.width, out.height)
    };
    assert_eq!(
        size(Size::Exact {
            width: 7,
            height: 9
        }),
        (7, 9)
    );
    assert_eq!(
        size(Size::Fit {
            width: 20,
            height: 20
        }),
        (20, 15)
    );
    assert_eq!(
        size(Size::Fit {
            width: 100,
            height: 6
        }),
        (8, 6)
    );
    assert_eq!(
        size(Size::Fill {
            width: 20,
            height: 20
        }),
        (20, 20)
    );
    assert_eq!(
        size(Size::Fill {
            width: 8,
            height: 3
        }),
        (8, 3)
    );
    assert_eq!(size(Size::Scale { x: 0.5, y: 0.25 }), (20, 7));
    // Fill keeps the centre: a left-to-right ramp cut to a square keeps its middle.
    let ramp: Vec<f32> = (0..40 * 10).map(|i| (i % 40) as f32).collect();
    let img = ImageRef::new(Pixels::F32(&ramp), 40, 10, 1).unwrap();
    let o = ImageOptions::new(Mode::Nearest).size(Size::Fill {
        width: 10,
        height: 10,
    });
    let out = resize(Engine::Reference, &img, &o).unwrap();
    let PixelVec::F32(v) = out.pixels else {
        panic!()
    };
    assert_eq!(
        &v[..10],
        &[15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0]
    );
    // A 16-bit image through float: values round half up and saturate.
    let grey: Vec<u16> = vec![0, 65535, 65535, 0];
    let img = ImageRef::new(Pixels::U16(&grey), 2, 2, 1).unwrap();
    let o = ImageOptions::new(Mode::Bilinear)
        .antialias(true)
        .size(Size::Exact {
            width: 1,
            height: 1,
        });
    let out = resize(Engine::Reference, &img, &o).unwrap();
    assert_eq!(out.pixels, PixelVec::U16(vec![32768]));
}

fn bad_input_is_a_typed_error() {
    let px = vec![0u8; 10 * 10 * 4];
    let name = |r: wgpu_resample::Result<ImageRef<'_>>| match r {
        Err(Error::Argument { name, .. }) => name,
        other => panic!("expected an argument error, got {other:?}"),
    };
    assert_eq!(name(ImageRef::new(Pixels::U8(&px), 10, 10, 5)), "channels");
    assert_eq!(name(ImageRef::new(Pixels::U8(&px), 0, 10, 4)), "image");
    assert_eq!(
        name(ImageRef::with_stride(Pixels::U8(&px), 10, 10, 4, 39)),
        "stride"
    );
    assert_eq!(name(ImageRef::new(Pixels::U8(&px), 10, 11, 4)), "pixels");
    let img = ImageRef::new(Pixels::U8(&px), 10, 10, 4).unwrap();
    let o = ImageOptions::new(Mode::Bilinear).size(Size::Exact {
        width: 4,
        height: 4,
    });
    let arg = |o: &ImageOptions| match resize(Engine::Reference, &img, o) {
        Err(Error::Argument { name, .. }) => name,
        other => panic!("expected an argument error, got {other:?}"),
    };
    let win = Rect {
        x: 2,
        y: 2,
        width: 3,
        height: 1,
    };
    assert_eq!(arg(&o.clone().window(win)), "window");
    let far = Rect {
        x: usize::MAX,
        y: 0,
        width: 2,
        height: 1,
    };
    assert_eq!(arg(&o.clone().window(far)), "window", "no overflow");
    let sliver = Rect {
        x: 9.0,
        y: 0.0,
        width: 1e-9,
        height: 5.0,
    };
    assert_eq!(
        arg(&o.clone().source(sliver)),
        "source",
        "an edge 3.6e10 outputs away"
    );
    let huge = o.clone().size(Size::Exact {
        width: usize::MAX,
        height: 1,
    });
    assert!(
        resize(Engine::Reference, &img, &huge).is_err(),
        "a size beyond memory"
    );
    let off = Rect {
        x: 1.0,
        y: 0.0,
        width: 5.0,
        height: 5.0,
    };
    assert_eq!(
        arg(&o.clone().source(off)),
        "source",
        "1.0 is 0.8 output pixels"
    );
    let out_of = Rect {
        x: 6.0,
        y: 0.0,
        width: 5.0,
        height: 5.0,
    };
    assert_eq!(arg(&o.clone().source(out_of)), "source");
    assert_eq!(
        arg(&o.clone().linear_light(true).filtering(Filtering::Uint8)),
        "filtering"
    );
    assert_eq!(
        arg(&o.clone().size(Size::Fit {
            width: 0,
            height: 3
        })),
        "size"
    );
    assert_eq!(
        arg(&ImageOptions::new(Mode::Area).antialias(true)),
        "antialias"
    );
    let mut dst = vec![0u8; 3 * 3 * 4];
    let mut d = ImageMut::new(PixelsMut::U8(&mut dst), 3, 3, 4, 12).unwrap();
    match resize_into(Engine::Reference, &img, &mut d, (0, 0), &o) {
        Err(Error::Argument { name: "at", .. }) => {}
        other => panic!("a 4x4 result into 3x3: {other:?}"),
    }
    assert!(dst.iter().all(|&b| b == 0), "nothing written");
}
