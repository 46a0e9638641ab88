#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Tensors beyond the adapter's binding limit (128 MiB on lavapipe) and dispatches beyond
//! 65535 workgroups per dimension are split transparently.

mod common;

use common::{max_abs, max_abs_diff, Rng};
use std::sync::OnceLock;
use wgpu_resample::{reference, Mode, Options, Resampler};

tests!(
    gpu: input_plane_larger_than_a_binding,
    gpu: output_larger_than_a_binding,
    gpu: more_rows_than_workgroups_per_dimension,
    gpu: tables_too_large_for_a_uniform_buffer_use_storage,
);

/// The kernel family the default does not use (the gather kernels on CPU adapters).
fn other() -> &'static Resampler {
    static OTHER: OnceLock<Resampler> = OnceLock::new();
    OTHER.get_or_init(|| {
        let main = common::gpu();
        Resampler::new_default()
            .unwrap()
            .with_cpu_kernels(!main.cpu_kernels())
    })
}

/// The default Resampler and the other kernel family: each binds whole tensors unless they
/// exceed the binding limit.
fn paths() -> Vec<&'static Resampler> {
    vec![common::gpu(), other()]
}

fn check(gpu: &Resampler, shape: &[usize], o: &Options, backward: bool) {
    let mut rng = Rng::new(7);
    let x = rng.data(shape.iter().product());
    let g = o.resolve(shape).unwrap();
    let path = common::path_name(gpu);
    let (got, _) = gpu.interpolate(&x, shape, o).unwrap();
    let (want, _) = reference::interpolate(&x, shape, o).unwrap();
    let tol = if o.mode == Mode::Nearest {
        0.0
    } else {
        2e-5 * max_abs(&want).max(1.0)
    };
    let d = max_abs_diff(&got, &want);
    assert!(d <= tol, "{path}: {o:?} on {shape:?}: {d:e} > {tol:e}");
    if backward {
        let gy = rng.data(g.output_len());
        let got = gpu.interpolate_backward(&gy, shape, o).unwrap();
        let want = reference::interpolate_backward(&gy, shape, o).unwrap();
        let d = max_abs_diff(&got, &want);
        assert!(
            d <= 2e-5 * max_abs(&want).max(1.0),
            "{path}: backward {o:?} on {shape:?}: {d:e}"
        );
    }
}

/// `shape` (a tensor of more than a binding on the input or output side) is cut: its
/// forward (and backward) runs more dispatches than `small` (a call of the same mode and
/// scale far below the limit) on every path, some pass several; then its results match the
/// reference.
fn check_split(
    (shape, o): (&[usize], &Options),
    (small, small_o): (&[usize], &Options),
    backward: bool,
) {
    let main = common::gpu();
    let binding = main.limits().max_storage_buffer_binding_size;
    let g = o.resolve(shape).unwrap();
    let (in_b, out_b) = (4 * g.input_len() as u64, 4 * g.output_len() as u64);
    assert!(
        in_b.max(out_b) > binding,
        "{o:?} {shape:?}: input {} MiB, output {} MiB, binding limit {} MiB: nothing to cut",
        in_b >> 20,
        out_b >> 20,
        binding >> 20
    );
    for r in paths() {
        let path = common::path_name(r);
        // The kernels of a pattern's later calls: its first runs the tile kernel's passes
        // on the row and line kernels (see `Pipelines::tile_allowed`).
        let twice = |f: &dyn Fn() -> Vec<(String, usize)>| {
            f();
            f()
        };
        let mut sides = vec![(
            "forward",
            twice(&|| r.kernel_labels(shape, o).unwrap()),
            twice(&|| r.kernel_labels(small, small_o).unwrap()),
        )];
        if backward {
            sides.push((
                "backward",
                twice(&|| r.backward_kernel_labels(shape, o).unwrap()),
                twice(&|| r.backward_kernel_labels(small, small_o).unwrap()),
            ));
        }
        for (side, large, small_labels) in sides {
            let total = |l: &[(String, usize)]| l.iter().map(|(_, n)| n).sum::<usize>();
            assert!(!large.is_empty(), "{path}: {side} {o:?}: no kernels");
            // One entry per pass: the passes that bind the large side run several
            // dispatches (a pass between two intermediates may fit one binding).
            assert!(
                large.iter().any(|(_, n)| *n > 1),
                "{path}: {side} {o:?} on {shape:?}: no pass is cut: {large:?}"
            );
            if small_labels.len() == large.len() {
                for ((_, s), (_, l)) in small_labels.iter().zip(&large) {
                    assert!(
                        s <= l,
                        "{path}: {side} {o:?}: {small:?} needs more dispatches than \
                         {shape:?}: {small_labels:?} vs {large:?}"
                    );
                }
            }
            assert!(
                total(&small_labels) < total(&large),
                "{path}: {side} {o:?}: {small:?} {small_labels:?} vs {shape:?} {large:?}"
            );
        }
    }
    for r in paths() {
        check(r, shape, o, backward);
    }
}

fn input_plane_larger_than_a_binding() {
    // One 140 MB plane: split into row bands whose input windows fit a binding.
    check_split(
        (
            &[1, 1, 5000, 7000],
            &Options::new(Mode::Bilinear).size([2500, 3500]),
        ),
        (
            &[1, 1, 50, 70],
            &Options::new(Mode::Bilinear).size([25, 35]),
        ),
        true,
    );
}

fn output_larger_than_a_binding() {
    // 2 planes of 3000 x 3000 upsampled 2x: a 288 MB output.
    let o = Options::new(Mode::Nearest).scale_factor([2.0, 2.0]);
    check_split((&[2, 1, 3000, 3000], &o), (&[2, 1, 30, 30], &o), false);
}

fn more_rows_than_workgroups_per_dimension() {
    let gpu = common::gpu();
    check(
        gpu,
        &[1, 2, 40000, 3],
        &Options::new(Mode::Bicubic).size([80000, 5]),
        true,
    );
    check(
        gpu,
        &[70000, 1, 4],
        &Options::new(Mode::Linear).size([3]),
        true,
    );
}

fn tables_too_large_for_a_uniform_buffer_use_storage() {
    // One output averaging 20000 inputs: a table row of 40001 words, past the 64 KiB uniform
    // slice, so the pass runs the storage-table pipeline.
    let gpu = common::gpu();
    let cases = [
        (vec![1, 2, 20000], Options::new(Mode::Area).size([1])),
        (vec![1, 1, 13000, 3], Options::new(Mode::Area).size([1, 2])),
        (
            vec![1, 1, 9000, 4],
            Options::new(Mode::Bilinear).size([3, 4]).antialias(true),
        ),
    ];
    for (shape, o) in cases {
        let labels = gpu.kernel_labels(&shape, &o).unwrap();
        assert!(
            labels.iter().any(|(l, _)| l == "gather/storage_tables"),
            "{o:?} on {shape:?}: {labels:?}"
        );
        check(gpu, &shape, &o, true);
    }
}
