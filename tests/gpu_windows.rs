#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The uniform-window input path (the default on CPU adapters, forced on here on any adapter):
//! tensors large enough to be cut into many 64 KiB window chunks, in both layouts, from an
//! input at an odd offset of a caller's buffer, forward and backward, against the CPU
//! reference; and a check that the window kernels are the ones that run.

mod common;

use common::{from_channels_last, max_abs, max_abs_diff, to_channels_last, Rng};
use wgpu::util::DeviceExt;
use wgpu_resample::gpu::{GpuTensor, Layout};
use wgpu_resample::{reference, Mode, Options, Resampler};

tests!(
    gpu: window_kernels_run_and_match_the_reference,
    gpu: caller_buffers_with_uniform_usage_take_windows_in_both_layouts,
    gpu: window_gradients_of_unread_inputs_are_zero_with_non_finite_upstream,
);

/// The GPU with uniform windows and without the row kernels (which take the passes over
/// aligned rows first).
fn windowed() -> &'static Resampler {
    static WINDOWED: std::sync::OnceLock<Resampler> = std::sync::OnceLock::new();
    let r = WINDOWED.get_or_init(|| {
        Resampler::new_default()
            .unwrap()
            .with_row_kernels(false)
            .with_uniform_windows(true)
    });
    // WebGPU's default limits already allow a 64 KiB uniform binding.
    assert!(r.uniform_windows(), "no Resampler with uniform windows");
    r
}

fn cases() -> Vec<(Vec<usize>, Options)> {
    let o = Options::new;
    vec![
        (vec![2, 3, 70, 90], o(Mode::Bilinear).size([150, 110])),
        // Adjacent columns sharing W taps (gather_window_span.wgsl): 2x with aligned rows
        // (vec4 stores), and a downscale whose four columns read 8 inputs, the most it takes.
        (vec![1, 3, 40, 64], o(Mode::Bilinear).size([80, 128])),
        (vec![1, 2, 40, 100], o(Mode::Bicubic).size([50, 75])),
        (vec![2, 3, 30, 64], o(Mode::Nearest).size([60, 128])),
        (
            vec![1, 2, 60, 80],
            o(Mode::Bicubic).size([131, 77]).align_corners(true),
        ),
        (vec![2, 5, 40, 50], o(Mode::Nearest).size([90, 101])),
        (
            vec![1, 3, 12, 20, 24],
            o(Mode::Trilinear).size([25, 31, 17]),
        ),
        (vec![2, 2, 64, 96], o(Mode::Area).size([16, 24])),
        (vec![2, 3, 50, 70], o(Mode::Area).size([17, 23])),
        (
            vec![1, 3, 90, 120],
            o(Mode::Bicubic).size([31, 37]).antialias(true),
        ),
        (
            vec![1, 3, 64, 100],
            o(Mode::Lanczos).size([20, 97]).antialias(true),
        ),
        (vec![3, 4, 3000], o(Mode::Linear).size([5123])),
        // One active axis each (gather_window_axis.wgsl): D, H, with fixed or varying counts;
        // (2, 3, 50, 70) -> (17, 23) above has varying counts of at most 4: the fixed kernel.
        (vec![1, 2, 40, 6, 7], o(Mode::Area).size([5, 6, 7])),
        (vec![1, 2, 41, 6, 7], o(Mode::Area).size([5, 6, 7])),
        (vec![2, 3, 61, 72], o(Mode::Area).size([9, 72])),
        // Two active axes, one of more than 4 taps, not worth splitting (6 x 2 taps): the
        // general kernel through windows.
        (vec![1, 2, 60, 66], o(Mode::Area).size([10, 33])),
        (vec![2, 3, 33, 2100], o(Mode::NearestExact).size([17, 4000])),
    ]
}

fn o75() -> Options {
    Options::new(Mode::Bicubic).size([50, 75])
}

fn o128() -> Options {
    Options::new(Mode::Bilinear).size([80, 128])
}

fn tol(want: &[f64]) -> f64 {
    2e-5 * max_abs(want).max(1.0)
}

fn window_kernels_run_and_match_the_reference() {
    let r = windowed();
    let mut rng = Rng::new(0x57_1D0);
    let mut dispatches = 0usize;
    let mut kernels = std::collections::BTreeSet::new();
    for (shape, o) in cases() {
        let labels = r.kernel_labels(&shape, &o).unwrap();
        assert!(
            labels.iter().all(|(l, _)| l.starts_with("window/")),
            "{o:?} on {shape:?}: {labels:?}"
        );
        let n: usize = labels.iter().map(|(_, n)| n).sum();
        // An input past one 64 KiB window is cut into several.
        if shape.iter().product::<usize>() > 16384 {
            assert!(n > 1, "{o:?} on {shape:?}: {labels:?}");
        }
        dispatches += n;
        kernels.extend(labels.into_iter().map(|(l, _)| l));

        let x = rng.data(shape.iter().product());
        let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
        let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
        let d = max_abs_diff(&got, &want);
        assert!(d <= tol(&want), "forward {o:?} on {shape:?}: {d:e}");

        let gy = rng.data(want.len());
        let want_g = reference::interpolate_backward(&gy, &shape, &o).unwrap();
        let got_g = r.interpolate_backward(&gy, &shape, &o).unwrap();
        let d = max_abs_diff(&got_g, &want_g);
        assert!(d <= tol(&want_g), "backward {o:?} on {shape:?}: {d:e}");
    }
    for (shape, o, span) in [
        (vec![1, 2, 40, 100], o75(), "window/span"),
        (vec![1, 3, 40, 64], o128(), "window/span_vec4"),
    ] {
        let labels = r.kernel_labels(&shape, &o).unwrap();
        assert!(labels.iter().all(|(l, _)| l == span), "{o:?}: {labels:?}");
    }
    // The window kernels: loop-free fixed taps (columns with their own taps, or sharing
    // them) and one active axis, each storing scalars (widths that are not multiples of 4)
    // or aligned vec4s; the general one.
    for k in [
        "window/fixed",
        "window/fixed_vec4",
        "window/span",
        "window/span_vec4",
        "window/axis",
        "window/axis_vec4",
        "window/general",
    ] {
        assert!(
            kernels.contains(k),
            "{k} not exercised: {dispatches} dispatches in all, kernels {kernels:?}"
        );
    }
}

