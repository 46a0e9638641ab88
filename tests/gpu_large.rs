#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Tensors beyond the adapter's binding limit (128 MiB on lavapipe) and dispatches beyond
//! 65535 workgroups per dimension are split transparently.

mod common;

use common::{max_abs, max_abs_diff, Rng};
use wgpu_resample::{reference, Mode, Options};

fn check(shape: &[usize], o: &Options, backward: bool) {
    let Some(gpu) = common::gpu() else { return };
    let binding = gpu.limits().max_storage_buffer_binding_size;
    let mut rng = Rng::new(7);
    let x = rng.data(shape.iter().product());
    let g = o.resolve(shape).unwrap();
    let (in_b, out_b) = (4 * g.input_len() as u64, 4 * g.output_len() as u64);
    println!(
        "{o:?} {shape:?}: input {} MiB, output {} MiB, binding limit {} MiB",
        in_b >> 20,
        out_b >> 20,
        binding >> 20
    );
    let (got, _) = gpu.interpolate(&x, shape, o).unwrap();
    let (want, _) = reference::interpolate(&x, shape, o).unwrap();
    let tol = if o.mode == Mode::Nearest {
        0.0
    } else {
        2e-5 * max_abs(&want).max(1.0)
    };
    assert!(max_abs_diff(&got, &want) <= tol);
    if backward {
        let gy = rng.data(g.output_len());
        let got = gpu.interpolate_backward(&gy, shape, o).unwrap();
        let want = reference::interpolate_backward(&gy, shape, o).unwrap();
        assert!(max_abs_diff(&got, &want) <= 2e-5 * max_abs(&want).max(1.0));
    }
}

#[test]
fn input_plane_larger_than_a_binding() {
    // One 140 MB plane: split into row bands whose input windows fit a binding.
    check(
        &[1, 1, 5000, 7000],
        &Options::new(Mode::Bilinear).size([2500, 3500]),
        true,
    );
}

#[test]
fn output_larger_than_a_binding() {
    // 2 planes of 3000 x 3000 upsampled 2x: a 288 MB output.
    check(
        &[2, 1, 3000, 3000],
        &Options::new(Mode::Nearest).scale_factor([2.0, 2.0]),
        false,
    );
}

#[test]
fn more_rows_than_workgroups_per_dimension() {
    check(
        &[1, 2, 40000, 3],
        &Options::new(Mode::Bicubic).size([80000, 5]),
        true,
    );
    check(&[70000, 1, 4], &Options::new(Mode::Linear).size([3]), true);
}

#[test]
fn tables_too_large_for_a_uniform_buffer_use_storage() {
    // One output averaging 20000 inputs: a table row of 40001 words, past the 64 KiB uniform
    // slice, so the pass runs the storage-table pipeline.
    check(&[1, 2, 20000], &Options::new(Mode::Area).size([1]), true);
    check(
        &[1, 1, 13000, 3],
        &Options::new(Mode::Area).size([1, 2]),
        true,
    );
    check(
        &[1, 1, 9000, 4],
        &Options::new(Mode::Bilinear).size([3, 4]).antialias(true),
        true,
    );
}
