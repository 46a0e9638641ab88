//! area: adaptive average pooling. Output `o` averages inputs
//! `floor(o * in / out) .. ceil((o + 1) * in / out)` (`start_index`, `end_index` in
//! AdaptivePooling.h), each with weight `1 / (end - start)`.

use super::AxisTable;

pub fn window(o: usize, n_in: usize, n_out: usize) -> (usize, usize) {
    let (o, n_in, n_out) = (o as u128, n_in as u128, n_out as u128);
    let start = (o * n_in) / n_out;
    let end = ((o + 1) * n_in).div_ceil(n_out);
    (start as usize, end as usize)
}

pub fn table(n_in: usize, n_out: usize) -> AxisTable {
    AxisTable::build(n_in, n_out, |o, row| {
        let (start, end) = window(o, n_in, n_out);
        let w = 1.0 / (end - start) as f64;
        row.extend((start..end).map(|i| (i, w)));
    })
}
