// Entry of resample window/axis: passes with one active axis (antialiasing, area), taps unrolled, scalar stores.
//! import "window/bindings.wgsl"
//! import "window/store.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "window/axis_main.wgsl"
