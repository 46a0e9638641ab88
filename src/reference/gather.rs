//! The CPU twin of `shaders/gather.wgsl`: apply one [`Pass`] to every plane.
//!
//! `out[p, d, h, w] = sum_a Wd[d,a] * sum_b Wh[h,b] * sum_c Ww[w,c] * in[p, a, b, c]`,
//! summed in that nested order (torch's order for its 2- and 3-d kernels), in f64.

use crate::error::Result;
use crate::plan::Pass;
use crate::util::try_vec;

pub fn apply(pass: &Pass, planes: usize, src: &[f64]) -> Result<Vec<f64>> {
    let [id, ih, iw] = pass.in_dims();
    let [od, oh, ow] = pass.out_dims();
    let [td, th, tw] = &pass.axes;
    let mut out = try_vec(planes * od * oh * ow, "the output")?;
    for p in 0..planes {
        let plane = &src[p * id * ih * iw..(p + 1) * id * ih * iw];
        for d in 0..od {
            for h in 0..oh {
                for w in 0..ow {
                    let mut acc_d = 0.0;
                    for (a, wa) in td.row(d) {
                        let mut acc_h = 0.0;
                        for (b, wb) in th.row(h) {
                            let mut acc_w = 0.0;
                            for (c, wc) in tw.row(w) {
                                acc_w += wc * plane[(a * ih + b) * iw + c];
                            }
                            acc_h += wb * acc_w;
                        }
                        acc_d += wa * acc_h;
                    }
                    out.push(if pass.round_u8 {
                        round_u8(acc_d)
                    } else {
                        acc_d
                    });
                }
            }
        }
    }
    Ok(out)
}

/// torch's uint8 store: round half up, saturate to 0..=255.
pub fn round_u8(x: f64) -> f64 {
    (x + 0.5).floor().clamp(0.0, 255.0)
}
