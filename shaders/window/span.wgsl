// Entry of resample window/span: the loop-free kernel where four columns share their inputs, scalar stores.
//! import "window/bindings.wgsl"
//! import "window/store.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "window/taps.wgsl"
//! import "window/span_main.wgsl"
