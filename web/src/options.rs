//! The JS options objects (as JSON text) to the crate's options: torch's names in camelCase,
//! unknown keys refused, each mistake an `Error::Argument` naming the key.

use serde::Deserialize;
use wgpu_resample::image::{Alpha, Filtering, ImageOptions, Size};
use wgpu_resample::{Clamp, Error, Mode, Options, PerDim, Result};

/// One value for every spatial dim, or one per dim.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrEach<T> {
    One(T),
    Each(Vec<T>),
}

impl<T> From<OneOrEach<T>> for PerDim<T> {
    fn from(v: OneOrEach<T>) -> PerDim<T> {
        match v {
            OneOrEach::One(x) => PerDim::All(x),
            OneOrEach::Each(x) => PerDim::Each(x),
        }
    }
}

/// `interpolate`'s keyword arguments.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TorchOptions {
    mode: Option<String>,
    size: Option<OneOrEach<i64>>,
    scale_factor: Option<OneOrEach<f64>>,
    align_corners: Option<bool>,
    recompute_scale_factor: Option<bool>,
    #[serde(default)]
    antialias: bool,
    clamp: Option<(f32, f32)>,
}

/// The image helpers' options.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ImageArgs {
    width: Option<usize>,
    height: Option<usize>,
    fit: Option<String>,
    scale: Option<f64>,
    mode: Option<String>,
    #[serde(default)]
    antialias: bool,
    #[serde(default)]
    align_corners: bool,
    alpha: Option<String>,
    #[serde(default)]
    linear_light: bool,
    filtering: Option<String>,
}

fn argument(name: &'static str, reason: impl Into<String>) -> Error {
    Error::Argument {
        name,
        reason: reason.into(),
    }
}

fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| argument("options", e.to_string()))
}

/// torch's default mode is nearest.
fn mode(name: Option<&str>) -> Result<Mode> {
    name.unwrap_or("nearest").parse()
}

/// `{ mode, size, scaleFactor, alignCorners, recomputeScaleFactor, antialias, clamp }`.
pub fn torch(json: &str) -> Result<Options> {
    let t: TorchOptions = parse(json)?;
    Ok(Options {
        mode: mode(t.mode.as_deref())?,
        size: t.size.map(PerDim::from),
        scale_factor: t.scale_factor.map(PerDim::from),
        align_corners: t.align_corners,
        recompute_scale_factor: t.recompute_scale_factor,
        antialias: t.antialias,
        clamp: t.clamp.map(|(min, max)| Clamp { min, max }),
    })
}

/// `{ width, height, fit: "exact" | "fit" | "fill", scale, mode, antialias, alignCorners,
/// alpha: "premultiply" | "premultiplied" | "ignore", linearLight, filtering: "auto" |
/// "uint8" | "float" }`: a box and how to fit it, or a scale.
pub fn image(json: &str) -> Result<ImageOptions> {
    let a: ImageArgs = parse(json)?;
    let size = match (a.scale, a.width, a.height) {
        (Some(s), None, None) => Size::Scale { x: s, y: s },
        (None, Some(width), Some(height)) => match a.fit.as_deref().unwrap_or("exact") {
            "exact" => Size::Exact { width, height },
            "fit" => Size::Fit { width, height },
            "fill" => Size::Fill { width, height },
            other => {
                return Err(argument(
                    "fit",
                    format!("{other:?} is not one of \"exact\", \"fit\", \"fill\""),
                ))
            }
        },
        _ => {
            return Err(argument(
                "options",
                "give width and height (and optionally fit), or scale",
            ))
        }
    };
    let alpha = match a.alpha.as_deref().unwrap_or("premultiply") {
        "premultiply" => Alpha::Premultiply,
        "premultiplied" => Alpha::Premultiplied,
        "ignore" => Alpha::Ignore,
        other => {
            return Err(argument(
                "alpha",
                format!("{other:?} is not one of \"premultiply\", \"premultiplied\", \"ignore\""),
            ))
        }
    };
    let filtering = match a.filtering.as_deref().unwrap_or("auto") {
        "auto" => Filtering::Auto,
        "uint8" => Filtering::Uint8,
        "float" => Filtering::Float,
        other => {
            return Err(argument(
                "filtering",
                format!("{other:?} is not one of \"auto\", \"uint8\", \"float\""),
            ))
        }
    };
    Ok(
        ImageOptions::new(mode(Some(a.mode.as_deref().unwrap_or("bilinear")))?)
            .size(size)
            .antialias(a.antialias)
            .align_corners(a.align_corners)
            .alpha(alpha)
            .linear_light(a.linear_light)
            .filtering(filtering),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torch_options_map_to_the_crates() {
        let o = torch(r#"{"mode":"bicubic","size":[4,6],"alignCorners":true,"clamp":[0,1]}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            o,
            Options::new(Mode::Bicubic)
                .size([4, 6])
                .align_corners(true)
                .clamp(0.0, 1.0)
        );
        let o = torch(r#"{"scaleFactor":2}"#).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(o, Options::new(Mode::Nearest).scale_factor_all(2.0));
    }

    #[test]
    fn mistakes_name_the_argument() {
        let text = |json: &str| torch(json).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(text(r#"{"mode":"cubic"}"#).contains("mode"));
        assert!(text(r#"{"sise":[2]}"#).contains("sise"));
        assert!(text(r#"{"size":"big"}"#).contains("options"));
        let text = |json: &str| image(json).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(text(r#"{"width":2,"height":2,"fit":"cover"}"#).contains("fit"));
        assert!(text(r#"{"width":2}"#).contains("width and height"));
    }
}
