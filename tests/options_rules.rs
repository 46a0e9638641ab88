#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! torch's size / scale rules and rejections, one by one.

use wgpu_resample::{upsample, upsample_bilinear, upsample_nearest, Error, Mode, Options};

fn arg_name(e: Error) -> &'static str {
    match e {
        Error::Argument { name, .. } | Error::Input { name, .. } => name,
        other => panic!("expected an argument error, got {other}"),
    }
}

#[test]
fn output_size_is_floor_of_in_times_scale_in_f64() {
    let g = Options::new(Mode::Nearest)
        .scale_factor([1.7, 0.5])
        .resolve(&[1, 1, 10, 7])
        .unwrap();
    assert_eq!(g.output, vec![17, 3]);
    // 0.29 * 100 = 28.999999999999996 in f64: floor gives 28, as torch.
    let g = Options::new(Mode::Linear)
        .scale_factor([0.29])
        .resolve(&[1, 1, 100])
        .unwrap();
    assert_eq!(g.output, vec![28]);
}

#[test]
fn scale_is_kept_unless_recomputed_and_area_always_recomputes() {
    let g = Options::new(Mode::Bilinear)
        .scale_factor_all(2.5)
        .resolve(&[1, 1, 4, 4])
        .unwrap();
    assert_eq!(g.scales, vec![Some(2.5), Some(2.5)]);
    let g = Options::new(Mode::Bilinear)
        .scale_factor_all(2.5)
        .recompute_scale_factor(true)
        .resolve(&[1, 1, 4, 4])
        .unwrap();
    assert_eq!(g.scales, vec![None, None]);
    let g = Options::new(Mode::Area)
        .scale_factor_all(0.5)
        .resolve(&[1, 1, 4, 4])
        .unwrap();
    assert_eq!(g.scales, vec![None, None]);
    assert_eq!(g.output, vec![2, 2]);
}

#[test]
fn align_corners_defaults_to_false_and_is_rejected_for_nearest_and_area() {
    let g = Options::new(Mode::Bicubic)
        .size([3, 3])
        .resolve(&[1, 1, 4, 4])
        .unwrap();
    assert!(!g.align_corners);
    for m in [Mode::Nearest, Mode::NearestExact, Mode::Area] {
        let e = Options::new(m)
            .size([3, 3])
            .align_corners(false)
            .resolve(&[1, 1, 4, 4])
            .unwrap_err();
        assert_eq!(arg_name(e), "align_corners");
    }
}

