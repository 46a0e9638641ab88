#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, unsafe_code)]
use std::time::Instant;
fn main() {
    let r = wgpu_resample::Resampler::new_default().unwrap();
    let d = r.device();
    let q = r.queue();
    let mb: u32 = std::env::var("MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let n_vec4: u32 = mb * 1024 * 1024 / 16;
    let src = d.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: n_vec4 as u64 * 16,
        usage: wgpu::BufferUsages::STORAGE,
        mapped_at_creation: false,
    });
    let dst = d.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: n_vec4 as u64 * 16,
        usage: wgpu::BufferUsages::STORAGE,
        mapped_at_creation: false,
    });
    for (wg, per) in [(64u32, 1u32)] {
        for ty in ["vec4<f32>", "f32", "mat4x4<f32>", "mat2x4<f32>"] {
            let vec = ty != "f32";

            let n = match ty {
                "f32" => n_vec4 * 4,
                "mat4x4<f32>" => n_vec4 / 4,
                "mat2x4<f32>" => n_vec4 / 2,
                _ => n_vec4,
            };
            let _ = vec;
            let src_code = format!("@group(0) @binding(0) var<storage, read> s: array<{ty}>;
@group(0) @binding(1) var<storage, read_write> t: array<{ty}>;
@compute @workgroup_size({wg}) fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>) {{
  let base = (w.x + w.y * 1024u) * {wg}u * {per}u + l.x;
  for (var k = 0u; k < {per}u; k++) {{ let i = base + k * {wg}u; if (i < {n}u) {{ t[i] = s[i]; }} }}
}}");
            let checks = std::env::var("CHECKS").map(|v| v == "1").unwrap_or(true);
            let m = unsafe {
                d.create_shader_module_trusted(
                    wgpu::ShaderModuleDescriptor {
                        label: None,
                        source: wgpu::ShaderSource::Wgsl(src_code.into()),
                    },
                    wgpu::ShaderRuntimeChecks {
                        bounds_checks: checks,
                        force_loop_bounding: checks,
                        ..wgpu::ShaderRuntimeChecks::checked()
                    },
                )
            };
            let p = d.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: None,
                layout: None,
                module: &m,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            });
            let bg = d.create_bind_group(&wgpu::BindGroupDescriptor {
                label: None,
                layout: &p.get_bind_group_layout(0),
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: src.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: dst.as_entire_binding(),
                    },
                ],
            });
            let groups = n.div_ceil(wg * per);
            let mut times = vec![];
            for _ in 0..4 {
                let mut e = d.create_command_encoder(&Default::default());
                let reps: u32 = std::env::var("REPS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                for _ in 0..reps {
                    let mut c = e.begin_compute_pass(&Default::default());
                    c.set_pipeline(&p);
                    c.set_bind_group(0, &bg, &[]);
                    c.dispatch_workgroups(1024, groups.div_ceil(1024), 1);
                }
                let t = Instant::now();
                q.submit([e.finish()]);
                d.poll(wgpu::PollType::wait_indefinitely()).unwrap();
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            times.sort_by(|a, b| a.total_cmp(b));
            println!(
                "wg {wg:4} per {per:3} {ty:10}: {:.1} ms  {:.2} GB/s",
                times[1],
                2.0 * mb as f64 * 1.048576 / times[1]
            );
        }
    }
}
