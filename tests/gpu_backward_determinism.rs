#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The GPU backward is a gather in a fixed order: the same gradient, run many times and with
//! other work interleaved (from other threads too), is bit-identical every time.

mod common;

use common::Rng;
use wgpu_resample::{Mode, Options};

tests!(gpu: backward_is_bit_identical_across_runs_and_interleaving);

fn backward_is_bit_identical_across_runs_and_interleaving() {
    let r = common::gpu();
    let mut rng = Rng::new(4);
    let cases = [
        (
            vec![2, 3, 17, 13],
            Options::new(Mode::Bilinear).size([64, 50]),
        ),
        (
            vec![1, 2, 40, 33],
            Options::new(Mode::Bicubic).size([9, 7]).antialias(true),
        ),
        (
            vec![1, 2, 9, 10, 11],
            Options::new(Mode::Trilinear)
                .size([31, 5, 40])
                .align_corners(true),
        ),
        (vec![2, 2, 31, 29], Options::new(Mode::Area).size([4, 6])),
        (
            vec![1, 3, 20, 20],
            Options::new(Mode::Lanczos).size([57, 9]).antialias(true),
        ),
    ];
    for (shape, o) in cases {
        let g = o.resolve(&shape).unwrap();
        let gy = rng.data(g.output_len());
        let first = r.interpolate_backward(&gy, &shape, &o).unwrap();
        std::thread::scope(|s| {
            // Other work on the same Resampler while the runs repeat.
            s.spawn(|| {
                let mut rng = Rng::new(5);
                for _ in 0..10 {
                    let x = rng.data(3 * 30 * 30);
                    r.interpolate(
                        &x,
                        &[1, 3, 30, 30],
                        &Options::new(Mode::Bicubic).size([77, 12]),
                    )
                    .unwrap();
                }
            });
            for _ in 0..20 {
                let again = r.interpolate_backward(&gy, &shape, &o).unwrap();
                assert!(
                    again
                        .iter()
                        .zip(&first)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{o:?}: backward differs between runs"
                );
            }
        });
    }
}