#[test]
fn rejections_name_their_argument() {
    let cases: Vec<(Options, Vec<usize>, &str)> = vec![
        (
            Options::new(Mode::Bilinear)
                .size([4, 4])
                .scale_factor_all(2.0),
            vec![1, 1, 5, 5],
            "size",
        ),
        (Options::new(Mode::Bilinear), vec![1, 1, 5, 5], "size"),
        (
            Options::new(Mode::Bilinear)
                .size([4, 4])
                .recompute_scale_factor(true),
            vec![1, 1, 5, 5],
            "recompute_scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).size([4, 4, 4]),
            vec![1, 1, 5, 5],
            "size",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([2.0]),
            vec![1, 1, 5, 5],
            "scale_factor",
        ),
        (
            Options::new(Mode::Lanczos).size([4, 4]),
            vec![1, 1, 5, 5],
            "antialias",
        ),
        (
            Options::new(Mode::Lanczos)
                .size([4, 4])
                .antialias(true)
                .align_corners(true),
            vec![1, 1, 5, 5],
            "align_corners",
        ),
        (
            Options::new(Mode::Linear).size([4, 4]),
            vec![1, 1, 5, 5],
            "input",
        ),
        (
            Options::new(Mode::Trilinear).size([4, 4]),
            vec![1, 1, 5, 5],
            "input",
        ),
        (
            Options::new(Mode::Nearest).size([4, 4]).antialias(true),
            vec![1, 1, 5, 5],
            "antialias",
        ),
        (
            Options::new(Mode::Bicubic).size([4]).antialias(true),
            vec![1, 1, 5],
            "antialias",
        ),
        (
            Options::new(Mode::Bilinear).size([0, 4]),
            vec![1, 1, 5, 5],
            "size",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([0.01, 1.0]),
            vec![1, 1, 5, 5],
            "size",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([f64::NAN, 1.0]),
            vec![1, 1, 5, 5],
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([-2.0, 1.0]),
            vec![1, 1, 5, 5],
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([f64::INFINITY, 1.0]),
            vec![1, 1, 5, 5],
            "scale_factor",
        ),
        (Options::new(Mode::Nearest).size([4]), vec![1, 5], "input"),
        (
            Options::new(Mode::Nearest).size([4, 4, 4, 4]),
            vec![1, 1, 5, 5, 5, 5],
            "input",
        ),
        (
            Options::new(Mode::Nearest).size([4]),
            vec![1, 0, 5],
            "input",
        ),
        (
            Options::new(Mode::Area).size([2, 2, 2]),
            vec![1, 0, 4, 4, 4],
            "input",
        ),
        (
            Options::new(Mode::Area).size([2, 2]),
            vec![1, 1, 0, 4],
            "size",
        ),
        (
            Options::new(Mode::Nearest).size([usize::MAX / 2, 4]),
            vec![1, 1, 5, 5],
            "spatial size",
        ),
        (
            Options::new(Mode::Nearest).size([1 << 31, 1 << 31]),
            vec![1, 1, 5, 5],
            "element count",
        ),
    ];
    for (o, shape, name) in cases {
        match o.resolve(&shape) {
            Ok(g) => panic!("{o:?} on {shape:?} was accepted: {g:?}"),
            Err(Error::Limit { what, .. }) => assert_eq!(what, name),
            Err(e) => {
                let msg = e.to_string();
                assert_eq!(arg_name(e), name, "{msg}");
                assert!(msg.contains(name), "{msg}");
            }
        }
    }
}

#[test]
fn aliases() {
    assert_eq!(
        upsample(Options::new(Mode::Bicubic).size([2, 2])),
        Options::new(Mode::Bicubic).size([2, 2])
    );
    let o = upsample_nearest(None, Some(2.0));
    assert_eq!(o.mode, Mode::Nearest);
    assert_eq!(o.resolve(&[1, 1, 3, 3]).unwrap().output, vec![6, 6]);
    let o = upsample_bilinear(Some(vec![5, 7]), None);
    let g = o.resolve(&[1, 1, 3, 3]).unwrap();
    assert!(g.align_corners);
    assert_eq!(g.mode, Mode::Bilinear);
    assert_eq!(g.output, vec![5, 7]);
}

#[test]
fn mode_names_round_trip() {
    for m in Mode::ALL {
        assert_eq!(m.name().parse::<Mode>().unwrap(), m);
    }
    assert_eq!(arg_name("bogus".parse::<Mode>().unwrap_err()), "mode");
}

/// Empty tensors as torch has them: a batch of 0 in every mode, an output size of 0 and no
/// channels in area (1-D and 2-D); the results are empty and the gradient of an empty output
/// is 0, on the reference and on the GPU.
#[test]
fn empty_tensors_follow_torch() {
    use wgpu_resample::reference;
    let cases = [
        (
            Options::new(Mode::Bilinear).size([3, 4]),
            vec![0, 2, 5, 5],
            vec![0, 2, 3, 4],
        ),
        (
            Options::new(Mode::Nearest).size([3]),
            vec![0, 1, 5],
            vec![0, 1, 3],
        ),
        (
            Options::new(Mode::Area).size([0, 3]),
            vec![1, 2, 5, 5],
            vec![1, 2, 0, 3],
        ),
        (
            Options::new(Mode::Area).scale_factor([0.1]),
            vec![2, 1, 7],
            vec![2, 1, 0],
        ),
        (
            Options::new(Mode::Area).size([2, 0, 2]),
            vec![1, 1, 3, 3, 3],
            vec![1, 1, 2, 0, 2],
        ),
        (
            Options::new(Mode::Area).size([2, 2]),
            vec![1, 0, 5, 5],
            vec![1, 0, 2, 2],
        ),
    ];
    let gpu = common_gpu();
    for (o, shape, want) in cases {
        let g = o
            .resolve(&shape)
            .unwrap_or_else(|e| panic!("{o:?} on {shape:?}: {e}"));
        assert_eq!(g.output_shape(), want, "{o:?}");
        let n_in: usize = shape.iter().product();
        let input: Vec<f32> = (0..n_in).map(|i| i as f32).collect();
        let (out, out_shape) = reference::interpolate(&input, &shape, &o).unwrap();
        assert!(out.is_empty() && out_shape == want, "{o:?}");
        let grad = reference::interpolate_backward(&[], &shape, &o).unwrap();
        assert_eq!(grad, vec![0.0; n_in], "{o:?}");
        if let Some(r) = &gpu {
            let (out, out_shape) = r.interpolate(&input, &shape, &o).unwrap();
            assert!(out.is_empty() && out_shape == want, "{o:?}");
            let grad = r.interpolate_backward(&[], &shape, &o).unwrap();
            assert_eq!(grad, vec![0.0; n_in], "{o:?}");
        }
    }
}

