//! `resample tensor --onnx`: ONNX `Resize` attributes and inputs from one flag,
//! `key=value,...` with ONNX's names, lists in brackets (`sizes=[1,3,64,64]`).

use crate::options::onnx::{OnnxAttributes, OnnxOptions};
use crate::{Error, Result};

/// The keys `--onnx` takes: the Resize-19 attributes and inputs, as ONNX names them.
pub const KEYS: &[&str] = &[
    "mode",
    "coordinate_transformation_mode",
    "nearest_mode",
    "cubic_coeff_a",
    "exclude_outside",
    "extrapolation_value",
    "antialias",
    "keep_aspect_ratio_policy",
    "axes",
    "roi",
    "scales",
    "sizes",
];

fn err(reason: impl Into<String>) -> Error {
    Error::Argument {
        name: "--onnx",
        reason: reason.into(),
    }
}

/// Split at the commas that are not inside brackets.
fn items(spec: &str) -> Result<Vec<&str>> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in spec.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&spec[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return Err(err(format!("unbalanced brackets in {spec:?}")));
        }
    }
    if depth != 0 {
        return Err(err(format!("unbalanced brackets in {spec:?}")));
    }
    out.push(&spec[start..]);
    Ok(out)
}

/// The value of `key=value` as JSON: a list of numbers, a number, or a name.
fn value(key: &str, v: &str) -> Result<serde_json::Value> {
    let number = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| err(format!("{key}: {s:?} is not a number")))
            .map(|x| {
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    serde_json::json!(x as i64)
                } else {
                    serde_json::json!(x)
                }
            })
    };
    if let Some(inner) = v.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let list = inner
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(number)
            .collect::<Result<Vec<_>>>()?;
        return Ok(serde_json::Value::Array(list));
    }
    match key {
        "mode" | "coordinate_transformation_mode" | "nearest_mode" | "keep_aspect_ratio_policy" => {
            Ok(serde_json::json!(v))
        }
        "axes" | "roi" | "scales" | "sizes" => Err(err(format!(
            "{key} is a list: write it in brackets, e.g. {key}=[1,1,2,2]"
        ))),
        _ => number(v),
    }
}

/// The options `spec` gives (`mode` is required).
pub fn parse(spec: &str) -> Result<OnnxOptions> {
    let mut map = serde_json::Map::new();
    for item in items(spec)? {
        let (key, v) = item
            .split_once('=')
            .ok_or_else(|| err(format!("expected key=value, got {item:?}")))?;
        let key = key.trim();
        if !KEYS.contains(&key) {
            return Err(err(format!(
                "unknown key {key:?}; expected one of {}",
                KEYS.join(", ")
            )));
        }
        if map.insert(key.into(), value(key, v.trim())?).is_some() {
            return Err(err(format!("{key} is given twice")));
        }
    }
    if !map.contains_key("mode") {
        return Err(err("mode is missing (nearest, linear or cubic)"));
    }
    let case: OnnxAttributes =
        serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| err(e.to_string()))?;
    case.options()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::onnx::{CoordinateMode, OnnxMode};

    #[test]
    fn parses_names_numbers_and_lists() {
        let o = parse(
            "mode=cubic,coordinate_transformation_mode=tf_crop_and_resize,\
             roi=[0.1,0,0.9,1],axes=[2,3],sizes=[8,8],cubic_coeff_a=-0.5,exclude_outside=1",
        )
        .unwrap();
        assert_eq!(o.mode, OnnxMode::Cubic);
        assert_eq!(o.coordinate_mode, CoordinateMode::TfCropAndResize);
        assert_eq!(o.roi, Some(vec![0.1, 0.0, 0.9, 1.0]));
        assert_eq!(o.axes, Some(vec![2, 3]));
        assert_eq!(o.sizes, Some(vec![8, 8]));
        assert_eq!(o.cubic_coeff_a, -0.5);
        assert!(o.exclude_outside);
    }

    #[test]
    fn mistakes_name_the_flag() {
        for bad in [
            "",
            "mode=linear,size=[2]",
            "mode=linear,sizes=2",
            "mode=linear,sizes=[1,2",
            "mode=bilinear,sizes=[1,1,2]",
            "mode=linear,mode=cubic",
            "sizes=[1,1,2]",
            "mode=linear,cubic_coeff_a=x",
        ] {
            match parse(bad) {
                Err(Error::Argument { name, .. }) => assert!(name == "--onnx" || name == "mode"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
