// Entry of resample window/general: the general loop over any tap counts (gather/main.wgsl), input through a 64 KiB uniform window.
//! import "window/bindings.wgsl"
//! import "window/store.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "gather/main.wgsl"