/// The same through the embedding API: encoding into an empty tensor records nothing, and
/// the gradient of an empty output zero-fills the caller's gradient buffer.
#[test]
fn empty_tensors_on_caller_buffers() {
    use wgpu::util::DeviceExt;
    use wgpu_resample::gpu::GpuTensor;
    let Some(r) = common_gpu() else { return };
    let o = Options::new(Mode::Area).size([0, 3]);
    let shape = [1, 2, 5, 5];
    let usage =
        wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
    let ones = vec![1.0f32; 50];
    let buf = |data: &[f32]| {
        r.device()
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: None,
                contents: bytemuck::cast_slice(data),
                usage,
            })
    };
    let (src, dst, grad_in) = (buf(&ones), buf(&[7.0; 4]), buf(&ones));
    let out_shape = [1, 2, 0, 3];
    let mut enc = r.device().create_command_encoder(&Default::default());
    r.encode(
        &mut enc,
        &GpuTensor::new(&src, &shape),
        &GpuTensor::new(&dst, &out_shape),
        &o,
    )
    .unwrap();
    r.encode_backward(
        &mut enc,
        &GpuTensor::new(&dst, &out_shape),
        &GpuTensor::new(&grad_in, &shape),
        &o,
    )
    .unwrap();
    r.queue().submit([enc.finish()]);
    let untouched: Vec<f32> = bytemuck::cast_slice(&r.read_buffer(&dst, 0, 16).unwrap()).to_vec();
    assert_eq!(untouched, vec![7.0; 4]);
    let grad: Vec<f32> = bytemuck::cast_slice(&r.read_buffer(&grad_in, 0, 200).unwrap()).to_vec();
    assert_eq!(grad, vec![0.0; 50]);

    // An f16 gradient of 3 elements ends mid-word: zero-filled, the bytes after it kept.
    use wgpu_resample::gpu::Element;
    let o1 = Options::new(Mode::Area).size([0]);
    let f16_buf = r
        .device()
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: &[0xAA; 8],
            usage,
        });
    let empty = buf(&[7.0; 4]);
    let mut enc = r.device().create_command_encoder(&Default::default());
    r.encode_backward(
        &mut enc,
        &GpuTensor::new(&empty, &[1, 1, 0]),
        &GpuTensor::new(&f16_buf, &[1, 1, 3]).element(Element::F16),
        &o1,
    )
    .unwrap();
    r.queue().submit([enc.finish()]);
    let bytes = r.read_buffer(&f16_buf, 0, 8).unwrap();
    assert_eq!(bytes, vec![0, 0, 0, 0, 0, 0, 0xAA, 0xAA]);
}

fn common_gpu() -> Option<wgpu_resample::gpu::Resampler> {
    match wgpu_resample::gpu::Resampler::new_default() {
        Ok(r) => Some(r),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true needs a GPU adapter: {e}")
        }
        Err(_) => None,
    }
}