fn caller_buffers_with_uniform_usage_take_windows_in_both_layouts() {
    let r = windowed();
    let mut rng = Rng::new(0xB0FF);
    for (shape, o) in cases() {
        let g = o.resolve(&shape).unwrap();
        let x = rng.data(shape.iter().product());
        let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
        for layout in [Layout::Contiguous, Layout::ChannelsLast] {
            let data = match layout {
                Layout::ChannelsLast => to_channels_last(&x, &shape),
                _ => x.clone(),
            };
            // The tensor 12 bytes into the buffer (window starts are not aligned), and 64 KiB
            // of room after it so that every window binding fits.
            let mut bytes = vec![0u8; 12];
            bytes.extend_from_slice(bytemuck::cast_slice(&data));
            bytes.resize(bytes.len() + 65536, 0);
            let src = r
                .device()
                .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: None,
                    contents: &bytes,
                    usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::UNIFORM,
                });
            let ts = GpuTensor::new(&src, &shape).offset(12).layout(layout);
            // The output 16 bytes into its buffer (aligned vec4 stores stay possible), or 4
            // (scalar stores).
            let out_shape = g.output_shape();
            let dst_offset = match layout {
                Layout::ChannelsLast => 4,
                _ => 16,
            };
            let out_bytes = 4 * want.len() as u64;
            let dst = r.device().create_buffer(&wgpu::BufferDescriptor {
                label: None,
                size: dst_offset + out_bytes,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            });
            let td = GpuTensor::new(&dst, &out_shape)
                .offset(dst_offset)
                .layout(layout);
            let mut enc = r.device().create_command_encoder(&Default::default());
            r.encode(&mut enc, &ts, &td, &o).unwrap();
            r.queue().submit([enc.finish()]);
            let raw = r.read_buffer(&dst, dst_offset, out_bytes).unwrap();
            let mut got: Vec<f32> = bytemuck::cast_slice(&raw).to_vec();
            if layout == Layout::ChannelsLast {
                got = from_channels_last(&got, &out_shape);
            }
            let d = max_abs_diff(&got, &want);
            assert!(
                d <= tol(&want),
                "{layout:?} {o:?} on {shape:?}: max diff {d:e}"
            );
        }
    }
}

/// Gradients through the window kernels where some inputs receive no output (count 0 in the
/// transposed tables) and the upstream gradient holds an infinity or a NaN: those inputs get
/// exactly 0, as on the reference, not 0 * inf.
fn window_gradients_of_unread_inputs_are_zero_with_non_finite_upstream() {
    let r = windowed();
    let cases = [
        (
            vec![1, 1, 4, 8],
            Options::new(Mode::Nearest).size([2, 4]),
            f32::INFINITY,
        ),
        (
            vec![1, 1, 8, 8],
            Options::new(Mode::Bilinear).size([2, 2]),
            f32::NAN,
        ),
        (
            vec![1, 2, 64, 96],
            Options::new(Mode::Area).size([16, 24]),
            f32::NEG_INFINITY,
        ),
        (
            vec![1, 1, 40, 6, 7],
            Options::new(Mode::NearestExact).size([5, 6, 7]),
            f32::NAN,
        ),
    ];
    for (shape, o, bad) in cases {
        let g = o.resolve(&shape).unwrap();
        let mut gy: Vec<f32> = (0..g.output_len()).map(|i| (i % 7) as f32 - 3.0).collect();
        gy[0] = bad;
        let want = reference::interpolate_backward(&gy, &shape, &o).unwrap();
        let got = r.interpolate_backward(&gy, &shape, &o).unwrap();
        assert_eq!(got.len(), want.len());
        for (i, (&a, &b)) in got.iter().zip(&want).enumerate() {
            let same = if b.is_nan() {
                a.is_nan()
            } else if b.is_infinite() {
                a as f64 == b
            } else {
                (a as f64 - b).abs() <= 1e-5 * b.abs().max(1.0)
            };
            assert!(same, "{o:?} on {shape:?}: grad[{i}] = {a}, reference {b}");
        }
    }
}
